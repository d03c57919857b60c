import { describe, expect, it } from 'vitest';
import {
  type Customer,
  createMemoryRepository,
  DataSetError,
  normalizePhone,
  sampleCustomer,
  sampleDataSet,
  samplePhones,
} from '../../src/index.js';
import { phoneCases } from '../support/phone-numbers.js';

const ask = (phone: string) => ({ phone, normalizedPhone: normalizePhone(phone) });
const customer = (_id: string, phones: Partial<Customer>): Customer => ({ ...sampleCustomer, _id, phone1: '', ...phones });
/** A neighbour with a number of its own, so that a lookup has more than one customer to confuse. */
const neighbour = customer('neighbour', { phone1: '+92 321 7654321' });

describe.each(phoneCases)('memory repository with defaultCountry $country, number $e164', ({ country, spellings, others }) => {
  it.each(spellings)('stored as %j, it is found by every spelling and by no other number', (stored) => {
    const owner = customer('owner', { phone2: stored });
    const repository = createMemoryRepository({ customers: [neighbour, owner], labels: [] }, { defaultCountry: country });
    for (const asked of spellings) expect(repository.findCustomerByPhone(ask(asked)), `asked as ${asked}`).toBe(owner);
    for (const other of others) expect(repository.findCustomerByPhone(ask(other)), `asked as ${other}`).toBeNull();
  });

  it('reports two customers whose spellings are one number when the data is loaded', () => {
    const customers = spellings.slice(0, 3).map((phone, index) => customer(`c${index}`, { phone1: phone }));
    let error: unknown;
    try {
      createMemoryRepository({ customers, labels: [] }, { defaultCountry: country });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DataSetError);
    expect((error as DataSetError).issues.map((issue) => [issue.path, issue.message])).toStrictEqual([
      ['$.customers[1].phone1', 'the same number as customers[0]: a lookup would be ambiguous'],
      ['$.customers[2].phone1', 'the same number as customers[0]: a lookup would be ambiguous'],
    ]);
  });
});

describe('memory repository with defaultCountry', () => {
  it('lets one customer hold two spellings of its own number', () => {
    const owner = customer('owner', { phone1: '0300-1234567', phone3: '+92 300 1234567' });
    const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: 'PK' });
    expect(repository.findCustomerByPhone(ask('923001234567'))).toBe(owner);
  });

  it('keeps numbers the country rules do not accept under their digits, and serves the sample data as before', () => {
    const shortCode = customer('short', { phone1: '15' });
    const extension = customer('extension', { phone1: '+92 21 1234 5678 ext. 12' });
    const full = customer('full', { phone1: '+92 21 1234 5678' });
    const repository = createMemoryRepository({ customers: [shortCode, extension, full], labels: [] }, { defaultCountry: 'PK' });
    expect(repository.findCustomerByPhone(ask('15'))).toBe(shortCode);
    expect(repository.findCustomerByPhone(ask('92211234567812'))).toBe(extension);
    expect(repository.findCustomerByPhone(ask('021 1234 5678'))).toBe(full);
    expect(repository.findCustomerByPhone(ask('12'))).toBeNull();

    const sample = createMemoryRepository(sampleDataSet, { defaultCountry: 'PK' });
    for (const phone of Object.values(samplePhones)) expect(sample.findCustomerByPhone(ask(phone))).not.toBeNull();
    expect(sample.findCustomerByPhone(ask('1111'))?._id).toBe(sampleCustomer._id);
  });

  it('compares digits only without it, exactly as before: spellings with other digits are other numbers', () => {
    const owner = customer('owner', { phone1: '0300-1234567' });
    const twin = customer('twin', { phone1: '+92 300 1234567' });
    const repository = createMemoryRepository({ customers: [owner, twin], labels: [] });
    expect(repository.findCustomerByPhone(ask('03001234567'))).toBe(owner);
    expect(repository.findCustomerByPhone(ask('+923001234567'))).toBe(twin);
    expect(repository.findCustomerByPhone(ask('0092 300 1234567'))).toBeNull();
  });

  it.each(['XX', 'pk', 'Pakistan'])('refuses defaultCountry %j at once, naming the option', (defaultCountry) => {
    expect(() => createMemoryRepository({ customers: [], labels: [] }, { defaultCountry: defaultCountry as 'PK' })).toThrow(
      /^defaultCountry must be an ISO 3166-1 alpha-2 country code/,
    );
  });
});
