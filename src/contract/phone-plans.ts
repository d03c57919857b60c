// The numbering plans behind phoneKey/phoneKeys (phone-keys.ts): what libphonenumber-js's
// "min" metadata says about each country and calling code, read once and compiled into the
// tests the fast paths need, so that they answer as libphonenumber-js's own parser would.
import { type CountryCode, Metadata, type MetadataJson, isSupportedCountry } from 'libphonenumber-js/core';
// The "min" metadata (about 80 kB): calling codes, trunk and international prefixes, possible
// lengths and each country's number pattern, which is all that parsing to E.164 and checking a
// number is valid need. "max" adds number types (mobile, fixed line…) and "mobile" narrows
// validity to mobiles, which would turn landlines in a CRM into unparsable numbers.
import metadataJson from 'libphonenumber-js/min/metadata';
import { normalizePhone } from './phone.js';

export const metadata = metadataJson as MetadataJson;

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
  const meant = typeof value === 'string' ? COUNTRY_ALIASES[value.trim().toUpperCase()] : undefined;
  return `${option} must be an ISO 3166-1 alpha-2 country code such as PK, GB or US; got ${shown}${meant === undefined ? '' : `; did you mean ${meant}?`}`;
}

/** Codes people write for a country that ISO 3166-1 spells otherwise (the UK is GB, Greece GR). */
export const COUNTRY_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

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
export interface CountryPlan {
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

export function planOf(country: CountryCode): CountryPlan {
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
export const callingCodes = metadata.country_calling_codes as Record<string, readonly CountryCode[]>;

export function trunkPatternOf(callingCode: string): RegExp | null {
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
export interface Rules {
  /** The main country, whose rules apply before a region is picked. */
  main: CountryCode;
  /** Whether the main country's pattern matches the whole number. */
  matchesMain(national: string): boolean;
  /** Whether the number is valid in the region picked for it. */
  valid(national: string): boolean;
  /** Whether the number has a possible length in the region picked for it (libphonenumber-js's `isPossible`). */
  possible(national: string): boolean;
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

export function rulesOf(callingCode: string): Rules | undefined {
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
    possible: (national) => {
      const { lengths } = pick(national);
      return lengths === undefined || lengths.includes(national.length);
    },
    possibleAfterTrunk: (national) => possibleOrTooLong(national.length, pick(national).lengths),
    tooLong: (national) => national.length > maxLength,
  };
}

/**
 * The country a record's own country value names: an ISO 3166-1 alpha-2 code in either case
 * (`GB`, `gb`) or a calling code with or without `+` (`44`, `+44`: its main country, whose
 * numbering plan every country of that code shares for reading national numbers). `undefined`
 * for an empty value (the default country applies), `null` for one that names no country.
 */
export function recordCountry(value: unknown): CountryCode | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (text === '') return undefined;
  const upper = text.toUpperCase();
  if (isCountryCode(upper)) return upper;
  const code = /^\+?(\d{1,3})$/.exec(text)?.[1];
  return code === undefined ? null : (callingCodes[code]?.[0] ?? null);
}
