import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  maskPhone,
  sampleCustomer,
  sampleDataSet,
  samplePhones,
  type ConnectorErrorEvent,
  type ConnectorResponseEvent,
} from '../../src/index.js';
import { listLabels } from '../../src/core/labels.js';
import { lookupCustomer } from '../../src/core/customer.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';

let server: TestServer | undefined;
afterEach(() => server?.close());
const repository = createMemoryRepository(sampleDataSet);

describe('onResponse', () => {
  it('reports method, route, status, duration and the masked phone of every request', async () => {
    const events: ConnectorResponseEvent[] = [];
    server = await serveConnector({ repository, onResponse: (event) => void events.push(event) });
    await server.get('/customer?query=phone:%2B923001234567');
    await server.get('/label', { method: 'HEAD' });
    await server.get('/nowhere');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ method: 'GET', route: 'customer', status: 200, phone: '+92******4567' });
    expect(events[1]).toMatchObject({ method: 'HEAD', route: 'label', status: 200 });
    expect(events[1]).not.toHaveProperty('phone');
    expect(events[2]).toMatchObject({ route: null, status: 404 });
  });

  it('reports in durationMs the time the repository took to answer', async () => {
    const events: ConnectorResponseEvent[] = [];
    const slow = { ...repository, findCustomerByPhone: async () => (await new Promise((resolve) => setTimeout(resolve, 60)), sampleCustomer) };
    server = await serveConnector({ repository: slow, onResponse: (event) => void events.push(event) });
    expect((await server.get('/customer?query=phone:1111')).status).toBe(200);
    // A lower bound only: a loaded machine makes the request slower, never faster. (Timers may
    // fire a millisecond early, hence 55.)
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(55);
  });

  it('gives the phone as received with maskPhone: false, or through a custom mask', async () => {
    const raw: ConnectorResponseEvent[] = [];
    await lookupCustomer(repository, { url: '/customer?query=phone:1111' }, { maskPhone: false, onResponse: (e) => void raw.push(e) });
    expect(raw[0]?.phone).toBe('1111');
    const custom: ConnectorResponseEvent[] = [];
    await lookupCustomer(repository, { url: '/customer?query=phone:1111' }, { maskPhone: () => 'hidden', onResponse: (e) => void custom.push(e) });
    expect(custom[0]?.phone).toBe('hidden');
  });

  it('a throwing or rejecting hook changes nothing but is reported to onError', async () => {
    const errors: ConnectorErrorEvent[] = [];
    let calls = 0;
    server = await serveConnector({
      repository,
      onResponse: () => {
        calls += 1;
        if (calls === 1) throw new Error('hook bug');
        return Promise.reject(new Error('async hook bug'));
      },
      onError: (event) => {
        errors.push(event);
        throw new Error('onError is broken too');
      },
    });
    const first = await server.get('/customer?query=phone:1111');
    expect(await first.json()).toStrictEqual(sampleCustomer);
    expect((await server.get('/label')).status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((event) => event.kind)).toEqual(['hook', 'hook']);
    expect(errors[0]).toMatchObject({ route: 'customer', phone: '**11' });
  });
});

describe('lookupCustomer and listLabels without a connector', () => {
  it('answer neutral requests, with methods checked', async () => {
    const found = await lookupCustomer(repository, { method: 'get', url: `http://crm.example/any/path?query=phone:${samplePhones.gold}` });
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body ?? '')).toStrictEqual(sampleCustomer);
    expect((await lookupCustomer(repository, { method: 'POST', url: '/customer?query=phone:1111' })).headers.allow).toBe('GET, HEAD');
    const labels = await listLabels(repository);
    expect(labels.status).toBe(200);
    expect(labels.headers.etag).toMatch(/^"/);
  });
});

describe('maskPhone', () => {
  it.each([
    ['+923001234567', '+92******4567'],
    ['923001234567', '92******4567'],
    ['1111', '**11'],
    ['+1', '+1'],
    ['', ''],
  ])('masks %j as %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
