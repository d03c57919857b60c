import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type Listening } from './listen.js';

/** What a fake CRM does instead of answering normally, once: the quirks a real CRM has. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'slow'; ms: number }
  | { kind: 'huge'; bytes: number }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-json' };

/** One request a fake CRM received (for asserting what the engine sent). */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The query as sent (`?…`), for a fake that decodes it by its own rules. */
  search: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Route = (request: Received) => { status: number; body?: unknown; headers?: Record<string, string> } | Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;

/** A fake CRM server on loopback: routes by name, faults queued per route name, every request recorded. */
export interface FakeCrm extends Listening {
  readonly received: Received[];
  /** How many requests each route got. */
  count(route: string): number;
  /** The next `times` requests to `route` get this fault instead of their answer. */
  fault(route: string, fault: Fault, times?: number): void;
  /** Forgets the faults not met yet and the received requests (between tests). */
  reset(): void;
}

export async function startFakeCrm(routes: ReadonlyArray<{ name: string; method: string; path: RegExp; handle: Route }>): Promise<FakeCrm> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const faults = new Map<string, Fault[]>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        // An empty path segment (`//api/…`, as a base URL ending in `/` gives) is no resource of a
        // real CRM's API: 404, as Dataverse, Salesforce and the others answer it.
        if (/^[^?#]*\/\//.test(request.url ?? '/')) {
          received.push({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0]!, query: new URLSearchParams(), search: '', headers: request.headers, body: '' });
          return send(response, { status: 404, body: { status: 'error', message: `no resource at ${request.url}` } });
        }
        const url = new URL(request.url ?? '/', 'http://fake');
        const got: Received = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, search: url.search, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        received.push(got);
        const route = routes.find((candidate) => candidate.method === got.method && candidate.path.test(got.path));
        if (route === undefined) return send(response, { status: 404, body: { status: 'error', message: `no route ${got.method} ${got.path}` } });
        counts.set(route.name, (counts.get(route.name) ?? 0) + 1);
        const fault = faults.get(route.name)?.shift();
        if (fault !== undefined) return applyFault(response, fault, async () => send(response, await route.handle(got)));
        return send(response, await route.handle(got));
      })().catch((error: unknown) => send(response, { status: 500, body: { message: String(error) } }));
    });
  });
  const listening = await listen(server);
  return {
    ...listening,
    received,
    count: (name) => counts.get(name) ?? 0,
    reset: () => {
      faults.clear();
      received.length = 0;
    },
    fault: (name, fault, times = 1) => faults.set(name, [...(faults.get(name) ?? []), ...Array.from({ length: times }, () => fault)]),
  };
}

function send(response: ServerResponse, answer: { status: number; body?: unknown; headers?: Record<string, string> }): void {
  if (response.destroyed) return;
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, { ...(body === '' ? {} : { 'content-type': 'application/json;charset=UTF-8' }), ...answer.headers });
  response.end(body);
}

async function applyFault(response: ServerResponse, fault: Fault, answer: () => Promise<void>): Promise<void> {
  switch (fault.kind) {
    case 'status':
      return send(response, { status: fault.status, body: fault.body, ...(fault.headers === undefined ? {} : { headers: fault.headers }) });
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return answer();
    case 'huge': {
      // Streamed without Content-Length, so the reader must count.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":[');
      const chunk = `${'{"id":"1","Phone":"1"},'.repeat(1000)}`;
      for (let written = 0; written < fault.bytes && !response.destroyed; written += chunk.length) {
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
      }
      response.end('{}]}');
      return;
    }
    case 'redirect':
      return send(response, { status: 302, headers: { location: fault.location } });
    case 'not-json':
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>maintenance</html>');
  }
}

/** The last digits of a number: how loose CRM searches match (they return near misses too). */
export const tail = (phone: string, length = 7) => phone.replace(/\D/g, '').slice(-length);

/**
 * `fake` with each field of `state` as its own property: a test reads and sets it (`zoho.contacts
 * = […]`), and the routes, which read `state`, see the change.
 */
export function withState<F extends object, S extends object>(fake: F, state: S): F & S {
  // Its own accessors kept as accessors (a spread would read each once).
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(fake)) as F & S;
  for (const key of Object.keys(state) as Array<keyof S & string>) {
    Object.defineProperty(out, key, { enumerable: true, get: () => state[key], set: (value: S[typeof key]) => void (state[key] = value) });
  }
  return out;
}
