/**
 * Next.js is not a dependency of this package, so this serves the route file
 * `nextjs/app/cim/[...path]/route.ts` on a plain Node server the way Next.js calls it: the
 * export named after the request's method. Run: `npx tsx examples/nextjs.ts`.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { RouteHandlers } from '../src/adapters/fetch.js';
import { isMain, listenOrExit } from './listen.js';
import * as route from './nextjs/app/cim/[...path]/route.js';

/** A server that dispatches each request to the route export named after its method, 405 when there is none (as Next.js does). */
export function serveLikeNext(handlers: Partial<RouteHandlers>): Server {
  return createAdaptorServer({
    overrideGlobalObjects: false,
    fetch: (request: Request) => {
      const handler = Object.hasOwn(handlers, request.method) ? handlers[request.method as keyof RouteHandlers] : undefined;
      return handler ? handler(request) : new Response(null, { status: 405 });
    },
  }) as Server;
}

if (isMain(import.meta.url)) {
  listenOrExit(serveLikeNext(route), 'Next.js route handler');
}
