import fc from 'fast-check';
import { getCountryCallingCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { type CountryCode, createConnector, createMemoryRepository, normalizePhone, sampleCustomer, sampleLabels } from '../../src/index.js';
import { askedFirstReading, askedReadings, parserReadings, phoneReadings } from '../../src/contract/phone-keys.js';
import { phoneCases } from '../support/phone-numbers.js';

const countries = [...new Set(phoneCases.map((phoneCase) => phoneCase.country))];

/**
 * Numbers of the test countries, spelt as asked: `+` and E.164 digits (Hybrid Chat's), bare
 * digits with the calling code (WhatsApp's, Mexico's legacy `1` included), national with and
 * without the trunk prefix, IDD-prefixed, formatted; national parts of real numbers with digits
 * changed and lengths off by up to two, so valid, possible and impossible numbers all occur.
 */
const askedNumber = fc
  .tuple(
    fc.constantFrom(...phoneCases),
    fc.constantFrom('+CC', 'CC', 'CC', 'CC1', '0', '', '00CC', '+CC 0', 'CC0'),
    fc.integer({ min: -2, max: 2 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 20, maxLength: 20 }),
    fc.nat(),
    fc.constantFrom('', '', ' ', '-'),
  )
  .map(([phoneCase, prefix, lengthChange, random, changes, separator]) => {
    const callingCode = getCountryCallingCode(phoneCase.country);
    const national = phoneCase.e164.slice(callingCode.length);
    // Keep the real number's first digits most of the time (its ranges), change the rest.
    const kept = Math.min(national.length, changes % (national.length + 1));
    const length = Math.max(1, national.length + lengthChange);
    const digits = (national.slice(0, kept) + random.join('')).slice(0, length);
    return { country: phoneCase.country, phone: prefix === '' ? digits : prefix.replace('CC', callingCode) + separator + digits };
  });

describe('the first reading of an asked number (askedFirstReading) and its readings from known digits (askedReadings)', () => {
  it('are the readings and first reading phoneReadings and the parser give, for numbers of the 15 test countries in every spelling', () => {
    fc.assert(
      fc.property(askedNumber, fc.constantFrom(...countries), fc.boolean(), ({ country: own, phone }, other, inOwn) => {
        const country: CountryCode = inOwn ? own : other;
        const readings = phoneReadings(phone, { defaultCountry: country });
        expect(parserReadings(phone, country), `${phone} in ${country}`).toStrictEqual(readings);
        expect(askedReadings(phone, normalizePhone(phone), country), `${phone} in ${country}`).toStrictEqual(readings);
        const first = askedFirstReading(phone, normalizePhone(phone), country);
        if (first !== undefined) expect(first, `${phone} in ${country}`).toBe(readings[0]);
      }),
      { numRuns: 4000 },
    );
  });

  it('takes the number from phone when the digits given are not its own', () => {
    fc.assert(
      fc.property(askedNumber, fc.stringMatching(/^\d{0,14}$/), ({ country, phone }, wrong) => {
        const readings = phoneReadings(phone, { defaultCountry: country });
        expect(askedReadings(phone, wrong, country)).toStrictEqual(readings);
        const first = askedFirstReading(phone, wrong, country);
        if (first !== undefined) expect(first).toBe(readings[0]);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the shortcut for Hybrid Chat\'s +E.164 and WhatsApp\'s digits of valid numbers', () => {
    expect(askedFirstReading('+923001234567', '923001234567', 'PK')).toBe('923001234567');
    expect(askedFirstReading('923001234567', '923001234567', 'PK')).toBe('923001234567');
    expect(askedFirstReading('4915112345678', '4915112345678', 'DE')).toBe('4915112345678');
    // A legacy form (Mexico's 521…) and a national spelling: the full readings.
    expect(askedFirstReading('5215512345678', '5215512345678', 'MX')).toBeUndefined();
    expect(askedFirstReading('03001234567', '03001234567', 'PK')).toBeUndefined();
  });
});

describe('the memory repository with a defaultCountry, looked up over the connector', () => {
  it('answers every asked spelling as the reading-by-reading lookup does, when stored numbers of several readings overlap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(askedNumber, { minLength: 1, maxLength: 12 }), fc.array(askedNumber, { minLength: 1, maxLength: 12 }), async (stored, asked) => {
        const country: CountryCode = stored[0]!.country;
        // One customer per distinct first reading (a shared number is an error, not this test's subject).
        const byKey = new Map<string, string>();
        for (const { phone } of stored) {
          const key = phoneReadings(phone, { defaultCountry: country })[0]!;
          if (key !== '' && !byKey.has(key)) byKey.set(key, phone);
        }
        const customers = [...byKey.values()].map((phone, at) => ({ ...sampleCustomer, _id: `c${at}`, phone1: phone, phone2: '', phone3: '', phone4: '', phone5: '' }));
        // The reference: the first reading of the asked number under which a customer is indexed
        // (first readings before further ones, as the repository indexes them).
        const first = new Map<string, string>();
        const further = new Map<string, string>();
        for (const customer of customers) {
          const [key, ...rest] = phoneReadings(customer.phone1, { defaultCountry: country });
          first.set(key!, customer._id);
          for (const other of rest) if (!further.has(other)) further.set(other, customer._id);
        }
        const owner = (key: string) => first.get(key) ?? further.get(key);
        const connector = createConnector({ repository: createMemoryRepository({ customers, labels: sampleLabels }, { defaultCountry: country }), defaultCountry: country });
        for (const { phone } of [...asked, ...stored]) {
          const digits = normalizePhone(phone);
          if (digits === '' || digits.length > 15) continue;
          const expected = phoneReadings(phone, { defaultCountry: country }).map(owner).find((id) => id !== undefined);
          for (const spelling of phone.startsWith('+') ? [phone] : [phone, `+${digits}`]) {
            const response = await connector.handle({ url: `/customer?query=phone:${encodeURIComponent(spelling)}` });
            const got = response.status === 200 ? (JSON.parse(response.body as string) as { _id: string })._id : undefined;
            const want = spelling === phone ? expected : phoneReadings(spelling, { defaultCountry: country }).map(owner).find((id) => id !== undefined);
            expect(got, `${spelling} in ${country}`).toBe(want);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
