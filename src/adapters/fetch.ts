/**
 * `priority-routing-crm/fetch`: the connector as a WHATWG `(Request) => Promise<Response>`
 * function, for Hono, Next.js route handlers, Bun, Deno, Cloudflare Workers and any other
 * runtime that speaks `fetch`. Uses the runtime's own `Request`/`Response`; replaces nothing.
 *
 * @packageDocumentation
 */
import { resolveConnector, type ConnectorInput } from './connector-input.js';

export type * from './connector-types.js';
export { createConnector } from '../core/connector.js';

/**
 * A WHATWG fetch handler: what Hono, Bun, Deno and workers call with each request.
 *
 * @example
 * ```ts
 * import { type FetchHandler, createFetchHandler } from 'priority-routing-crm/fetch';
 * const handler: FetchHandler = createFetchHandler({ repository });
 * const response = await handler(new Request('http://crm.example/label'));
 * ```
 */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Makes the `(Request) => Promise<Response>` handler of a connector. Requests outside the
 * connector's two routes get a problem+json 404, other methods a 405, so mount it on a catch-all
 * path under the connector's `basePath`.
 *
 * @example
 * ```ts
 * // Hono
 * import { Hono } from 'hono';
 * import { createFetchHandler } from 'priority-routing-crm/fetch';
 *
 * const connector = createFetchHandler({ repository, basePath: '/cim' });
 * const app = new Hono();
 * app.all('/cim/*', (c) => connector(c.req.raw));
 *
 * // Bun, Deno (`deno serve`), Cloudflare Workers
 * export default { fetch: createFetchHandler({ repository }) };
 * ```
 */
export function createFetchHandler(input: ConnectorInput): FetchHandler {
  const connector = resolveConnector(input);
  return (request) => connector.fetch(request);
}

/**
 * The exports of a Next.js App Router route file: one handler per HTTP method Next.js
 * dispatches, so that every method reaches the connector (405 with `Allow: GET, HEAD` for all
 * but GET and HEAD) instead of Next's own answer.
 *
 * @example
 * ```ts
 * import { type RouteHandlers, createRouteHandlers } from 'priority-routing-crm/fetch';
 * const { GET, HEAD }: RouteHandlers = createRouteHandlers({ repository, basePath: '/cim' });
 * ```
 */
export interface RouteHandlers {
  GET: FetchHandler;
  HEAD: FetchHandler;
  POST: FetchHandler;
  PUT: FetchHandler;
  PATCH: FetchHandler;
  DELETE: FetchHandler;
  OPTIONS: FetchHandler;
}

/**
 * Makes the method exports of a Next.js route handler file (App Router). Put it in a catch-all
 * route under the connector's `basePath`, such as `app/cim/[...path]/route.ts` for `/cim`.
 *
 * @example
 * ```ts
 * // app/cim/[...path]/route.ts
 * import { createRouteHandlers } from 'priority-routing-crm/fetch';
 * // `repository`: your CustomerRepository, e.g. imported from '@/lib/crm'.
 * export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = createRouteHandlers({ repository, basePath: '/cim' });
 * ```
 */
export function createRouteHandlers(input: ConnectorInput): RouteHandlers {
  // One function for every method: Next.js passes a second `context` argument, which is ignored.
  const handler = createFetchHandler(input);
  return { GET: handler, HEAD: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler, OPTIONS: handler };
}
