import { createAdaptorServer } from '@hono/node-server';
import type { FastifyInstance } from 'fastify';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** A server under test, listening on 127.0.0.1 at a port the OS picked. */
export interface Listening {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Stops listening and closes every connection still open (keep-alive ones included), so no test waits on a socket another left behind. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 port 0 (the OS picks a free port; only loopback, never every interface).
 * Works for `node:http` servers (what Express, Koa and `@hono/node-server` build on) and plain
 * `node:net` servers. `backlog`: raise it above Node's 511 when a test opens many connections at once.
 */
export async function listen(server: Server | HttpServer, options: { backlog?: number } = {}): Promise<Listening> {
  // node:net has no closeAllConnections: track its sockets to end them on close.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', ...(options.backlog === undefined ? {} : { backlog: options.backlog }) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = portOf(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    // Closing twice is fine (an afterEach may close what a test already closed).
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Fastify listens through its own `listen` (it starts its plugins and hooks there), and its
 * `close` runs its onClose hooks and ends idle keep-alive connections (`forceCloseConnections`).
 */
export async function listenFastify(app: FastifyInstance): Promise<Listening> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = portOf(app.server);
  return { origin: `http://127.0.0.1:${port}`, port, close: () => app.close() };
}

function portOf(server: Server | HttpServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`expected a TCP address, got ${String(address)}`);
  return address.port;
}

/** A loopback port nothing listens on (the OS picked it free, then it was closed). */
export async function closedPort(): Promise<number> {
  const { port, close } = await listen(createServer());
  await close();
  return port;
}

/** Starts a `node:http` server (or one around a request listener, such as an Express app). */
export function startNode(serverOrListener: HttpServer | RequestListener): Promise<Listening> {
  return listen(typeof serverOrListener === 'function' ? createHttpServer(serverOrListener) : serverOrListener);
}

/**
 * Starts a fetch handler on `@hono/node-server`, leaving Node's global `Request` and `Response`
 * alone (`overrideGlobalObjects: false`).
 */
export function startFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Listening> {
  return listen(createAdaptorServer({ fetch, overrideGlobalObjects: false }) as HttpServer);
}

/** Starts a server before the enclosing `describe`'s tests and closes it after them. */
export function useServer(start: () => Promise<Listening>): { origin: () => string } {
  let running: Listening | undefined;
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
