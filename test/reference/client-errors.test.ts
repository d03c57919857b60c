import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHandler, handleClientError, startReferenceServer, type ReferenceServer } from '../../src/adapters/node.js';
import { ProblemSchema, createMemoryRepository, problemTypes, sampleDataSet } from '../../src/index.js';
import { type RawResponse, sendRaw } from '../robustness/raw-http.js';
import { startJsonServe, stopServes } from '../support/serve-process.js';

const raw = (text: string) => Buffer.from(text, 'latin1');

/** What Node's parser refuses, each as raw bytes, with the status and problem type expected. */
const refused: ReadonlyArray<readonly [string, Buffer, number, string]> = [
  ['a malformed request line', raw('GET /cim/label x HTTP/1.1\r\nHost: a\r\n\r\n'), 400, problemTypes.badRequest],
  [
    'Transfer-Encoding with Content-Length',
    raw('POST /cim/label HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n'),
    400,
    problemTypes.badRequest,
  ],
  ['an obs-folded header line', raw('GET /cim/label HTTP/1.1\r\nHost: a\r\nX-Note: one\r\n  two\r\n\r\n'), 400, problemTypes.badRequest],
  ['headers over the size limit', raw(`GET /cim/label HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, problemTypes.headersTooLarge],
];

function expectClosingProblem(response: RawResponse | null, status: number, type: string): void {
  expect(response).not.toBeNull();
  expect(response?.status).toBe(status);
  expect(response?.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response?.headers.connection).toBe('close');
  expect(ProblemSchema.parse(JSON.parse(response?.body ?? ''))).toMatchObject({ type, status });
}

describe('startReferenceServer (and so serve): requests Node itself refuses', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, basePath: '/cim' });
  });
  afterAll(() => server.close());

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, status, type) => {
    expectClosingProblem(await sendRaw(server.port, bytes), status, type);
  });

  it('an HTTP/1.1 request without Host: problem+json 400 with Connection: close', async () => {
    const response = await sendRaw(server.port, raw('GET /cim/label HTTP/1.1\r\nConnection: close\r\n\r\n'));
    expectClosingProblem(response, 400, problemTypes.badRequest);
    expect(JSON.parse(response?.body ?? '').detail).toMatch(/Host/);
  });

  it('still answers HTTP/1.0 without Host, and well-formed requests after the refusals', async () => {
    expect((await sendRaw(server.port, raw('GET /cim/label HTTP/1.0\r\n\r\n')))?.status).toBe(200);
    expect((await fetch(server.labelsUrl)).status).toBe(200);
  });
});

describe('serve (its own HTTP server): requests Node itself refuses', () => {
  let port: number;
  beforeAll(async () => {
    const { origin } = await startJsonServe(['--port', '0', '--base-path', '/cim']);
    port = Number(new URL(origin).port);
  });
  afterAll(() => stopServes());

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, status, type) => {
    expectClosingProblem(await sendRaw(port, bytes), status, type);
  });

  it('an HTTP/1.1 request without Host: problem+json 400, and the next request is served', async () => {
    expectClosingProblem(await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nConnection: close\r\n\r\n')), 400, problemTypes.badRequest);
    expect((await sendRaw(port, raw('GET /cim/label HTTP/1.0\r\n\r\n')))?.status).toBe(200);
  });
});

describe('handleClientError on a vendor\'s own node:http server', () => {
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // Short timeouts, checked often, so the 408 arrives within the test.
    const server = createServer(
      { requestTimeout: 300, headersTimeout: 200, connectionsCheckingInterval: 50 },
      createNodeHandler({ repository: createMemoryRepository(sampleDataSet), basePath: '/cim' }),
    );
    server.on('clientError', handleClientError);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  });
  afterAll(() => close());

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, status, type) => {
    expectClosingProblem(await sendRaw(port, bytes), status, type);
  });

  it('a request that does not arrive in time: problem+json 408 with Connection: close', async () => {
    expectClosingProblem(await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nHost: a\r\n')), 408, problemTypes.requestTimeout);
  });

  it('answers a well-formed request as usual', async () => {
    expect((await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')))?.status).toBe(200);
  });
});
