import { createAdaptorServer } from '@hono/node-server';
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { type Listening, listen } from '../support/listen.js';

/** A server under test, bound to 127.0.0.1 on a free port. */
export type Running = Listening;

/** Starts a `node:http` server (or one around a request listener, such as an Express app). */
export function startNode(serverOrListener: Server | RequestListener): Promise<Running> {
  return listen(typeof serverOrListener === 'function' ? createServer(serverOrListener) : serverOrListener);
}

/**
 * Starts a fetch handler on `@hono/node-server`, leaving Node's global `Request` and `Response`
 * alone (`overrideGlobalObjects: false`).
 */
export function startFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Running> {
  return listen(createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server);
}

/** Starts a server before the enclosing `describe`'s tests and closes it after them. */
export function useServer(start: () => Promise<Running>): { origin: () => string } {
  let running: Running | undefined;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    origin: () => {
      if (running === undefined) throw new Error('the server has not started');
      return running.origin;
    },
  };
}
