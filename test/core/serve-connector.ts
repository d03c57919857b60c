import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ProblemSchema, createConnector, type ConnectorOptions } from '../../src/index.js';

/** A connector on node:http at 127.0.0.1:0, for tests over real HTTP. */
export interface TestServer {
  origin: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function serveConnector(options: ConnectorOptions): Promise<TestServer> {
  const connector = createConnector(options);
  const server: Server = createServer(connector.node);
  // A backlog above Node's default 511: tests open 1,000 connections at once, and on a loaded
  // machine the accept queue overflows before the server drains it (ECONNRESET).
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get: (path, init) => fetch(`${origin}${path}`, init),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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

/** Asserts a problem+json response of this status and type; returns the raw body for more checks. */
export async function expectProblem(response: Response, status: number, type: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const text = await response.text();
  expect(ProblemSchema.parse(JSON.parse(text))).toMatchObject({ status, type });
  return text;
}
