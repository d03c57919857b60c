import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Customer, type CustomerQuery, type CustomerRepository, createConnector, normalizePhone, sampleCustomer } from '../../src/index.js';
import { lookupCustomer } from '../../src/core/customer.js';
import { type ReferenceServer, startReferenceServer } from '../../src/reference/server.js';
import { rawGet, serveConnector, type TestServer } from '../support/serve-connector.js';
import { phoneCases } from '../support/phone-numbers.js';
import { expectProblem } from '../support/problems.js';

const pakistan = { ...sampleCustomer, _id: 'pk-owner', phone1: '0300-1234567' };
const london = { ...sampleCustomer, _id: 'gb-owner', phone1: '+44 (0)20 7946 0958' };

describe('the reference connector with defaultCountry over real HTTP', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ data: { customers: [sampleCustomer, pakistan, london], labels: [] }, defaultCountry: 'PK' });
  });
  afterAll(() => server.close());

  it.each([
    ['+923001234567', 'a raw +, which form decoding reads as a space'],
    ['%2B923001234567', '%2B'],
    ['%20923001234567', 'an encoded space'],
    ['923001234567', 'international digits, as WhatsApp gives them'],
    ['0300-1234567', 'national with the trunk prefix'],
    ['3001234567', 'national without it'],
    ['0092%20300%201234567', 'the international dialling prefix 00'],
    ['(0300)%20123%204567', 'parentheses and spaces'],
    ['+92%20(0)300%201234567', '+92 (0)…'],
  ])('finds the customer stored as 0300-1234567 when asked for phone:%s (%s)', async (refId) => {
    const response = await rawGet(server.url, `/customer?query=phone:${refId}`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)._id).toBe('pk-owner');
  });

  it.each([
    ['0044%2020%207946%200958', 'gb-owner'],
    ['%2B442079460958', 'gb-owner'],
    ['1111', sampleCustomer._id],
  ])('finds phone:%s, a number of another country or one the rules do not accept', async (refId, id) => {
    const response = await rawGet(server.url, `/customer?query=phone:${refId}`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)._id).toBe(id);
  });

  // An extension: as words it is not a phone number at all (400); as digits it is another number.
  it('answers 400 for phone:0300-1234567%20ext.%2012', async () => {
    expect((await rawGet(server.url, '/customer?query=phone:0300-1234567%20ext.%2012')).status).toBe(400);
  });

  it.each(['+443001234567', '1234567', '+923001234568', '15', '0300-1234567%20(12)'])('answers 404 for phone:%s', async (refId) => {
    await expectProblem(await rawGet(server.url, `/customer?query=phone:${refId}`), 'customerNotFound');
  });
});

/**
 * A repository as a database would be: numbers stored as typed, matched by their digits against
 * `query.phoneKeys`, the way `WHERE digits(phone) IN (…)` does.
 */
function digitsRepository(customers: readonly Customer[], seen: CustomerQuery[]): CustomerRepository {
  return {
    findCustomerByPhone(query) {
      seen.push(query);
      const keys = query.phoneKeys ?? [query.normalizedPhone];
      return customers.find((customer) => keys.includes(normalizePhone(customer.phone1))) ?? null;
    },
    listLabels: () => [],
  };
}

describe('query.phoneKeys for repositories over real HTTP', () => {
  const cases = phoneCases.filter((item, index) => phoneCases.findIndex((other) => other.country === item.country) === index);
  const seen: CustomerQuery[] = [];
  const servers = new Map<string, TestServer>();
  beforeAll(async () => {
    for (const { country, spellings } of cases) {
      const customers = spellings.map((phone, index) => ({ ...sampleCustomer, _id: `${country}-${index}`, phone1: phone }));
      servers.set(country, await serveConnector({ repository: digitsRepository(customers, seen), defaultCountry: country }));
    }
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
  });

  it.each(cases)('lets a digits-matching repository find $country numbers stored in any spelling, asked in any spelling', async ({ country, spellings }) => {
    const server = servers.get(country)!;
    // Each customer holds one spelling: whichever is asked, the keys the repository receives
    // hold the digits of every stored spelling, so any of them would be found.
    for (const asked of spellings) {
      const response = await server.get(`/customer?query=phone:${encodeURIComponent(asked)}`);
      expect(response.status, asked).toBe(200);
      const keys = seen.at(-1)!.phoneKeys;
      for (const stored of spellings) expect(keys, `${stored} asked as ${asked}`).toContain(normalizePhone(stored));
    }
  });

  it('gives repositories just the digits without defaultCountry', async () => {
    const server = await serveConnector({ repository: digitsRepository([pakistan], seen) });
    try {
      expect((await server.get('/customer?query=phone:%2B923001234567')).status).toBe(404);
      expect(seen.at(-1)!.phoneKeys).toStrictEqual(['923001234567']);
      expect((await server.get('/customer?query=phone:0300%201234567')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('defaultCountry on the handlers', () => {
  it.each(['XX', 'pk'])('createConnector refuses %j at once, naming the option', (defaultCountry) => {
    expect(() => createConnector({ repository: digitsRepository([], []), defaultCountry: defaultCountry as 'PK' })).toThrow(/^defaultCountry must be/);
  });

  it('gives the repository the phoneKeys of defaultCountry, the same frozen list on every read', async () => {
    const queries: CustomerQuery[] = [];
    const repository: CustomerRepository = { findCustomerByPhone: (query) => (queries.push(query), null), listLabels: () => [] };
    const response = await lookupCustomer(repository, { url: '/customer?query=phone:0300-1234567' }, { defaultCountry: 'PK' });
    expect(response.status).toBe(404);
    const [query] = queries;
    expect(query!.phoneKeys).toStrictEqual(['923001234567', '03001234567', '3001234567', '9203001234567', '00923001234567']);
    expect(query!.phoneKeys).toBe(query!.phoneKeys);
    expect(Object.isFrozen(query!.phoneKeys)).toBe(true);
  });
});
