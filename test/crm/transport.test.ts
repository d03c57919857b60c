import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmRepository } from '../../src/crm/index.js';
import { CrmResponseError } from '../../src/crm/errors.js';
import { type Listening, listen } from '../support/listen.js';
import { makeServerCert, makeTestCa } from '../support/openssl.js';

/**
 * The CRM client's own HTTP transport (node:http / node:https, what it uses unless a `fetch` is
 * given): each guarantee the issue asks of a CRM's answers, over real connections on loopback.
 */
type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler = (_request, response) => response.end();
/** Every connection the server saw close, in order (to prove the client let go of a request). */
const closed: string[] = [];
let server: Listening;
beforeAll(async () => {
  const http = createHttpServer((request, response) => handler(request, response));
  http.on('connection', (socket) => socket.once('close', () => closed.push('closed')));
  server = await listen(http);
});
afterAll(() => server.close());

const profileAt = (baseUrl: string, limits: Record<string, number> = {}) => ({
  baseUrl,
  auth: { type: 'bearer', token: 'tok-123456' },
  lookup: { path: '/search', query: { q: '{phone}' }, phoneForms: ['international'], results: 'hits', fields: { _id: 'id', phone1: 'tel' } },
  labels: { path: '/labels', results: 'items', fields: { _id: 'id', name: 'name' } },
  limits,
});
const repositoryAt = (baseUrl: string, options: { timeoutMs?: number; limits?: Record<string, number>; fetch?: typeof fetch } = {}) =>
  createCrmRepository({ profile: profileAt(baseUrl, options.limits), defaultCountry: 'PK', env: {}, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
const query = { phone: '923001234567', normalizedPhone: '923001234567' };
const found = JSON.stringify({ hits: [{ id: 'c1', tel: '+923001234567' }] });
/** Resolves when the server has seen `count` more connections close. */
const closes = (count = 1) => {
  const target = closed.length + count;
  return new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (closed.length >= target) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
};

describe('the CRM transport (node:http unless a fetch is given)', () => {
  it('reads an answer, a leading byte order mark dropped as Response.text() drops it', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`\uFEFF${found}`);
    };
    expect((await repositoryAt(server.origin).findCustomerByPhone(query, { signal: new AbortController().signal }))?._id).toBe('c1');
  });

  it('asks for an uncompressed answer (Accept-Encoding: identity; without it any coding is allowed)', async () => {
    handler = (request, response) => {
      const accepted = request.headers['accept-encoding'];
      if (accepted === undefined || /gzip/.test(accepted)) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return void response.end(gzipSync(found));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(found);
    };
    expect((await repositoryAt(server.origin).findCustomerByPhone(query, { signal: new AbortController().signal }))?._id).toBe('c1');
  });

  // Asked for identity, some answers still come compressed (a proxy, a gateway): decoded, bounded.
  const codings: ReadonlyArray<readonly [string, (body: string) => Buffer]> = [
    ['gzip', (body) => gzipSync(body)],
    ['x-gzip', (body) => gzipSync(body)],
    ['deflate', (body) => deflateSync(body)],
    ['deflate', (body) => deflateRawSync(body)],
    ['br', (body) => brotliCompressSync(body)],
    ['GZIP', (body) => gzipSync(body)],
  ];
  const over = (name: string) => (name === 'node:http' ? {} : { fetch });
  describe.each(['node:http', 'a given fetch'])('a compressed answer although identity was asked for, over %s', (path) => {
    it.each(codings)('Content-Encoding: %s is decoded and read', async (coding, compress) => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
        response.end(compress(found));
      };
      expect((await repositoryAt(server.origin, over(path)).findCustomerByPhone(query, { signal: new AbortController().signal }))?._id).toBe('c1');
    });

    it('an empty answer that names a coding anyway (204, or a notFoundStatus 404 in an unknown coding) is no result, not a decoding error', async () => {
      handler = (_request, response) => {
        response.writeHead(204, { 'content-encoding': 'gzip' });
        response.end();
      };
      expect(await repositoryAt(server.origin, over(path)).findCustomerByPhone(query, { signal: new AbortController().signal })).toBeNull();
      handler = (_request, response) => {
        response.writeHead(404, { 'content-type': 'application/json', 'content-encoding': 'compress' });
        response.end(Buffer.from([0x1f, 0x9d, 0x90]));
      };
      const notFound = { ...profileAt(server.origin), lookup: { ...profileAt(server.origin).lookup, notFoundStatus: [404] } };
      expect(await createCrmRepository({ profile: notFound, defaultCountry: 'PK', env: {}, ...over(path) }).findCustomerByPhone(query, { signal: new AbortController().signal })).toBeNull();
    });

    it('a gzip bomb (about 1 MB that inflates to 1 GB) is cut at limits.maxBodyBytes of decoded bytes, never inflated in full: 502 larger than the limit', async () => {
      // One gzip member of 16 MiB of zeros (16 KB), 64 times: gzip readers decode concatenated members.
      const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
      const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
      expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        response.end(bomb);
      };
      const peakBefore = process.resourceUsage().maxRSS;
      const lookup = repositoryAt(server.origin, { ...over(path), limits: { maxBodyBytes: 2 * 1024 * 1024 } }).findCustomerByPhone(query, { signal: new AbortController().signal });
      await expect(lookup).rejects.toThrow(/larger than 2097152 bytes \(limits\.maxBodyBytes\)/);
      await expect(lookup).rejects.toBeInstanceOf(CrmResponseError);
      // Inflated in full, the 1 GiB would have raised this process's peak memory by at least that much (maxRSS is in KiB).
      expect(process.resourceUsage().maxRSS - peakBefore).toBeLessThan(256 * 1024);
    });

    it('an unknown coding is a 502 naming it, not "not JSON"', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'compress' });
        response.end(Buffer.from([0x1f, 0x9d, 0x90, 0x7b]));
      };
      const lookup = repositoryAt(server.origin, over(path)).findCustomerByPhone(query, { signal: new AbortController().signal });
      await expect(lookup).rejects.toThrow(/the answer is compressed as "compress" \(Content-Encoding\), which the connector cannot decode: it asks for identity and decodes gzip, deflate and br/);
      await expect(lookup).rejects.toBeInstanceOf(CrmResponseError);
    });
  });

  it('a token answer in an unknown coding is a 502 naming it (fetch decodes gzip, deflate and br, bounded as it reads)', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'compress' });
      response.end(Buffer.from([0x1f, 0x9d, 0x90, 0x7b]));
    };
    const profile = { ...profileAt(server.origin), auth: { type: 'oauth2', grant: 'client_credentials', tokenUrl: `${server.origin}/token`, clientId: 'app', clientSecret: 'secret-Zq81' } };
    const lookup = createCrmRepository({ profile, defaultCountry: 'PK', env: {} }).findCustomerByPhone(query, { signal: new AbortController().signal });
    await expect(lookup).rejects.toThrow(/token request to http:\/\/127\.0\.0\.1:\d+\/token failed: the answer is compressed as "compress" \(Content-Encoding\)/);
  });

  it('a broken gzip answer is a 502 that says so', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(found).subarray(0, 20));
    };
    const lookup = repositoryAt(server.origin).findCustomerByPhone(query, { signal: new AbortController().signal });
    await expect(lookup).rejects.toThrow(/the answer's gzip compression is broken \(unexpected end of file\)/);
    await expect(lookup).rejects.toBeInstanceOf(CrmResponseError);
  });

  it('an answer whose Content-Length is over limits.maxBodyBytes is refused without reading it: 502, connection dropped', async () => {
    let written = 0;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      // A trickle the client must not wait for.
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        written += 1;
        response.write(' ');
      }, 20);
    };
    const gone = closes();
    const lookup = repositoryAt(server.origin, { limits: { maxBodyBytes: 1024 } }).findCustomerByPhone(query, { signal: new AbortController().signal });
    await expect(lookup).rejects.toThrow(/larger than 1024 bytes \(limits\.maxBodyBytes\)/);
    await expect(lookup).rejects.toBeInstanceOf(CrmResponseError);
    await gone;
    expect(written).toBeLessThan(20);
  });

  it('a CRM that never answers is cut at timeoutMs and its connection closed (not left to the socket timeout)', async () => {
    handler = () => {};
    const gone = closes();
    const started = Date.now();
    await expect(repositoryAt(server.origin, { timeoutMs: 200 }).findCustomerByPhone(query, { signal: new AbortController().signal })).rejects.toMatchObject({ name: 'TimeoutError' });
    await gone;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the caller's signal aborting drops the request at once, with the signal's reason", async () => {
    handler = () => {};
    const controller = new AbortController();
    const gone = closes();
    const lookup = repositoryAt(server.origin).findCustomerByPhone(query, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('the handler gave up', 'TimeoutError')), 50);
    await expect(lookup).rejects.toThrow('the handler gave up');
    await gone;
  });

  it('an answer cut off in the middle is a failed lookup (cannot reach), not data', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(found.length) });
      response.write(found.slice(0, 10));
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const lookup = repositoryAt(server.origin).findCustomerByPhone(query, { signal: new AbortController().signal });
    await expect(lookup).rejects.toThrow(/cannot reach the CRM at http:\/\/127\.0\.0\.1:\d+/);
    await expect(lookup).rejects.not.toBeInstanceOf(CrmResponseError);
  });

  it('a refused connection names the system error', async () => {
    const gone = createHttpServer();
    const { origin, close } = await listen(gone);
    await close();
    await expect(repositoryAt(origin).findCustomerByPhone(query, { signal: new AbortController().signal })).rejects.toThrow(/cannot reach the CRM at .*ECONNREFUSED/);
  });

  it('a given fetch is what the client calls (a proxy agent, a test), with the same bounds', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(found);
    };
    const called: string[] = [];
    const counting: typeof fetch = (input, init) => {
      called.push(String(input));
      expect(init?.redirect).toBe('manual');
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      return fetch(input, init);
    };
    expect((await repositoryAt(server.origin, { fetch: counting }).findCustomerByPhone(query, { signal: new AbortController().signal }))?._id).toBe('c1');
    expect(called).toStrictEqual([`${server.origin}/search?q=923001234567`]);
  });

  describe('over TLS', () => {
    let dir: string;
    let tls: Listening;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'prc-crm-tls-'));
      const ca = await makeTestCa(dir);
      const { cert, key } = await makeServerCert(dir, ca, 'crm');
      const https = createHttpsServer({ cert: await readFile(cert), key: await readFile(key) }, (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(found);
      });
      tls = await listen(https);
    });
    afterAll(async () => {
      await tls.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('a certificate from a CA Node does not trust is refused (TLS verified), naming the TLS error', async () => {
      const baseUrl = tls.origin.replace('http:', 'https:');
      await expect(repositoryAt(baseUrl).findCustomerByPhone(query, { signal: new AbortController().signal })).rejects.toThrow(/cannot reach the CRM at https:\/\/127\.0\.0\.1:\d+: .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify)/i);
    });
  });
});
