/**
 * The request path's shortcuts (issue 21.2) answer exactly as the general path does: Hybrid
 * Chat's query shape read without the general reader, the query handed to repositories as a
 * plain object, the built-in phone mask applied when a trace is read, and the body of a found
 * customer byte for byte what `JSON.stringify` of its contract fields gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCommonQuery, withPhoneKeys } from '../../src/core/phone-query.js';
import { readQueryParam } from '../../src/core/url.js';
import { customerFieldNames } from '../../src/contract/customer.js';
import {
  createConnector,
  createMemoryRepository,
  type Customer,
  type CustomerQuery,
  type CustomerRecord,
  maskPhone,
  phoneKeys,
  parseCustomerQuery,
  sampleCustomer,
  sampleLabels,
  type ConnectorResponseEvent,
} from '../../src/index.js';

/** What the general reader makes of a query string: the parsed query, or `undefined` when it refuses it. */
function generalRead(search: string): CustomerQuery | undefined {
  const param = readQueryParam(search, 'query');
  if (!param.ok) return undefined;
  const query = parseCustomerQuery(param.value);
  return query.ok ? query.value : undefined;
}

const digits = fc.stringMatching(/^[0-9]{0,70}$/);
const near = fc.constantFrom('', '+', '%2B', '%2b', '%2', '%', ' ', '++', '+%2B', '-', '(', '%20');
const tail = fc.constantFrom('', '&x=1', '&query=phone:1', '#frag', 'a', '-1', ' ', '%00', '\u0661');
const searches = fc.oneof(
  fc.tuple(fc.constantFrom('query=phone:', 'query=phone', 'query=Phone:', 'Query=phone:', 'x=1&query=phone:', 'query=phone:phone:'), near, digits, tail).map((parts) => parts.join('')),
  fc.string({ maxLength: 90 }).map((rest) => `query=phone:${rest}`),
);

describe("Hybrid Chat's query shape, read without the general reader", () => {
  it('gives what the general reader gives, or leaves the string to it', () => {
    fc.assert(
      fc.property(searches, (search) => {
        const fast = readCommonQuery(search);
        if (fast !== undefined) expect(fast).toStrictEqual(generalRead(search));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['query=phone:+923001234567', { phone: '+923001234567', normalizedPhone: '923001234567' }],
    ['query=phone:%2B923001234567', { phone: '+923001234567', normalizedPhone: '923001234567' }],
    ['query=phone:%2b1111', { phone: '+1111', normalizedPhone: '1111' }],
    ['query=phone:1111', { phone: '1111', normalizedPhone: '1111' }],
    ['query=phone:+' + '9'.repeat(63), { phone: '+' + '9'.repeat(63), normalizedPhone: '9'.repeat(63) }],
  ])('reads %s', (search, expected) => {
    expect(readCommonQuery(search)).toStrictEqual(expected);
    expect(generalRead(search)).toStrictEqual(expected);
  });

  it.each(['query=phone:', 'query=phone:+', 'query=phone:%2B', 'query=phone:+' + '9'.repeat(64), 'query=phone:1111&query=phone:2', 'query=phone:11-11'])(
    'leaves %s to the general reader',
    (search) => expect(readCommonQuery(search)).toBeUndefined(),
  );
});

describe('the query a repository receives', () => {
  it('has phone, normalizedPhone and phoneKeys as own enumerable properties, with and without a country', () => {
    const parsed = { phone: '+923001234567', normalizedPhone: '923001234567' };
    for (const country of [undefined, 'PK'] as const) {
      const query = withPhoneKeys(parsed, country);
      expect(Object.keys(query)).toStrictEqual(['phone', 'normalizedPhone', 'phoneKeys']);
      const keys = phoneKeys(parsed.phone, country === undefined ? undefined : { defaultCountry: country });
      expect({ ...query }).toStrictEqual({ ...parsed, phoneKeys: keys });
      expect(JSON.parse(JSON.stringify(query))).toStrictEqual({ ...parsed, phoneKeys: keys });
      expect(Object.isFrozen(query.phoneKeys)).toBe(true);
      expect(query.phoneKeys).toBe(query.phoneKeys);
    }
    expect(withPhoneKeys({ phone: '0300-1234567', normalizedPhone: '03001234567' }, 'PK').phoneKeys?.[0]).toBe('923001234567');
  });

  it('is the same over the connector for the common shape and for an unusual spelling of it', async () => {
    const seen: CustomerQuery[] = [];
    const connector = createConnector({
      repository: { findCustomerByPhone: (query) => (seen.push({ ...query }), null), listLabels: () => sampleLabels },
    });
    await connector.handle({ url: '/customer?query=phone:+923001234567' });
    await connector.handle({ url: '/customer?query=phone:%2B923001234567&' });
    expect(seen).toStrictEqual([
      { phone: '+923001234567', normalizedPhone: '923001234567', phoneKeys: ['923001234567'] },
      { phone: '+923001234567', normalizedPhone: '923001234567', phoneKeys: ['923001234567'] },
    ]);
  });
});

describe('the memory repository looked up without a query object', () => {
  it('answers as its findCustomerByPhone does; a method replaced afterwards is called with the full query', async () => {
    const repository = createMemoryRepository({ customers: [{ ...sampleCustomer, phone1: '+92 300 1234567' }], labels: sampleLabels }, { defaultCountry: 'PK' });
    const connector = createConnector({ repository, defaultCountry: 'PK' });
    for (const phone of ['+923001234567', '923001234567', '03001234567', '+923001234568']) {
      const response = await connector.handle({ url: `/customer?query=phone:${encodeURIComponent(phone)}` });
      const query = withPhoneKeys({ phone, normalizedPhone: phone.replace('+', '') }, 'PK');
      expect(response.status, phone).toBe(repository.findCustomerByPhone(query) === null ? 404 : 200);
    }
    const find = repository.findCustomerByPhone;
    const seen: CustomerQuery[] = [];
    repository.findCustomerByPhone = (query) => (seen.push({ ...query }), find(query));
    expect((await connector.handle({ url: '/customer?query=phone:923001234567' })).status).toBe(200);
    expect(seen).toStrictEqual([{ phone: '923001234567', normalizedPhone: '923001234567', phoneKeys: phoneKeys('923001234567', { defaultCountry: 'PK' }) }]);
  });
});

describe('the phone in hook events', () => {
  it('is masked with the built-in mask by default, as received with maskPhone: false, and a own mask runs once per lookup', async () => {
    const repository = createMemoryRepository({ customers: [sampleCustomer], labels: sampleLabels });
    const phones: Array<string | undefined> = [];
    const onResponse = (event: ConnectorResponseEvent) => void phones.push(event.phone);
    let masked = 0;
    const own = (phone: string) => (masked++, `<${phone}>`);
    for (const maskPhoneOption of [undefined, false, own] as const) {
      const connector = createConnector({ repository, onResponse, maskPhone: maskPhoneOption });
      await connector.handle({ url: '/customer?query=phone:+923001234567' });
    }
    expect(phones).toStrictEqual([maskPhone('+923001234567'), '+923001234567', '<+923001234567>']);
    expect(masked).toBe(1);
  });
});

/** Records with what JSON has to escape or keep as is. */
const odd: Array<Partial<Customer>> = [
  { first_name: 'Zoë "Zo" Ähnlich', last_name: 'back\\slash', email: 'tab\there@example.com' },
  { first_name: '😀 emoji', last_name: 'lone \ud800 surrogate', email: 'line\u2028separator' },
  { first_name: '\u0000\u001f', last_name: '</script>', labels: ['with "quote"', '\\', 'ü'] },
  { first_name: '', last_name: '', email: '', phone2: '', labels: [] },
];

describe('the body of a found customer', () => {
  it("is JSON.stringify of the contract's fields in the seed's order, for odd records and records with more fields", async () => {
    const customers = odd.map((fields, index) => ({ ...sampleCustomer, _id: `odd-${index}`, phone1: `+92300000000${index}`, ...fields, extra: 'never sent' }));
    const connector = createConnector({ repository: createMemoryRepository({ customers: customers as CustomerRecord[], labels: sampleLabels }) });
    const order = ['labels', '_id', 'phone2', 'updated_by', 'last_name', 'phone3', 'phone4', 'phone5', 'first_name', 'created_by', 'email', 'phone1', 'createdAt', 'updatedAt', '__v'];
    expect([...order].sort()).toStrictEqual([...customerFieldNames].sort());
    for (const customer of customers) {
      const response = await connector.handle({ url: `/customer?query=phone:${customer.phone1}` });
      const picked = Object.fromEntries(order.map((name) => [name, (customer as Record<string, unknown>)[name]]));
      expect(response.status).toBe(200);
      expect(response.body).toBe(JSON.stringify(picked));
    }
  });
});
