import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorResponseEvent,
  createConnector,
  createMemoryRepository,
  sampleDataSet,
} from '../../src/index.js';
import { phoneSpelling, queryValue, seeded } from '../robustness/arbitraries.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';
import { expectProblem } from '../support/problems.js';

/** What a logged phone may show: a number's own characters, and the mask's `*`. */
const LOGGABLE = /^[0-9+ ()./*-]*$/;

describe('what counts as a phone number, over real HTTP', () => {
  let server: TestServer;
  const events: ConnectorResponseEvent[] = [];
  beforeAll(async () => {
    server = await serveConnector({ repository: createMemoryRepository(sampleDataSet), onResponse: (event) => void events.push(event) });
  });
  afterAll(() => server.close());

  it.each(['phone:abc1111xyz', 'phone:session-1111', 'phone:1111%E2%80%A8', 'phone:%E2%80%AE1111', 'phone:1111;x', 'phone:11%2B11'])(
    '%s: 400 "not a phone number", never the customer 1111',
    async (query) => {
      const text = await expectProblem(await server.get(`/customer?query=${query}`), 'invalidQuery');
      expect(JSON.parse(text).detail).toMatch(/not a phone number/);
    },
  );

  it.each(['phone:1111', 'phone:+1111', 'phone:%2B1111', 'phone:%201111', 'phone:11-11', 'phone:(1)%201.1/1'])(
    '%s: still finds the customer (a leading + form-decoded into a space, or percent-encoded, included)',
    async (query) => {
      expect((await server.get(`/customer?query=${query}`)).status).toBe(200);
    },
  );

  it('logs only characters a phone number may hold', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const { phone } of events) if (phone !== undefined) expect(phone).toMatch(LOGGABLE);
  });
});

/** Arbitrary queries (without lone surrogates, which no URL can carry), and many near-numbers. */
const nearNumber = fc.string({ unit: fc.constantFrom(...'0123456789 +-.()/', 'a', '\u2028', '\u202e', ';'), minLength: 1, maxLength: 20 });
const queries = fc.oneof(
  queryValue.filter((query) => !/[\ud800-\udfff]/.test(query)),
  phoneSpelling.map(({ spelling }) => `phone:${spelling}`),
  nearNumber.map((rest) => `phone:${rest}`),
);

describe('the phone in ConnectorResponseEvent, over arbitrary queries', () => {
  it.each([
    ['masked', true],
    ['as received', false],
  ] as const)('%s, never holds a character outside digits, +, space, - . ( ) / and the mask', async (_case, maskPhone) => {
    const phones: string[] = [];
    const connector = createConnector({
      repository: createMemoryRepository(sampleDataSet),
      maskPhone,
      onResponse: ({ phone }) => void (phone === undefined || phones.push(phone)),
    });
    await fc.assert(
      fc.asyncProperty(queries, async (query) => {
        await connector.handle({ url: `/customer?query=${encodeURIComponent(query).replaceAll('%20', '+')}` });
      }),
      seeded(1000),
    );
    expect(phones.length).toBeGreaterThan(300);
    for (const phone of phones) expect(phone).toMatch(LOGGABLE);
  });
});
