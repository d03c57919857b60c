import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CustomerQuerySchema,
  createConnector,
  createMemoryRepository,
  normalizePhone,
  parseCustomerQuery,
  sampleCustomer,
  sampleDataSet,
  sampleLabels,
} from '../../src/index.js';
import { MAX_PHONE_LENGTH } from '../../src/contract/phone.js';
import { customerQueryMessages, type CustomerQueryError } from '../../src/contract/query.js';
import { expectProblem } from '../support/problems.js';
import { anyText, phoneSpelling, queryValue, seeded } from './arbitraries.js';

const ASCII_DIGITS = /^[0-9]+$/;
const CONTROL = /\p{Cc}/u;

describe('parseCustomerQuery over arbitrary input', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }), (value) => {
        expect(parseCustomerQuery(value)).toMatchObject({ ok: expect.any(Boolean) });
      }),
      seeded(300),
    );
  });

  it('answers a valid phone or a refusal with its fixed sentence, nothing else', () => {
    fc.assert(
      fc.property(queryValue, (query) => {
        const result = parseCustomerQuery(query);
        if (result.ok) {
          const { phone, normalizedPhone } = result.value;
          expect(phone.length).toBeGreaterThan(0);
          expect(phone.length).toBeLessThanOrEqual(MAX_PHONE_LENGTH);
          expect(CONTROL.test(phone)).toBe(false);
          expect(normalizedPhone).toMatch(ASCII_DIGITS);
          expect(normalizedPhone).toBe(normalizePhone(phone));
          // Only a leading space may change: it is the `+` form-decoding turned into a space.
          const received = query.slice('phone:'.length);
          expect(phone).toBe(received.startsWith(' ') ? `+${received.slice(1)}` : received);
        } else {
          // One issue about the whole value: its code is the reason, its message that reason's sentence.
          const [issue, ...more] = result.issues;
          expect(more).toEqual([]);
          expect(Object.keys(customerQueryMessages)).toContain(issue?.code);
          expect(issue).toEqual({ path: '$', segments: [], code: issue?.code, message: customerQueryMessages[issue?.code as CustomerQueryError] });
        }
      }),
      seeded(2000),
    );
  });

  it('agrees with CustomerQuerySchema on every string', () => {
    fc.assert(
      fc.property(queryValue, (query) => {
        const direct = parseCustomerQuery(query);
        const viaZod = CustomerQuerySchema.safeParse(query);
        expect(viaZod.success).toBe(direct.ok);
        if (direct.ok) expect(viaZod.data).toEqual(direct.value);
        else expect(viaZod.error?.issues[0]).toMatchObject({ message: direct.issues[0]?.message, params: { reason: direct.issues[0]?.code } });
      }),
      seeded(1000),
    );
  });
});

describe('normalizePhone over arbitrary input', () => {
  it('is idempotent and keeps exactly the ASCII digits, in order', () => {
    fc.assert(
      fc.property(anyText(100), (text) => {
        const once = normalizePhone(text);
        expect(normalizePhone(once)).toBe(once);
        expect(once).toBe([...text].filter((char) => char >= '0' && char <= '9').join(''));
      }),
      seeded(2000),
    );
  });

  it('gives every spelling of a number the same key', () => {
    fc.assert(
      fc.property(phoneSpelling, ({ spelling, digits }) => {
        expect(normalizePhone(spelling)).toBe(digits);
        const parsed = parseCustomerQuery(`phone:${spelling}`);
        expect(parsed).toEqual({ ok: true, value: { phone: spelling, normalizedPhone: digits } });
      }),
      seeded(1000),
    );
  });

  it('reads the +, %2B and space forms of a leading plus as the same number', () => {
    fc.assert(
      fc.property(phoneSpelling, ({ spelling }) => {
        const number = spelling.replace(/^\+/, '');
        const plus = parseCustomerQuery(`phone:+${number}`);
        const encoded = parseCustomerQuery(decodeURIComponent(`phone:%2B${encodeURIComponent(number)}`));
        const formDecoded = new URLSearchParams(`query=phone:+${number}`).get('query');
        const space = parseCustomerQuery(formDecoded);
        expect(plus).toEqual({ ok: true, value: { phone: `+${number}`, normalizedPhone: normalizePhone(number) } });
        expect(encoded).toEqual(plus);
        expect(space).toEqual(plus);
      }),
      seeded(1000),
    );
  });
});

describe('the query through connector.handle, with the server\'s own URL decoding', () => {
  const connector = createConnector({ repository: createMemoryRepository(sampleDataSet) });
  const wellFormed = queryValue.filter((query) => !/[\ud800-\udfff]/.test(query));

  it('answers 400 exactly when the parser refuses the decoded value, and never fails', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, async (query) => {
        const response = await connector.handle({ url: `/customer?query=${encodeURIComponent(query)}` });
        const parsed = parseCustomerQuery(query);
        if (parsed.ok) expect([200, 404]).toContain(response.status);
        else await expectProblem(response, 'invalidQuery');
      }),
      seeded(1000),
    );
  });

  it('finds one customer by the +, %2B and space forms of a number and by its digits alone', async () => {
    await fc.assert(
      fc.asyncProperty(phoneSpelling, async ({ spelling, digits }) => {
        const stored = { ...sampleCustomer, phone1: spelling.startsWith('+') ? spelling : `+${spelling}` };
        const forms = createConnector({ repository: createMemoryRepository({ customers: [stored], labels: sampleLabels }) });
        const rest = encodeURIComponent(stored.phone1.slice(1));
        const urls = [`phone:+${rest}`, `phone:%2B${rest}`, `phone:%20${rest}`, `phone:+${digits}`, `phone:${digits}`].map((query) => `/customer?query=${query}`);
        const answers = await Promise.all(urls.map((url) => forms.handle({ url })));
        for (const answer of answers) {
          expect(answer.status).toBe(200);
          expect(answer.body).toBe(answers[0]?.body);
        }
        expect(JSON.parse(answers[0]?.body ?? '')).toStrictEqual(stored);
      }),
      seeded(300),
    );
  });
});
