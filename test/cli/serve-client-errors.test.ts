import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../robustness/raw-http.js';
import { startJsonServe, stopServes } from '../support/serve-process.js';

// `serve` has its own server (src/cli/serve/server.ts): what Node's parser refuses must get the
// README's problem+json there too, not Node's bare status line (issue 8, point 6).
let port = 0;
beforeAll(async () => {
  const { origin } = await startJsonServe(['--port', '0']);
  port = Number(new URL(origin).port);
}, 30_000);
afterAll(() => {
  stopServes();
});

const refused: Array<[string, string, number]> = [
  ['a malformed request line', 'GET /label HTTP/1.1 extra\r\nHost: x\r\n\r\n', 400],
  ['Transfer-Encoding with Content-Length', 'GET /label HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n', 400],
  ['an obs-fold', 'GET /label HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  b\r\n\r\n', 400],
  ['no Host', 'GET /label HTTP/1.1\r\n\r\n', 400],
  ['a header of 20 KiB', `GET /label HTTP/1.1\r\nHost: x\r\nX-Big: ${'v'.repeat(20_000)}\r\n\r\n`, 431],
];

describe('serve answers what Node refuses with problem+json', () => {
  it.each(refused)('%s', async (_name, request, status) => {
    const response = await sendRaw(port, Buffer.from(request, 'latin1'));
    expect(response?.status).toBe(status);
    expect(response?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response?.headers.connection).toBe('close');
    expect(JSON.parse(response!.body)).toMatchObject({ status });
    // The next request is served as usual.
    const next = await sendRaw(port, { method: 'GET', target: '/label', headers: [['Host', 'x']] });
    expect(next?.status).toBe(200);
  });
});
