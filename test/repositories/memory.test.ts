import { describe, expect, it } from 'vitest';
import {
  DataSetError,
  createMemoryRepository,
  normalizePhone,
  sampleCustomer,
  sampleDataSet,
  sampleLabels,
  samplePhones,
  type MemoryDataSet,
} from '../../src/index.js';

const phoneQuery = (phone: string) => ({ phone, normalizedPhone: normalizePhone(phone) });

function dataSetError(data: unknown): DataSetError {
  try {
    createMemoryRepository(data as MemoryDataSet);
  } catch (error) {
    if (error instanceof DataSetError) return error;
    throw error;
  }
  throw new Error('expected a DataSetError');
}

describe('createMemoryRepository', () => {
  const repository = createMemoryRepository(sampleDataSet);

  it('finds a customer by any spelling of any of its five phone fields', () => {
    const customer = { ...sampleCustomer, _id: 'many', phone1: '+92 300-1234567', phone2: '(021) 555 0101', phone5: '0044 20 7946 0000' };
    const many = createMemoryRepository({ customers: [customer], labels: [] });
    for (const phone of ['923001234567', '+923001234567', '0215550101', '00442079460000']) {
      expect(many.findCustomerByPhone(phoneQuery(phone))).toBe(customer);
    }
    expect(many.findCustomerByPhone(phoneQuery('1234567'))).toBeNull();
  });

  it('serves the labels as given and counts what it holds', () => {
    expect(repository.listLabels()).toStrictEqual([...sampleLabels]);
    expect(repository.listLabels()).toBe(repository.listLabels());
    expect(repository.customerCount).toBe(sampleDataSet.customers.length);
    expect(repository.labelCount).toBe(5);
  });

  it('names the record and field of every contract violation', () => {
    const error = dataSetError({
      customers: [sampleCustomer, { ...sampleCustomer, phone1: '2', createdAt: '18/06/2020' }, { ...sampleCustomer, phone1: '3', labels: 'Gold' }],
      labels: [sampleLabels[0], { ...sampleLabels[1], color_code: 'grey' }],
    });
    expect(error.message).toMatch(/^invalid data set: 3 problems/);
    expect(error.message).toContain('customers[1].createdAt: expected an ISO 8601 date-time');
    expect(error.message).toContain('customers[2].labels: expected an array');
    expect(error.message).toContain('labels[1].color_code: expected a colour');
    expect(error.issues.map((issue) => issue.path)).toEqual(['$.labels[1].color_code', '$.customers[1].createdAt', '$.customers[2].labels']);
  });

  it('refuses duplicate label ids and two customers sharing a number', () => {
    expect(dataSetError({ customers: [], labels: [sampleLabels[0], sampleLabels[0]] }).message).toContain('labels[1]._id: duplicate label id');
    const shared = dataSetError({ customers: [sampleCustomer, { ...sampleCustomer, _id: 'other', phone1: '', phone4: '1-1-1-1' }], labels: [] });
    expect(shared.message).toContain('customers[1].phone4: the same number as customers[0]');
  });

  it.each([
    ['nothing', undefined, /expected \{ customers: \[\.\.\.\], labels: \[\.\.\.\] \}, got nothing/],
    ['an array', [sampleCustomer], /expected \{ customers: \[\.\.\.\], labels: \[\.\.\.\] \}, got an array of 1/],
    ['customers that are not an array', { customers: {}, labels: [] }, /customers: expected an array/],
  ])('refuses %s as the data set', (_case, data, message) => {
    expect(dataSetError(data).message).toMatch(message);
  });

  it('reports duplicate label ids together with field errors, in one path style', () => {
    const error = dataSetError({
      customers: [{ ...sampleCustomer, createdAt: 'yesterday' }],
      labels: [sampleLabels[0], { ...sampleLabels[0], color_code: 'red' }],
    });
    expect(error.issues.map((issue) => issue.path)).toStrictEqual(['$.labels[1].color_code', '$.labels[1]._id', '$.customers[0].createdAt']);
    expect(error.message).toContain(`labels[1]._id: duplicate label id "${sampleLabels[0]!._id}": labels[0] has it too`);
  });

  it('lists at most 20 problems in its message', () => {
    const customers = Array.from({ length: 30 }, (_, index) => ({ ...sampleCustomer, phone1: String(index), __v: -1 }));
    const error = dataSetError({ customers, labels: [] });
    expect(error.issues).toHaveLength(30);
    expect(error.message).toContain('… and 10 more');
  });
});

describe('sampleDataSet', () => {
  const repository = createMemoryRepository(sampleDataSet);
  const labelIds = new Set(sampleLabels.map((label) => label._id));
  const find = (phone: string) => repository.findCustomerByPhone(phoneQuery(phone));
  const labelNames = (phone: string) => find(phone)?.labels.map((id) => sampleLabels.find((label) => label._id === id)?.name);

  it('holds the seed customer and labels verbatim', () => {
    expect(find(samplePhones.gold)).toStrictEqual(sampleCustomer);
    expect(sampleDataSet.labels).toStrictEqual(sampleLabels);
  });

  it('covers each case its documentation names', () => {
    expect(labelNames(samplePhones.vip)).toEqual(['Vip']);
    expect(find(samplePhones.vip)?.phone1).toBe('+923001234567');
    expect(labelNames(samplePhones.severalLabels)).toEqual(['Silver', 'Gold', 'Vvip']);
    expect(find(samplePhones.noLabel)?.labels).toEqual([]);
    expect(find(samplePhones.unknownLabel)?.labels.some((id) => !labelIds.has(id))).toBe(true);
    const onPhone3 = find(samplePhones.onPhone3);
    expect(normalizePhone(onPhone3?.phone3 ?? '')).toBe(normalizePhone(samplePhones.onPhone3));
    expect(normalizePhone(onPhone3?.phone1 ?? '')).not.toBe(normalizePhone(samplePhones.onPhone3));
    expect(labelNames(samplePhones.platinum)).toEqual(['platinum ']);
  });
});

describe('createMemoryRepository with records that cannot be read', () => {
  it('names the record whose getter throws, and never lets its error escape', () => {
    const hostile = Object.defineProperty({ ...sampleCustomer, phone1: '5555' }, '__v', {
      get() {
        throw new Error('boom SECRETINTERNAL');
      },
      enumerable: true,
    });
    let error: unknown;
    try {
      createMemoryRepository({ customers: [sampleCustomer, hostile as never], labels: [...sampleLabels] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataSetError);
    expect((error as DataSetError).message).toContain('customers[1]: could not be read');
    expect((error as DataSetError).message).not.toContain('SECRETINTERNAL');
  });
});
