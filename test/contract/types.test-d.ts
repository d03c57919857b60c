import type { IsEqual } from 'type-fest';
import { describe, expectTypeOf, it } from 'vitest';
import type { Customer, CustomerQuery, Label, Problem } from '../../src/index.js';
import type * as z from 'zod';
import { CustomerQuerySchema, CustomerSchema, LabelSchema, validateCustomer, validateLabelList } from '../../src/index.js';

/** The customer exactly as CONTRACT.md's table has it. */
interface ContractCustomer {
  _id: string;
  labels: string[];
  phone1: string;
  phone2: string;
  phone3: string;
  phone4: string;
  phone5: string;
  first_name: string;
  last_name: string;
  email: string;
  created_by: string;
  updated_by: string;
  createdAt: string;
  updatedAt: string;
  __v: number;
}

/** The label exactly as CONTRACT.md's table has it. */
interface ContractLabel {
  _id: string;
  name: string;
  color_code: string;
  created_by: string;
  updated_by: string;
  createdAt: string;
  updatedAt: string;
  __v: number;
}

describe('the inferred types', () => {
  it('Customer is the contract customer, and what CustomerSchema parses', () => {
    expectTypeOf<Customer>().toEqualTypeOf<ContractCustomer>();
    expectTypeOf<Customer>().toEqualTypeOf<z.output<typeof CustomerSchema>>();
  });

  it('Label is the contract label, and what LabelSchema parses', () => {
    expectTypeOf<Label>().toEqualTypeOf<ContractLabel>();
    expectTypeOf<Label>().toEqualTypeOf<z.output<typeof LabelSchema>>();
  });

  it('Problem has the RFC 9457 members and allows extensions', () => {
    expectTypeOf<Problem>().toHaveProperty('type').toEqualTypeOf<string>();
    expectTypeOf<Problem>().toHaveProperty('title').toEqualTypeOf<string>();
    expectTypeOf<Problem>().toHaveProperty('status').toEqualTypeOf<number>();
    expectTypeOf<Problem>().toHaveProperty('detail').toEqualTypeOf<string>();
    expectTypeOf<Problem['instance']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<{ type: string; title: string; status: number; detail: string; traceId: string }>().toExtend<Problem>();
  });

  it('CustomerQuery is the phone, its digits and, from the handlers, its phone keys', () => {
    expectTypeOf<IsEqual<CustomerQuery, { phone: string; normalizedPhone: string; phoneKeys?: readonly string[] | undefined }>>().toEqualTypeOf<true>();
    // Written out for its hover docs, it stays what the schema parses.
    expectTypeOf<IsEqual<CustomerQuery, z.output<typeof CustomerQuerySchema>>>().toEqualTypeOf<true>();
  });

  it('validation results narrow by mode', () => {
    const strict = validateCustomer({});
    if (strict.ok) expectTypeOf(strict.value).toEqualTypeOf<Customer>();
    else expectTypeOf(strict.issues[0]!.path).toEqualTypeOf<string>();
    const lenient = validateCustomer({}, { mode: 'lenient' });
    if (lenient.ok) {
      expectTypeOf(lenient.value._id).toEqualTypeOf<string>();
      expectTypeOf(lenient.value.labels).toEqualTypeOf<string[]>();
      expectTypeOf(lenient.value['createdAt']).toEqualTypeOf<unknown>();
    }
    const labels = validateLabelList([]);
    if (labels.ok) expectTypeOf(labels.value).toEqualTypeOf<Label[]>();
  });
});
