import { describe, expect, it } from 'vitest';
// The package's first promise: two framework-agnostic handlers over a repository, imported from
// the root entry as a user does (`import { lookupCustomer, listLabels } from 'priority-routing-crm'`).
import * as Root from '../../src/index.js';

const { lookupCustomer, listLabels, createMemoryRepository, sampleCustomer, sampleDataSet, samplePhones } = Root;

type Repository = Root.CustomerRepository;
type ErrorEvent = Root.ConnectorErrorEvent;

/** Options that keep every failure off stderr and let the test read it. */
function quiet(timeoutMs = 1000) {
  const errors: ErrorEvent[] = [];
  return { errors, options: { timeoutMs, onError: (event: ErrorEvent) => void errors.push(event) } };
}

const memory = createMemoryRepository(sampleDataSet);
const labels = () => [...sampleDataSet.labels];

/** Repositories that fail every way a CRM can, each with the status the handler answers. */
const broken: ReadonlyArray<[string, Repository, number]> = [
  ['throws', { findCustomerByPhone: () => { throw new Error('db down'); }, listLabels: () => { throw new Error('db down'); } }, 500],
  ['throws a non-Error', { findCustomerByPhone: () => { throw undefined; }, listLabels: () => { throw 'x'; } }, 500],
  ['rejects', { findCustomerByPhone: () => Promise.reject(new Error('db down')), listLabels: () => Promise.reject(new Error('db down')) }, 500],
  ['rejects with null', { findCustomerByPhone: () => Promise.reject(null), listLabels: () => Promise.reject(null) }, 500],
  ['answers data that breaks the contract', { findCustomerByPhone: () => ({ _id: 7 }) as never, listLabels: () => [{ _id: '' }] as never }, 502],
  ['answers a non-array label list and a string customer', { findCustomerByPhone: () => 'hello' as never, listLabels: () => ({}) as never }, 502],
  ['never answers', { findCustomerByPhone: () => new Promise(() => {}), listLabels: () => new Promise(() => {}) }, 504],
];

/** Request objects plain JavaScript can pass where nothing typed them: each a bug of the caller. */
const MALFORMED_REQUESTS: ReadonlyArray<readonly [string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['an object without url', {}],
    ['a number as url', { url: 5 }],
    ['a number as method', { url: '/customer?query=phone:1111', method: 7 }],
    ['a url getter that throws', { get url(): string { throw new Error('boom'); } }],
];

describe('lookupCustomer and listLabels from the root entry', () => {
  it('are functions of the root entry with the documented arity (repository, request, options)', () => {
    expect(typeof lookupCustomer).toBe('function');
    expect(typeof listLabels).toBe('function');
    expect(lookupCustomer.length).toBe(3);
    // request is optional for listLabels: its default (GET /label) does not count.
    expect(listLabels.length).toBe(1);
  });

  it('lookupCustomer answers 200 with the contract customer, whatever path the router used', async () => {
    const response = await lookupCustomer(memory, { url: `/any/route/name?query=phone:${samplePhones.gold}` });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body ?? '')).toEqual(sampleCustomer);
  });

  it('lookupCustomer answers 404, 400 and 405 as the connector does', async () => {
    expect((await lookupCustomer(memory, { url: '/customer?query=phone:999999' })).status).toBe(404);
    expect((await lookupCustomer(memory, { url: '/customer?query=email:a@b' })).status).toBe(400);
    const post = await lookupCustomer(memory, { method: 'POST', url: `/customer?query=phone:${samplePhones.gold}` });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('lookupCustomer passes its options on: defaultCountry matches a national spelling', async () => {
    const data = { customers: [{ ...sampleCustomer, phone1: '+92 300 1234567' }], labels: labels() };
    const response = await lookupCustomer(createMemoryRepository(data, { defaultCountry: 'PK' }), { url: '/c?query=phone:0300-1234567' }, { defaultCountry: 'PK' });
    expect(response.status).toBe(200);
  });

  it('listLabels answers GET /label with no request at all, and 304 for its own ETag', async () => {
    const first = await listLabels(memory);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body ?? '')).toEqual(sampleDataSet.labels);
    const again = await listLabels(memory, { url: '/label', headers: { 'if-none-match': first.headers.etag } });
    expect([again.status, again.body]).toEqual([304, null]);
  });

  it.each(broken)('never reject when the repository %s: %i problem+json, reported to onError', async (_name, repository, status) => {
    for (const call of [
      (options: Root.HandlerOptions) => lookupCustomer(repository, { url: '/customer?query=phone:1111' }, options),
      (options: Root.HandlerOptions) => listLabels(repository, undefined, options),
    ]) {
      const { errors, options } = quiet(status === 504 ? 50 : 1000);
      const response = await call(options);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(errors).toHaveLength(1);
    }
  });

  it.each([['a string', '/customer?query=phone:1111'] as const, ...MALFORMED_REQUESTS])('never reject (and never throw) for a request that is %s: 500, reported to onError', async (_name, request) => {
    const { errors, options } = quiet();
    const customer = lookupCustomer(memory, request as never, options);
    const label = listLabels(memory, request === undefined ? null as never : (request as never), options);
    expect(customer).toBeInstanceOf(Promise);
    expect((await customer).status).toBe(500);
    expect((await label).status).toBe(500);
    expect(errors.map((event) => [event.kind, event.route])).toEqual([['exception', 'customer'], ['exception', 'label']]);
  });
});

describe('createConnector(...).handle from plain JavaScript', () => {
  it.each(MALFORMED_REQUESTS)('never throws for a request that is %s: a 500 problem, reported to onError, and the next request is served', async (_name, request) => {
    const { errors, options } = quiet();
    const connector = Root.createConnector({ repository: memory, ...options });
    const answered = connector.handle(request as never);
    expect(answered).toBeInstanceOf(Promise);
    const response = await answered;
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(errors.map((event) => event.kind)).toEqual(['exception']);
    expect((await connector.handle({ url: `/customer?query=phone:${samplePhones.gold}` })).status).toBe(200);
  });
});
