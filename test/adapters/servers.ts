import { createAdaptorServer } from '@hono/node-server';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** A server under test, bound to 127.0.0.1 on a free port. */
export interface Running {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** Starts a `node:http` server (or one around a request listener, such as an Express app). */
export async function startNode(serverOrListener: Server | RequestListener): Promise<Running> {
  const server = typeof serverOrListener === 'function' ? createServer(serverOrListener) : serverOrListener;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Starts a fetch handler on `@hono/node-server`, leaving Node's global `Request` and `Response`
 * alone (`overrideGlobalObjects: false`).
 */
export function startFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Running> {
  return startNode(createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server);
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
