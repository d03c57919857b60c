import { normalizePhone } from '../contract/phone.js';
import { type CountryCode, phoneKey, phoneKeys } from '../contract/phone-keys.js';
import { planOf } from '../contract/phone-plans.js';
import type { PhoneForm } from './schema.js';

/**
 * The spellings of an asked number a CRM search may need: `e164` `+923001234567`,
 * `international` `923001234567`, `national` `03001234567` (only for a number of
 * `defaultCountry`) and `asked` as received. Without a country, or for a number the rules do not
 * accept, `e164` and `international` are the digits (with and without `+`) and there is no `national`.
 */
export function phoneForms(asked: string, defaultCountry: CountryCode | undefined, keys: readonly string[] = phoneKeys(asked, defaultCountry === undefined ? {} : { defaultCountry })): Readonly<Record<PhoneForm, string | undefined>> {
  const digits = normalizePhone(asked);
  // phoneKeys parsed the number already: a valid one has its E.164 digits first, then (for a
  // number of the country) the national form with the trunk prefix, when the country has one.
  if (defaultCountry !== undefined && keys.length > 1) {
    const plan = planOf(defaultCountry);
    const e164 = keys[0]!;
    const ofCountry = e164.startsWith(plan.callingCode) && keys[1] === plan.trunk + e164.slice(plan.callingCode.length);
    return { e164: `+${e164}`, international: e164, national: ofCountry && plan.trunk !== '' ? keys[1] : undefined, asked };
  }
  return { e164: digits === '' ? undefined : `+${digits}`, international: digits === '' ? undefined : digits, national: undefined, asked };
}

/**
 * The last `count` digits of a number (`lookup.lastDigits`): what an "ends with" search needs to
 * find it however the CRM stores it formatted (`0300 2223344` ends with `2223344`). Of a valid
 * number these are the end of its national significant number; `undefined` for a number without digits.
 */
export function lastDigits(forms: Readonly<Record<PhoneForm, string | undefined>>, count: number): string | undefined {
  const digits = forms.international;
  return digits === undefined || digits === '' ? undefined : digits.slice(-count);
}

/** The forms a profile asks for, in its order, without repeats or absent ones. */
export function pickForms(forms: Readonly<Record<PhoneForm, string | undefined>>, wanted: readonly PhoneForm[]): string[] {
  return [...new Set(wanted.map((form) => forms[form]).filter((value): value is string => value !== undefined && value !== ''))];
}

/**
 * A checker of stored numbers against the asked one: a stored number matches when its key (or
 * its digits) is one of the asked number's `phoneKeys`, so `0300-1234567` stored matches
 * `923001234567` asked with `defaultCountry: 'PK'`, and a fuzzy hit on `0300-1234568` does not.
 * `keyOf` is `phoneKey` with `defaultCountry` (a caller may keep its answers).
 */
export function phoneMatcher(
  askedKeys: readonly string[],
  defaultCountry: CountryCode | undefined,
  keyOf: (stored: string) => string = (stored) => phoneKey(stored, defaultCountry === undefined ? {} : { defaultCountry }),
): (stored: string) => boolean {
  const keys = new Set(askedKeys.filter((key) => key !== ''));
  return (stored) => {
    if (stored === '') return false;
    const digits = normalizePhone(stored);
    return keys.has(digits) || keys.has(keyOf(stored));
  };
}

export { phoneKeys };
