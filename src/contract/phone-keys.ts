import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { MAX_PHONE_LENGTH, normalizePhone } from './phone.js';
import { callingCodes, type CountryPlan, metadata, planOf, rulesOf, trunkPatternOf } from './phone-plans.js';

export type { CountryCode } from 'libphonenumber-js/core';
export { isCountryCode, countryCodeProblem } from './phone-plans.js';

/** A number the country rules accept: its calling code and national significant number. */
interface Parsed {
  callingCode: string;
  national: string;
}

/** `+`, then digits with spaces, `-`, `.`, `/` or parentheses between them: the form Hybrid Chat and most CRMs use. */
const PLUS_FORM = /^\+[\d \-./()]+$/;
const PLUS = 43;

/**
 * The fast path, for `+` numbers: calling codes are prefix-free, so the first one to three digits
 * that are a calling code are it, and when the national part does not start with a trunk prefix
 * the E.164 digits are the digits as written, whether the number is valid or not (an invalid one
 * falls back to its digits, which are the same). `undefined` leaves the decision to the parser.
 */
function fastPlus(phone: string, digits: string): string | undefined {
  if (phone.length > MAX_PHONE_LENGTH || !PLUS_FORM.test(phone)) return undefined;
  for (let length = 1; length <= 3 && length < digits.length; length++) {
    const callingCode = digits.slice(0, length);
    if (callingCodes[callingCode] === undefined) continue;
    const trunk = trunkPatternOf(callingCode);
    return trunk !== null && trunk.test(digits.slice(length)) ? undefined : digits;
  }
  return digits;
}

/** Digits with spaces, `-`, `.`, `/` or parentheses between them, without `+`: national, bare international or IDD-prefixed. */
const LOCAL_FORM = /^[\d \-./()]+$/;

/** The calling code that starts `digits` (calling codes are prefix-free), or undefined. */
function callingCodeOf(digits: string): string | undefined {
  for (let length = 1; length <= 3 && length < digits.length; length++) {
    const callingCode = digits.slice(0, length);
    if (callingCodes[callingCode] !== undefined) return callingCode;
  }
  return undefined;
}

/**
 * The key of an international number given without `+` (after an IDD prefix): its digits when
 * valid, `otherwise` when not, as the parser decides; `undefined` where only the parser can tell.
 */
function fastInternational(international: string, otherwise: string): string | undefined {
  const callingCode = callingCodeOf(international);
  if (callingCode === undefined) return undefined;
  const national = international.slice(callingCode.length);
  const rules = rulesOf(callingCode);
  const trunk = trunkPatternOf(callingCode);
  if (rules === undefined || (trunk !== null && trunk.test(national))) return undefined;
  return rules.valid(national) ? international : otherwise;
}

/**
 * The fast path for numbers without `+`, for a country that has its calling code to itself or
 * is its main country (the US for +1, GB for +44): the steps of libphonenumber-js's parse (IDD
 * prefix, calling code without `+`, trunk prefix, region, validity) with its patterns compiled
 * once; anything unusual (a trunk pattern that rewrites, a carrier code, an unknown calling code,
 * a number that is not valid after its trunk prefix) returns `undefined` and goes to the parser.
 * Checked against the parser by property tests.
 */
function fastLocal(phone: string, digits: string, plan: CountryPlan): string | undefined {
  if (plan.transforms || phone.length > MAX_PHONE_LENGTH || !LOCAL_FORM.test(phone) || digits.length < 2) return undefined;
  const rules = rulesOf(plan.callingCode);
  // A country that is not its calling code's main one (Canada, Jersey): the parser's.
  if (rules === undefined || rules.main !== plan.country) return undefined;
  const idd = plan.iddPattern === null ? null : plan.iddPattern.exec(digits);
  if (idd !== null) {
    const international = digits.slice(idd[0].length);
    // The parser reads `00` followed by `0` as a national number, not as an IDD prefix.
    return international.startsWith('0') ? undefined : fastInternational(international, digits);
  }
  const { trunkPattern, callingCode } = plan;
  if (digits.startsWith(callingCode)) {
    // International digits without `+`, or a national number that starts like the calling
    // code: the parser keeps the calling code off only if that makes an invalid number valid.
    const shorter = digits.slice(callingCode.length);
    if (trunkPattern !== null && (trunkPattern.test(digits) || trunkPattern.test(shorter))) return undefined;
    const strip = (!rules.matchesMain(digits) && rules.matchesMain(shorter)) || rules.tooLong(digits);
    const national = strip ? shorter : digits;
    return rules.valid(national) ? callingCode + national : digits;
  }
  const trunk = trunkPattern === null ? null : trunkPattern.exec(digits);
  if (trunk !== null) {
    // A trunk prefix with a carrier code or more: the parser's.
    if (trunk.length > 1 && trunk.slice(1).some((group) => group !== undefined)) return undefined;
    const national = digits.slice(trunk[0].length);
    // The parser keeps the prefix off when the rest matches and has a possible length.
    const kept = rules.matchesMain(national) && rules.possibleAfterTrunk(national);
    return kept && rules.valid(national) ? callingCode + national : undefined;
  }
  return rules.valid(digits) ? callingCode + digits : digits;
}

/** The number as the country rules read it, or `undefined` when they do not accept it (invalid, or with an extension). */
function parse(phone: string, plan: CountryPlan): Parsed | undefined {
  let number: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    number = parsePhoneNumberFromString(phone, plan.country, metadata);
  } catch {
    return undefined;
  }
  if (number === undefined || number.ext !== undefined || !number.isValid()) return undefined;
  return { callingCode: number.countryCallingCode, national: number.nationalNumber };
}

/**
 * The one key a stored number is indexed under: the E.164 digits when the country rules accept
 * the number, otherwise its digits. Equal for every spelling of one number; the first of
 * {@link phoneKeys}.
 *
 * @example
 * ```ts
 * import { phoneKey } from 'priority-routing-crm';
 * phoneKey('0300-1234567', { defaultCountry: 'PK' }); // '923001234567'
 * phoneKey('0092 300 1234567', { defaultCountry: 'PK' }); // '923001234567'
 * phoneKey('0300-1234567'); // '03001234567': digits only without defaultCountry
 * ```
 */
export function phoneKey(phone: string, options?: { defaultCountry?: CountryCode | undefined }): string {
  const digits = normalizePhone(phone);
  const country = options?.defaultCountry;
  if (country === undefined) return digits;
  const plan = planOf(country);
  const fast = phone.charCodeAt(0) === PLUS ? fastPlus(phone, digits) : fastLocal(phone, digits, plan);
  if (fast !== undefined) return fast;
  const parsed = parse(phone, plan);
  return parsed === undefined ? digits : parsed.callingCode + parsed.national;
}

/**
 * The digit strings under which this number may be stored, E.164 digits first, so that a
 * repository can look it up with `WHERE digits(phone) IN (…)` or one search per key:
 *
 * 1. E.164 digits: `923001234567` (`+92 300 1234567`, `923001234567`);
 * 2. for a number of `defaultCountry`'s calling code, national with the trunk prefix:
 *    `03001234567` (`0300-1234567`), national without it: `3001234567`, and, where the trunk
 *    prefix is `0`, the calling code before it: `9203001234567` (`+92 (0)300 1234567`);
 * 3. with the country's international dialling prefix: `00923001234567` (`0092 300 1234567`;
 *    `011…` from the US);
 * 4. the digits as given, when none of the above is.
 *
 * A number the country rules do not accept (a short code, an extension, too few digits) has
 * only its digits, as has every number without `defaultCountry`: today's comparison.
 *
 * @example
 * ```ts
 * import { phoneKeys } from 'priority-routing-crm';
 * phoneKeys('0300 1234567', { defaultCountry: 'PK' });
 * // ['923001234567', '03001234567', '3001234567', '9203001234567', '00923001234567']
 * phoneKeys('+44 20 7946 0958', { defaultCountry: 'PK' }); // ['442079460958', '00442079460958']
 * phoneKeys('0300 1234567'); // ['03001234567']
 * ```
 */
export function phoneKeys(phone: string, options?: { defaultCountry?: CountryCode | undefined }): string[] {
  const digits = normalizePhone(phone);
  const country = options?.defaultCountry;
  if (country === undefined) return [digits];
  const plan = planOf(country);
  // Always the parser here: which keys a number has depends on whether it is valid, which the
  // fast path of phoneKey never needs to know.
  const parsed = parse(phone, plan);
  if (parsed === undefined) return [digits];
  const { callingCode, national } = parsed;
  const e164 = callingCode + national;
  const keys = [e164];
  if (callingCode === plan.callingCode) {
    if (plan.trunk !== '') keys.push(plan.trunk + national);
    keys.push(national);
    // `+44 (0)20…`: the trunk `0` kept in international form, a common European spelling.
    if (plan.trunk === '0') keys.push(callingCode + plan.trunk + national);
  }
  if (plan.idd !== '') keys.push(plan.idd + e164);
  if (!keys.includes(digits) && digits !== '') keys.push(digits);
  return [...new Set(keys)];
}
