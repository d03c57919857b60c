import fc from 'fast-check';
import { getCountryCallingCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { type Customer, createMemoryRepository, DataSetError, normalizePhone, phoneKey, phoneKeys, sampleCustomer } from '../../src/index.js';
import { type PhoneCase, phoneCases } from '../support/phone-numbers.js';

const ask = (phone: string) => ({ phone, normalizedPhone: normalizePhone(phone) });
const customer = (_id: string, fields: Partial<Customer> & Record<string, unknown>): Customer => ({ ...sampleCustomer, _id, phone1: '', ...fields });

describe("WhatsApp's digits (the refId of a WhatsApp chat)", () => {
  it('the shared table covers at least 12 countries, each with its WhatsApp digits among its spellings', () => {
    expect(new Set(phoneCases.map((entry) => entry.country)).size).toBeGreaterThanOrEqual(12);
    for (const { whatsapp, spellings, country } of phoneCases) {
      expect(whatsapp.length, country).toBeGreaterThan(0);
      for (const digits of whatsapp) expect(spellings, country).toContain(digits);
    }
  });

  it('finds a German mobile stored as 0151 12345678 by 4915112345678 (the digits also read as a long national number)', () => {
    const owner = customer('de', { phone1: '0151 12345678' });
    const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: 'DE' });
    expect(repository.findCustomerByPhone(ask('4915112345678'))).toBe(owner);
    const keys = phoneKeys('4915112345678', { defaultCountry: 'DE' });
    // Both readings, international first: a database row storing either spelling is found.
    expect(keys[0]).toBe('4915112345678');
    expect(keys).toContain('015112345678');
    expect(keys).toContain('04915112345678');
    expect(keys.indexOf('015112345678')).toBeLessThan(keys.indexOf('04915112345678'));
  });

  it('keeps the national reading too: a German number stored as 0491 5112345678 is still found by 04915112345678', () => {
    const owner = customer('oldenburg', { phone1: '0491 5112345678' });
    const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: 'DE' });
    expect(repository.findCustomerByPhone(ask('04915112345678'))).toBe(owner);
    // Asked as bare digits, the international reading comes first but the national one still finds it.
    expect(repository.findCustomerByPhone(ask('4915112345678'))).toBe(owner);
  });

  it('prefers the international reading when both readings are customers', () => {
    const mobile = customer('mobile', { phone1: '+49 151 12345678' });
    const landline = customer('landline', { phone1: '0491 5112345678' });
    const repository = createMemoryRepository({ customers: [landline, mobile], labels: [] }, { defaultCountry: 'DE' });
    expect(repository.findCustomerByPhone(ask('4915112345678'))).toBe(mobile);
    expect(repository.findCustomerByPhone(ask('0491 5112345678'))).toBe(landline);
  });

  it.each([
    ['MX', '5215512345678', '55 1234 5678', '525512345678'],
    ['MX', '525512345678', '+52 1 55 1234 5678', '525512345678'],
    ['MX', '00 52 1 55 1234 5678', '55 1234 5678', '525512345678'],
    ['BR', '553188887777', '(31) 98888-7777', '5531988887777'],
    ['BR', '5531988887777', '+55 31 8888-7777', '5531988887777'],
    ['CI', '22507123456', '07 07 12 34 56', '2250707123456'],
    ['AR', '5491123456789', '011 15-2345-6789', '5491123456789'],
  ] as const)('%s: a legacy WhatsApp form and the current one are one number (%s asked, %s stored)', (country, asked, stored, e164) => {
    const owner = customer('owner', { phone1: stored });
    const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: country });
    expect(repository.findCustomerByPhone(ask(asked))).toBe(owner);
    expect(phoneKey(asked, { defaultCountry: country })).toBe(e164);
    expect(phoneKeys(asked, { defaultCountry: country })).toContain(normalizePhone(stored));
  });

  it('reads a number the metadata does not know (UK 07700 900xxx, reserved) in every spelling, and no other', () => {
    const owner = customer('reserved', { phone1: '07700 900123' });
    const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: 'GB' });
    for (const asked of ['+44 7700 900123', '447700900123', '0044 7700 900123', '07700900123']) {
      expect(repository.findCustomerByPhone(ask(asked)), asked).toBe(owner);
      expect(phoneKeys(asked, { defaultCountry: 'GB' }), asked).toContain('07700900123');
    }
    expect(repository.findCustomerByPhone(ask('07700 900124'))).toBeNull();
  });
});

describe('a country per record (countryField)', () => {
  const data = {
    customers: [
      customer('uk', { phone1: '07911 123456', country: 'GB' }),
      customer('london', { phone1: '020 7946 0958', country: '+44' }),
      customer('dubai', { phone1: '050 123 4567', country: 'ae' }),
      customer('karachi', { phone1: '0300 1234567', country: '' }),
      customer('lahore', { phone1: '0321 7654321' }),
    ],
    labels: [],
  };
  const repository = createMemoryRepository(data, { defaultCountry: 'PK', countryField: 'country' });

  it.each([
    ['447911123456', 'uk'],
    ['+44 7911 123456', 'uk'],
    ['442079460958', 'london'],
    ['971501234567', 'dubai'],
    ['923001234567', 'karachi'],
    ['0300 1234567', 'karachi'],
    ['923217654321', 'lahore'],
  ])('finds %s (customer %s): each record read in its own country, defaultCountry the fallback', (asked, id) => {
    expect(repository.findCustomerByPhone(ask(asked))?._id).toBe(id);
  });

  it('reads a number in the record country only: the UK national digits do not find a Pakistani number', () => {
    expect(repository.findCustomerByPhone(ask('0300 1234567'))?._id).toBe('karachi');
    expect(repository.findCustomerByPhone(ask('+92 7911 123456'))).toBeNull();
  });

  it('refuses a country value that names no country, naming the record and field', () => {
    const bad = { customers: [customer('x', { phone1: '07911 123456', country: 'Britain' })], labels: [] };
    expect(() => createMemoryRepository(bad, { defaultCountry: 'PK', countryField: 'country' })).toThrow(DataSetError);
    try {
      createMemoryRepository(bad, { defaultCountry: 'PK', countryField: 'country' });
    } catch (error) {
      expect((error as DataSetError).issues.map((issue) => issue.path)).toStrictEqual(['$.customers[0].country']);
      expect((error as DataSetError).message).toMatch(/country code \(GB\) or a calling code \(44, \+44\), got "Britain"/);
    }
  });

  it('refuses a countryField that is not a field name', () => {
    expect(() => createMemoryRepository(data, { countryField: '' })).toThrow(/^countryField must be the name of a record field/);
  });
});

/** The same spelling with its separators changed: people write one number many ways. */
const reformatted = (spelling: string) =>
  fc.array(fc.constantFrom(' ', '-', '.', '/', ''), { minLength: 12, maxLength: 12 }).map((separators) => {
    let at = 0;
    return spelling.replace(/[ \-./]/g, () => separators[at++ % separators.length] as string);
  });

/** One digit of the national part changed. */
function oneDigitOff({ e164, country }: PhoneCase, position: number, bump: number): string {
  const start = getCountryCallingCode(country).length;
  const at = start + (position % (e164.length - start));
  const digit = (Number(e164[at]) + 1 + (bump % 9)) % 10;
  return e164.slice(0, at) + String(digit) + e164.slice(at + 1);
}

const OTHER_CODES = ['1', '7', '20', '30', '33', '34', '39', '43', '44', '49', '52', '54', '55', '61', '62', '81', '86', '91', '92', '225', '234', '971'];

describe('every spelling stored × every spelling asked (property)', () => {
  const anyCase = fc.constantFrom(...phoneCases);

  it('finds the customer, and a database keyed by digits would too', () => {
    const pair = anyCase.chain((entry) =>
      fc.tuple(fc.constant(entry), fc.constantFrom(...entry.spellings).chain(reformatted), fc.constantFrom(...entry.spellings).chain(reformatted)),
    );
    fc.assert(
      fc.property(pair, ([{ country }, stored, asked]) => {
        const owner = customer('owner', { phone1: stored });
        const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: country });
        expect(repository.findCustomerByPhone(ask(asked)), `${stored} asked as ${asked}`).toBe(owner);
        expect(phoneKeys(asked, { defaultCountry: country }), `${stored} asked as ${asked}`).toContain(normalizePhone(stored));
      }),
      { numRuns: 1500 },
    );
  });

  it('finds nothing for a number one digit off, or another country with the same national digits', () => {
    const wrong = anyCase.chain((entry) =>
      fc.tuple(
        fc.constant(entry),
        fc.constantFrom(...entry.spellings),
        fc.oneof(
          fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([position, bump, plus]) => `${plus ? '+' : ''}${oneDigitOff(entry, position, bump)}`),
          fc
            .constantFrom(...OTHER_CODES.filter((code) => code !== getCountryCallingCode(entry.country)))
            .map((code) => `+${code} ${entry.e164.slice(getCountryCallingCode(entry.country).length)}`),
        ),
      ),
    );
    fc.assert(
      fc.property(wrong, ([{ country }, stored, asked]) => {
        const owner = customer('owner', { phone1: stored });
        const repository = createMemoryRepository({ customers: [owner], labels: [] }, { defaultCountry: country });
        expect(repository.findCustomerByPhone(ask(asked)), `${stored} asked as ${asked}`).toBeNull();
        expect(phoneKeys(asked, { defaultCountry: country }), `${stored} asked as ${asked}`).not.toContain(normalizePhone(stored));
      }),
      { numRuns: 1500 },
    );
  });
});
