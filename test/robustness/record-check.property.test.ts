import fc from 'fast-check';
import * as z from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { CustomerSchema, LabelSchema, sampleCustomer } from '../../src/index.js';
import { customerFieldNames } from '../../src/contract/customer.js';
import { compileRecordCheck } from '../../src/repositories/record-check.js';
import { seeded } from './arbitraries.js';

const isCustomer = compileRecordCheck(CustomerSchema);
const isCustomerFallback = compileRecordCheck(CustomerSchema, { generate: false });

/** Values that sit on the edges of the customer fields' rules. */
const edgeValue = fc.oneof(
  fc.anything({ withBigInt: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }),
  fc.constantFrom('', 'x', '2020-06-18T09:32:53.823Z', '2020-02-30T00:00:00Z', '2020-06-18T09:32:53Z', '2020-06-18T09:32:53.823+01:00', '2020-06-18 09:32:53Z'),
  fc.constantFrom(0, -0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 53 - 1, '0'),
  fc.constantFrom([], ['a'], [1], ['a', undefined], new Array(2), [['a']]),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

const field = fc.constantFrom(...customerFieldNames);

/** The seed customer with some fields replaced, removed, or added. */
const mutatedCustomer = fc
  .record({
    replaced: fc.dictionary(field, edgeValue, { maxKeys: 3 }),
    removed: fc.array(field, { maxLength: 2 }),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 2 }),
  })
  .map(({ replaced, removed, extra }) => {
    const record: Record<string, unknown> = { ...extra, ...sampleCustomer, ...replaced };
    for (const name of removed) delete record[name];
    return record;
  });

describe('the compiled customer check', () => {
  it('is compiled for the contract customer (the memory repository uses it), as generated code and as the fallback', () => {
    expect(isCustomer).toBeTypeOf('function');
    expect(isCustomerFallback).toBeTypeOf('function');
  });

  it.each([
    ['generated', isCustomer],
    ['fallback', isCustomerFallback],
  ])('agrees with CustomerSchema on the seed customer altered at random (%s)', (_form, check) => {
    fc.assert(
      fc.property(fc.oneof(mutatedCustomer, edgeValue), (value) => {
        expect(check?.(value)).toBe(CustomerSchema.safeParse(value).success);
      }),
      seeded(3000),
    );
  });

  it.each([
    ['generated', isCustomer],
    ['fallback', isCustomerFallback],
  ])('refuses, without throwing, records that throw when read (%s)', (_form, check) => {
    const throwing = Object.defineProperty({ ...sampleCustomer }, 'email', { get: () => { throw new Error('boom'); } });
    const proxy = new Proxy({ ...sampleCustomer }, { get: () => { throw new Error('boom'); } });
    expect(check?.(throwing)).toBe(false);
    expect(check?.(proxy)).toBe(false);
  });

  it('falls back to closures where the runtime forbids new Function (a CSP)', () => {
    const original = globalThis.Function;
    vi.stubGlobal('Function', function forbidden() {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    try {
      const check = compileRecordCheck(CustomerSchema);
      expect(check?.(sampleCustomer)).toBe(true);
      expect(check?.({ ...sampleCustomer, __v: -1 })).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(globalThis.Function).toBe(original);
  });

  it('gives up on schemas with rules it does not know, so zod decides', () => {
    expect(compileRecordCheck(LabelSchema)).toBeUndefined(); // color_code has a regex
    expect(compileRecordCheck(z.object({ name: z.string().max(3) }))).toBeUndefined();
    expect(compileRecordCheck(z.object({ email: z.email() }))).toBeUndefined();
    expect(compileRecordCheck(z.looseObject({ name: z.string() }))).toBeUndefined();
    expect(compileRecordCheck(z.object({ n: z.coerce.number() }))).toBeUndefined();
    expect(compileRecordCheck(z.object({ n: z.number() }))).toBeUndefined();
  });
});
