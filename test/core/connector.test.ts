import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnector,
  createMemoryRepository,
  sampleCustomer,
  sampleDataSet,
  sampleLabels,
  samplePhones,
  type CustomerRepository,
} from '../../src/index.js';
import { rawGet, serveConnector, type TestServer } from '../support/serve-connector.js';
import { expectProblem } from '../support/problems.js';

let server: TestServer;
beforeAll(async () => {
  server = await serveConnector({ repository: createMemoryRepository(sampleDataSet), basePath: '/cim' });
});
afterAll(() => server.close());

describe('GET /customer', () => {
  it('answers the seed request with exactly the seed customer, uncached', async () => {
    const response = await server.get('/cim/customer?query=phone:1111');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toStrictEqual(sampleCustomer);
  });

  it.each([
    ['a literal +', '/cim/customer?query=phone:+923001234567'],
    ['%2B', '/cim/customer?query=phone:%2B923001234567'],
    ['%20 (a space)', '/cim/customer?query=phone:%20923001234567'],
    ['digits only', '/cim/customer?query=phone:923001234567'],
    ['an encoded key and value', '/cim/customer?%71uery=phone%3A%2B923001234567'],
  ])('finds +923001234567 written with %s', async (_form, path) => {
    const response = await server.get(path);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ phone1: samplePhones.vip, labels: ['5eeb3499de8126f6b26383d5'] });
  });

  it('finds a customer by a number on phone3', async () => {
    const response = await server.get(`/cim/customer?query=phone:${encodeURIComponent(samplePhones.onPhone3)}`);
    expect(await response.json()).toMatchObject({ first_name: 'Phone3', phone3: '+1-415-555-0123' });
  });

  it('answers 404 with a problem when no customer has the number', async () => {
    const text = await expectProblem(await server.get('/cim/customer?query=phone:999999'), 'customerNotFound');
    expect(text).not.toContain('999999');
  });

  it.each([
    ['missing query', '/cim/customer'],
    ['empty query', '/cim/customer?query='],
    ['another prefix', '/cim/customer?query=email:a@b.c'],
    ['an empty number', '/cim/customer?query=phone:'],
    ['a number without digits', '/cim/customer?query=phone:abc'],
    ['a control character', '/cim/customer?query=phone:11%0A11'],
    ['a too long number', `/cim/customer?query=phone:${'1'.repeat(65)}`],
    ['a repeated query', '/cim/customer?query=phone:1111&query=phone:2222'],
    ['malformed percent-encoding', '/cim/customer?query=phone:%E0%A4%A'],
    ['a lone %', '/cim/customer?query=phone:11%1'],
    ['invalid UTF-8', '/cim/customer?query=phone:%FF1111'],
  ])('answers 400 for %s', async (_case, path) => {
    await expectProblem(await rawGet(server.origin, path), 'invalidQuery');
  });

  it('ignores other query parameters and a fragment', async () => {
    expect((await rawGet(server.origin, '/cim/customer?token=x&query=phone:1111&z#frag')).status).toBe(200);
  });
});

describe('GET /label', () => {
  it('answers the seed request with exactly the seed labels, a strong ETag and the default Cache-Control', async () => {
    const response = await server.get('/cim/label');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(await response.json()).toStrictEqual(sampleLabels);
  });

  it.each([
    ['the same tag', (etag: string) => etag],
    ['a weak form of it', (etag: string) => `W/${etag}`],
    ['a list holding it', (etag: string) => `"nope", ${etag}`],
    ['*', () => '*'],
  ])('answers 304 without a body for If-None-Match with %s', async (_case, header) => {
    const etag = (await server.get('/cim/label')).headers.get('etag') ?? '';
    const response = await server.get('/cim/label', { headers: { 'if-none-match': header(etag) } });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(etag);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('');
  });

  it('answers 200 for a stale If-None-Match', async () => {
    const response = await server.get('/cim/label', { headers: { 'if-none-match': '"stale"' } });
    expect(response.status).toBe(200);
  });

  it('uses the configured Cache-Control', async () => {
    const other = await serveConnector({ repository: createMemoryRepository(sampleDataSet), labelsCacheControl: 'max-age=300' });
    try {
      expect((await other.get('/label')).headers.get('cache-control')).toBe('max-age=300');
    } finally {
      await other.close();
    }
  });

  it('changes the ETag when the labels change', async () => {
    const labels: unknown[] = [...sampleLabels];
    const repository: CustomerRepository = { findCustomerByPhone: () => null, listLabels: () => labels as never };
    const other = await serveConnector({ repository });
    try {
      const first = (await other.get('/label')).headers.get('etag');
      expect((await other.get('/label')).headers.get('etag')).toBe(first);
      labels.pop();
      const second = (await other.get('/label')).headers.get('etag');
      expect(second).not.toBe(first);
    } finally {
      await other.close();
    }
  });
});

describe('routing', () => {
  it('answers HEAD with the GET status and headers and no body', async () => {
    const head = await rawGet(server.origin, '/cim/customer?query=phone:1111', 'HEAD');
    const get = await server.get('/cim/customer?query=phone:1111');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(await get.text())));
    expect(head.headers['cache-control']).toBe('no-store');
    expect((await rawGet(server.origin, '/cim/label', 'HEAD')).headers.etag).toMatch(/^"/);
    expect((await rawGet(server.origin, '/cim/customer?query=phone:404404', 'HEAD')).status).toBe(404);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, HEAD', async (method) => {
    const response = await server.get('/cim/label', { method });
    await expectProblem(response, 'methodNotAllowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each(['/customer?query=phone:1111', '/label', '/cim', '/cim/label/', '/cim/labels', '/cim/customer/x', '/'])(
    'answers 404 for %s outside the routes',
    async (path) => {
      await expectProblem(await server.get(path), 'notFound');
    },
  );

  it('names its routes in the 404 for another path, the base path as a placeholder (it may be a secret)', async () => {
    const text = await expectProblem(await server.get('/customer?query=phone:1111'), 'notFound');
    expect(JSON.parse(text).detail).toBe('This connector answers GET {base path}/customer?query=phone:{number} and GET {base path}/label.');
  });

  it('tells its routes from other paths with matches()', () => {
    const connector = createConnector({ repository: createMemoryRepository(sampleDataSet), basePath: 'cim/' });
    expect(connector.paths).toEqual({ customer: '/cim/customer', label: '/cim/label' });
    expect(connector.matches('/cim/customer?query=phone:1')).toBe(true);
    expect(connector.matches({ method: 'DELETE', url: 'http://crm.example/cim/label' })).toBe(true);
    expect(connector.matches('/cim/other')).toBe(false);
    expect(connector.matches('/label')).toBe(false);
  });

  it('refuses options that cannot work when the connector is created', () => {
    const repository = createMemoryRepository(sampleDataSet);
    expect(() => createConnector({ repository, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createConnector({ repository, basePath: '/cim?x' })).toThrow(TypeError);
    expect(() => createConnector({ repository: {} as CustomerRepository })).toThrow(/findCustomerByPhone/);
  });
});

describe('connector.fetch and connector.handle', () => {
  const connector = createConnector({ repository: createMemoryRepository(sampleDataSet) });

  it('answers a fetch Request with a fetch Response', async () => {
    const response = await connector.fetch(new Request('http://crm.example/customer?query=phone:%2B923001234567'));
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toMatchObject({ phone1: samplePhones.vip });
  });

  it('reads headers given as a record in any case', async () => {
    const first = await connector.handle({ url: '/label' });
    const again = await connector.handle({ url: '/label', headers: { 'If-None-Match': first.headers.etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
  });
});
