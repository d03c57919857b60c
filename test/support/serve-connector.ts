import { createServer } from 'node:http';
import { createConnector, type ConnectorOptions } from '../../src/index.js';
import { listen } from './listen.js';

/** A connector on node:http at 127.0.0.1:0, for tests over real HTTP. */
export interface TestServer {
  origin: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function serveConnector(options: ConnectorOptions): Promise<TestServer> {
  const connector = createConnector(options);
  // A backlog above Node's default 511: tests open 1,000 connections at once, and on a loaded
  // machine the accept queue overflows before the server drains it (ECONNRESET).
  const { origin, close } = await listen(createServer(connector.node), { backlog: 2048 });
  return { origin, get: (path, init) => fetch(`${origin}${path}`, init), close };
}

/** Sends a raw request line (fetch would normalize the URL) and returns status and body. */
export async function rawGet(origin: string, target: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { method, path: target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
