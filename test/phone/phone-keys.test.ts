import fc from 'fast-check';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { type CountryCode, isCountryCode, normalizePhone, phoneKey, phoneKeys } from '../../src/index.js';
import { countryCodeProblem, parserReadings, phoneReadings } from '../../src/contract/phone-keys.js';
import { phoneCases } from '../support/phone-numbers.js';

describe.each(phoneCases)('phoneKeys for $country $e164', ({ country, e164, spellings, others }) => {
  const options = { defaultCountry: country };

  it.each(spellings)('%j has the E.164 digits as its key, first of its keys', (spelling) => {
    expect(phoneKey(spelling, options)).toBe(e164);
    expect(phoneKeys(spelling, options)[0]).toBe(e164);
  });

  it('every spelling, stored as digits, is among the keys of every other spelling (what a database matches)', () => {
    for (const asked of spellings) {
      const keys = phoneKeys(asked, options);
      for (const stored of spellings) expect(keys, `${stored} asked as ${asked}`).toContain(normalizePhone(stored));
    }
  });

  it.each(others)('%j shares no key with any spelling', (other) => {
    expect(phoneKey(other, options)).not.toBe(e164);
    const otherKeys = phoneKeys(other, options);
    for (const spelling of spellings) {
      expect(otherKeys).not.toContain(normalizePhone(spelling));
      expect(phoneKeys(spelling, options)).not.toContain(normalizePhone(other));
    }
  });
});

describe('phoneKeys', () => {
  it('lists E.164, national with and without the trunk prefix, +CC (0)… and IDD-prefixed digits, in that order', () => {
    expect(phoneKeys('0300 1234567', { defaultCountry: 'PK' })).toStrictEqual(['923001234567', '03001234567', '3001234567', '9203001234567', '00923001234567']);
    // The US trunk prefix 1 makes national-with-trunk the E.164 digits; its IDD prefix is 011.
    expect(phoneKeys('(415) 555-2671', { defaultCountry: 'US' })).toStrictEqual(['14155552671', '4155552671', '01114155552671']);
  });

  it('adds no trunk-prefix keys for a country without a trunk prefix (Italy keeps its 0 in the number)', () => {
    expect(phoneKeys('06 1234 5678', { defaultCountry: 'IT' })).toStrictEqual(['390612345678', '0612345678', '00390612345678']);
    expect(phoneKeys('+39 06 1234 5678', { defaultCountry: 'IT' })).toStrictEqual(['390612345678', '0612345678', '00390612345678']);
  });

  it('gives a number of another country no national keys: national digits of the default country mean its own numbers', () => {
    expect(phoneKeys('+44 20 7946 0958', { defaultCountry: 'PK' })).toStrictEqual(['442079460958', '00442079460958']);
    expect(phoneKeys('0044 20 7946 0958', { defaultCountry: 'PK' })).toStrictEqual(['442079460958', '00442079460958']);
  });

  it('keeps the digits as written as a last key when they are no other key', () => {
    // '00' is not the US international prefix, but someone may have stored it that way.
    expect(phoneKeys('+44 7911 123456', { defaultCountry: 'US' })).toStrictEqual(['447911123456', '011447911123456']);
    expect(phoneKeys('+92 (0) 300 1234567', { defaultCountry: 'GB' })).toStrictEqual(['923001234567', '00923001234567', '9203001234567']);
  });

  it.each([
    ['15', '15'],
    ['1111', '1111'],
    ['+92 300 1234567 ext. 12', '92300123456712'],
    ['abc', ''],
    ['+', ''],
    ['', ''],
    ['+999 1234', '9991234'],
  ])('falls back to the digits for %j, which the country rules do not accept', (phone, digits) => {
    expect(phoneKeys(phone, { defaultCountry: 'PK' })).toStrictEqual([digits]);
    expect(phoneKey(phone, { defaultCountry: 'PK' })).toBe(digits);
  });

  it('is the digits alone without defaultCountry, as before', () => {
    for (const { spellings } of phoneCases) {
      for (const spelling of spellings) {
        expect(phoneKeys(spelling)).toStrictEqual([normalizePhone(spelling)]);
        expect(phoneKeys(spelling, {})).toStrictEqual([normalizePhone(spelling)]);
        expect(phoneKey(spelling)).toBe(normalizePhone(spelling));
      }
    }
  });

  it('refuses a country it does not know, naming the option', () => {
    expect(() => phoneKeys('0300 1234567', { defaultCountry: 'XX' as 'PK' })).toThrow(/^defaultCountry must be an ISO 3166-1 alpha-2 country code .*"XX"$/);
    expect(() => phoneKey('0300 1234567', { defaultCountry: 'pk' as 'PK' })).toThrow(RangeError);
  });
});

describe('isCountryCode', () => {
  it.each(['PK', 'GB', 'US', 'AE', 'IN', 'DE'])('accepts %s', (code) => expect(isCountryCode(code)).toBe(true));
  it.each(['pk', 'XX', 'PAK', '', ' PK', 'P', 92, null, undefined])('refuses %j', (code) => expect(isCountryCode(code)).toBe(false));
  it('names the option and quotes a short value in its message', () => {
    expect(countryCodeProblem('--default-country', 'Pakistan')).toBe(
      '--default-country must be an ISO 3166-1 alpha-2 country code such as PK, GB or US; got "Pakistan"',
    );
  });
});

/**
 * What the parser path says (libphonenumber-js's parse of each reading, valid before possible):
 * the oracle for the fast paths, which must give the same readings in the same order.
 */
function parserKey(phone: string, defaultCountry: CountryCode): string {
  expect(phoneReadings(phone, { defaultCountry }), `readings of ${phone} in ${defaultCountry}`).toStrictEqual(parserReadings(phone, defaultCountry));
  return parserReadings(phone, defaultCountry)[0] as string;
}

describe('the fast path for +numbers', () => {
  const callingCodes = [...new Set(getCountries().map((country) => getCountryCallingCode(country)))];
  const separator = fc.constantFrom('', '', '', ' ', '-', '.', '/', '(', ')', ' (0) ');
  const plusNumber = fc
    .tuple(fc.constantFrom(...callingCodes, '0', '99', '888'), fc.array(fc.tuple(separator, fc.stringMatching(/^\d{1,4}$/)), { minLength: 1, maxLength: 5 }))
    .map(([code, groups]) => `+${code}${groups.map(([sep, digits]) => sep + digits).join('')}`);

  it('gives the key the parser gives, for +numbers of every calling code, trunk prefixes and formatting included', () => {
    fc.assert(
      fc.property(plusNumber, fc.constantFrom('PK', 'GB', 'US', 'AE', 'IN', 'DE', 'RU', 'AR', 'BR', 'AU'), (phone, country) => {
        expect(phoneKey(phone, { defaultCountry: country })).toBe(parserKey(phone, country));
      }),
      { numRuns: 3000 },
    );
  });

  // Numbers without `+`: national (trunk prefix or not), international digits, IDD-prefixed,
  // built from real calling codes and the countries' own trunk and IDD prefixes, so that every
  // branch of the fast path (and its hand-overs to the parser) is taken.
  const COUNTRIES: readonly CountryCode[] = ['PK', 'GB', 'US', 'AE', 'IN', 'DE', 'FR', 'CH', 'AT', 'HU', 'BY', 'SA', 'NG', 'CN', 'JP', 'BR', 'AR', 'MX', 'AU', 'RU', 'CA', 'JE', 'KZ', 'IT', 'FI'];
  const localNumber = fc
    .tuple(
      fc.constantFrom('', '', '0', '00', '011', '0011', '06', '8', '80', '810', '1', '9'),
      fc.oneof(fc.constant(''), fc.constantFrom(...callingCodes)),
      fc.array(fc.tuple(separator.filter((sep) => !sep.includes('0')), fc.stringMatching(/^\d{1,4}$/)), { minLength: 1, maxLength: 5 }),
    )
    .map(([prefix, code, groups]) => `${prefix}${code}${groups.map(([sep, digits]) => sep + digits).join('')}`);

  it('gives the key the parser gives for national, bare international and IDD-prefixed numbers', () => {
    fc.assert(
      fc.property(localNumber, fc.constantFrom(...COUNTRIES), (phone, country) => {
        expect(phoneKey(phone, { defaultCountry: country })).toBe(parserKey(phone, country));
      }),
      { numRuns: 20000 },
    );
  });

  it('gives the key the parser gives for full-length national numbers of countries that share a calling code', () => {
    // Random digits of real lengths, with and without the trunk prefix: mostly valid numbers, so
    // the choice of region (GB or Jersey, the US or Canada) and the number types are exercised.
    const national = fc.tuple(fc.constantFrom('', '0', '1', '8'), fc.stringMatching(/^[1-9]\d{8,10}$/)).map(([trunk, rest]) => trunk + rest);
    fc.assert(
      fc.property(national, fc.constantFrom<CountryCode>('GB', 'US', 'IT', 'AU', 'RU', 'FR', 'GP', 'MA', 'NO'), (phone, country) => {
        expect(phoneKey(phone, { defaultCountry: country })).toBe(parserKey(phone, country));
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees with the parser on the examples of every country', () => {
    for (const { spellings, country } of phoneCases) {
      for (const spelling of spellings) expect(phoneKey(spelling, { defaultCountry: country })).toBe(parserKey(spelling, country));
    }
  });
});
