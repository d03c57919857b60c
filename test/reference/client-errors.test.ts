import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHandler, handleClientError, startReferenceServer, type ReferenceServer } from '../../src/adapters/node.js';
import { createMemoryRepository, sampleDataSet } from '../../src/index.js';
import type { ProblemName } from '../../src/core/problems.js';
import { type RawResponse, sendRaw } from '../support/raw-http.js';
import { listen } from '../support/listen.js';
import { expectProblem } from '../support/problems.js';
import { startJsonServe, stopServes } from '../support/serve-process.js';

const raw = (text: string) => Buffer.from(text, 'latin1');

/** What Node's parser refuses, each as raw bytes, with the problem expected. */
const refused: ReadonlyArray<readonly [string, Buffer, ProblemName]> = [
  ['a malformed request line', raw('GET /cim/label x HTTP/1.1\r\nHost: a\r\n\r\n'), 'badRequest'],
  [
    'Transfer-Encoding with Content-Length',
    raw('POST /cim/label HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n'),
    'badRequest',
  ],
  ['an obs-folded header line', raw('GET /cim/label HTTP/1.1\r\nHost: a\r\nX-Note: one\r\n  two\r\n\r\n'), 'badRequest'],
  ['headers over the size limit', raw(`GET /cim/label HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 'headersTooLarge'],
];

async function expectClosingProblem(response: RawResponse | null, name: ProblemName): Promise<void> {
  expect(response).not.toBeNull();
  expect(response?.headers.connection).toBe('close');
  await expectProblem(response ?? { status: 0, headers: {} }, name);
}

describe('startReferenceServer (and so serve): requests Node itself refuses', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, basePath: '/cim' });
  });
  afterAll(() => server.close());

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, name) => {
    await expectClosingProblem(await sendRaw(server.port, bytes), name);
  });

  it('an HTTP/1.1 request without Host: problem+json 400 with Connection: close', async () => {
    const response = await sendRaw(server.port, raw('GET /cim/label HTTP/1.1\r\nConnection: close\r\n\r\n'));
    await expectClosingProblem(response, 'badRequest');
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

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, name) => {
    await expectClosingProblem(await sendRaw(port, bytes), name);
  });

  it('an HTTP/1.1 request without Host: problem+json 400, and the next request is served', async () => {
    await expectClosingProblem(await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nConnection: close\r\n\r\n')), 'badRequest');
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
    ({ port, close } = await listen(server));
  });
  afterAll(() => close());

  it.each(refused)('%s: problem+json with Connection: close', async (_case, bytes, name) => {
    await expectClosingProblem(await sendRaw(port, bytes), name);
  });

  it('a request that does not arrive in time: problem+json 408 with Connection: close', async () => {
    await expectClosingProblem(await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nHost: a\r\n')), 'requestTimeout');
  });

  it('answers a well-formed request as usual', async () => {
    expect((await sendRaw(port, raw('GET /cim/label HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')))?.status).toBe(200);
  });
});
