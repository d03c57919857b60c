import {
  type CountryCode,
  Metadata,
  type MetadataJson,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/core';
// The "min" metadata (about 80 kB): calling codes, trunk and international prefixes, possible
// lengths and each country's number pattern, which is all that parsing to E.164 and checking a
// number is valid need. "max" adds number types (mobile, fixed line…) and "mobile" narrows
// validity to mobiles, which would turn landlines in a CRM into unparsable numbers.
import metadataJson from 'libphonenumber-js/min/metadata';
import { MAX_PHONE_LENGTH, normalizePhone } from './phone.js';

export type { CountryCode } from 'libphonenumber-js/core';

const metadata = metadataJson as MetadataJson;

/**
 * Whether `value` is an ISO 3166-1 alpha-2 code (upper case) that {@link phoneKeys} knows the
 * numbering plan of, for checking a `defaultCountry` setting before using it.
 *
 * @example
 * ```ts
 * import { isCountryCode } from 'priority-routing-crm';
 * isCountryCode('PK'); // true
 * isCountryCode('pk'); // false: upper case only
 * isCountryCode('XX'); // false
 * ```
 */
export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value as CountryCode, metadata);
}

/**
 * The message for an unusable `defaultCountry`, naming the option as the caller spells it.
 */
export function countryCodeProblem(option: string, value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value;
  return `${option} must be an ISO 3166-1 alpha-2 country code such as PK, GB or US; got ${shown}`;
}

/**
 * Numbering-plan details libphonenumber-js 1.13 has at run time but leaves out of its types.
 * Absent values come back as `undefined` or as the number `0` (its compact metadata): read them
 * through {@link text}.
 */
interface PlanInternals {
  callingCode(): string;
  IDDPrefix(): unknown;
  defaultIDDPrefix(): unknown;
  nationalPrefix(): unknown;
  nationalPrefixForParsing(): unknown;
  nationalPrefixTransformRule(): unknown;
  nationalNumberPattern(): string;
}

/** A metadata value as a string, '' when absent. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** What keys of a `defaultCountry` are built from, worked out once per country. */
interface CountryPlan {
  country: CountryCode;
  callingCode: string;
  /** The trunk prefix written before national numbers (`0`, or `1` in the US), when it is plain digits. */
  trunk: string;
  /** The international dialling prefix (`00`, `011`) as digits, or '' when the country has none as plain digits. */
  idd: string;
  /** The international dialling prefix as libphonenumber-js matches it (`^(?:00)`). */
  iddPattern: RegExp | null;
  /** The trunk-prefix patterns of every country of the calling code, or null when none has one. */
  trunkPattern: RegExp | null;
  /** Whether the trunk pattern rewrites numbers (Argentina, Brazil…): then only the parser decides. */
  transforms: boolean;
}

const DIGITS = /^\d+$/;
const plans = new Map<string, CountryPlan>();

function numberingPlan(country: CountryCode): PlanInternals {
  const selected = new Metadata(metadata);
  selected.selectNumberingPlan(country);
  return selected.numberingPlan as unknown as PlanInternals;
}

function planOf(country: CountryCode): CountryPlan {
  const known = plans.get(country);
  if (known !== undefined) return known;
  if (!isCountryCode(country)) throw new RangeError(countryCodeProblem('defaultCountry', country));
  const plan = numberingPlan(country);
  const trunk = text(plan.nationalPrefix());
  const idd = text(plan.IDDPrefix());
  const callingCode = plan.callingCode();
  const made: CountryPlan = {
    country,
    callingCode,
    trunk: DIGITS.test(trunk) ? trunk : '',
    idd: DIGITS.test(idd) ? idd : normalizePhone(text(plan.defaultIDDPrefix())),
    // Every country in the metadata has one; an empty pattern would match every number.
    iddPattern: idd === '' ? null : new RegExp(`^(?:${idd})`),
    trunkPattern: trunkPatternOf(callingCode),
    transforms: text(plan.nationalPrefixTransformRule()) !== '',
  };
  plans.set(country, made);
  return made;
}

/**
 * For each calling code, the patterns that libphonenumber-js strips from the start of a national
 * number (the trunk prefix, carrier codes); a `+` number whose national part starts with none of
 * them is never changed by parsing.
 */
const trunkPatterns = new Map<string, RegExp | null>();
const callingCodes = metadata.country_calling_codes as Record<string, readonly CountryCode[]>;

function trunkPatternOf(callingCode: string): RegExp | null {
  const known = trunkPatterns.get(callingCode);
  if (known !== undefined) return known;
  const sources = new Set<string>();
  for (const country of callingCodes[callingCode] ?? []) {
    const source = text(numberingPlan(country).nationalPrefixForParsing());
    if (source !== '') sources.add(source);
  }
  const pattern = sources.size === 0 ? null : new RegExp(`^(?:${[...sources].join('|')})`);
  trunkPatterns.set(callingCode, pattern);
  return pattern;
}

/**
 * The parser's tests on national numbers of one calling code, with every pattern compiled once
 * (libphonenumber-js compiles them on every call, most of its cost). With "min" metadata a
 * number is valid when it matches, whole, the pattern of the region the parser picks: the
 * calling code's only country, or the first whose leading digits it starts with, else the main
 * country (the first listed: the US for +1, GB for +44).
 */
interface Rules {
  /** The main country, whose rules apply before a region is picked. */
  main: CountryCode;
  /** Whether the main country's pattern matches the whole number. */
  matchesMain(national: string): boolean;
  /** Whether the number is valid in the region picked for it. */
  valid(national: string): boolean;
  /** Whether the parser keeps a trunk prefix stripped off: the rest has a possible length (or is too long) for the region picked for it. */
  possibleAfterTrunk(national: string): boolean;
  /** Whether the number is longer than any the main country has. */
  tooLong(national: string): boolean;
}

interface Region {
  leading: RegExp | null;
  lengths: readonly number[] | undefined;
  /** libphonenumber-js's `getNumberType(…) !== undefined` for this region. */
  hasType(national: string): boolean;
  /** `isValid` in this region: a number type for the regions whose metadata has types, else the general pattern. */
  valid(national: string): boolean;
}

/** A number type in the metadata: its pattern and, optionally, its own possible lengths. */
type TypeEntry = readonly [string, (readonly number[])?] | 0 | undefined;

function regionOf(country: CountryCode): Region {
  const plan = numberingPlan(country) as PlanInternals & {
    leadingDigits(): string | undefined;
    possibleLengths(): number[] | undefined;
    types(): readonly TypeEntry[] | 0 | undefined;
  };
  const leading = plan.leadingDigits();
  const general = new RegExp(`^(?:${plan.nationalNumberPattern()})$`);
  const lengths = plan.possibleLengths();
  const types = plan.types();
  // "min" metadata keeps number types only for the few countries that need them to tell
  // regions of one calling code apart (US/CA, GB/GG/JE, AU/CC/CX…).
  const typeChecks = (types !== undefined && types !== 0 && types.length > 0 ? types : [])
    .filter((entry): entry is readonly [string, (readonly number[])?] => Array.isArray(entry) && entry[0] !== '')
    .map(([pattern, own]) => {
      const compiled = new RegExp(`^(?:${pattern})$`);
      const allowed = own ?? lengths;
      return (national: string) => (allowed === undefined || allowed.includes(national.length)) && compiled.test(national);
    });
  const hasType = (national: string) => general.test(national) && typeChecks.some((check) => check(national));
  return {
    leading: leading ? new RegExp(`^(?:${leading})`) : null,
    lengths,
    hasType,
    valid: typeChecks.length > 0 ? hasType : (national) => general.test(national),
  };
}

/** `checkNumberLength` of libphonenumber-js, read as "not too short and not an impossible length". */
function possibleOrTooLong(length: number, lengths: readonly number[] | undefined): boolean {
  if (lengths === undefined || lengths.length === 0) return true;
  return length > (lengths[lengths.length - 1] as number) || lengths.includes(length);
}

const rulesByCode = new Map<string, Rules | null>();

function rulesOf(callingCode: string): Rules | undefined {
  let rules = rulesByCode.get(callingCode);
  if (rules === undefined) {
    const countries = callingCodes[callingCode] ?? [];
    rules = countries.length === 0 ? null : makeRules(countries);
    rulesByCode.set(callingCode, rules);
  }
  return rules ?? undefined;
}

function makeRules(countries: readonly CountryCode[]): Rules {
  const regions = countries.map(regionOf);
  const main = regions[0] as Region;
  const mainPattern = new RegExp(`^(?:${numberingPlan(countries[0] as CountryCode).nationalNumberPattern()})$`);
  // A calling code of one country: that country. Else the first region whose leading digits
  // the number starts with or, for a region without leading digits, that has its type.
  const pick =
    regions.length === 1
      ? () => main
      : (national: string) =>
          regions.find((region) => (region.leading !== null ? region.leading.test(national) : region.hasType(national))) ?? main;
  const maxLength = main.lengths === undefined || main.lengths.length === 0 ? Infinity : (main.lengths[main.lengths.length - 1] as number);
  return {
    main: countries[0] as CountryCode,
    matchesMain: (national) => mainPattern.test(national),
    valid: (national) => pick(national).valid(national),
    possibleAfterTrunk: (national) => possibleOrTooLong(national.length, pick(national).lengths),
    tooLong: (national) => national.length > maxLength,
  };
}

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
export function phoneKey(phone: string, options?: { defaultCountry?: CountryCode }): string {
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
export function phoneKeys(phone: string, options?: { defaultCountry?: CountryCode }): string[] {
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
