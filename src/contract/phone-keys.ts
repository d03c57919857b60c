import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { MAX_PHONE_LENGTH, normalizePhone } from './phone.js';
import { callingCodes, type CountryPlan, metadata, planOf, type Rules, rulesOf, trunkPatternOf } from './phone-plans.js';
import { currentForm, legacyForm } from './phone-legacy.js';

export type { CountryCode } from 'libphonenumber-js/core';
export { isCountryCode, countryCodeProblem } from './phone-plans.js';

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
 * International digits (no `+`) when they are a valid number (and no legacy form), `null` when
 * they are not valid, `undefined` where only the parser can tell.
 */
function fastInternational(international: string): string | null | undefined {
  const callingCode = callingCodeOf(international);
  if (callingCode === undefined || currentForm(international) !== international) return undefined;
  const national = international.slice(callingCode.length);
  const rules = rulesOf(callingCode);
  const trunk = trunkPatternOf(callingCode);
  if (rules === undefined || (trunk !== null && trunk.test(national))) return undefined;
  return rules.valid(national) ? international : null;
}

/**
 * The readings of bare digits that begin with the default country's own calling code: as an
 * international number (WhatsApp's spelling) and as a national one, the valid ones, else the
 * possible ones, international first. `undefined` where only the parser can tell.
 */
function fastOwnCode(digits: string, plan: CountryPlan, rules: Rules): string[] | undefined {
  const { callingCode, trunkPattern } = plan;
  const shorter = digits.slice(callingCode.length);
  if ((trunkPattern !== null && trunkPattern.test(shorter)) || currentForm(digits) !== digits) return undefined;
  const national = callingCode + digits;
  const both = (international: boolean, local: boolean) =>
    international ? (local ? [digits, national] : [digits]) : local ? [national] : undefined;
  return both(rules.valid(shorter), rules.valid(digits)) ?? both(rules.possible(shorter), rules.possible(digits));
}

/**
 * The fast path for numbers without `+`, for a country that has its calling code to itself or
 * is its main country (the US for +1, GB for +44): the steps of libphonenumber-js's parse (IDD
 * prefix, calling code without `+`, trunk prefix, region, validity) with its patterns compiled
 * once, giving the readings {@link slowReadings} gives for valid numbers; anything unusual (a
 * trunk pattern that rewrites, a carrier code, an unknown calling code, a number that is not
 * valid) returns `undefined` and goes to the parser. Checked against the parser by property tests.
 */
function fastLocal(phone: string, digits: string, plan: CountryPlan): string[] | undefined {
  const rules = localRules(phone, digits, plan);
  if (rules === undefined) return undefined;
  const idd = plan.iddPattern === null ? null : plan.iddPattern.exec(digits);
  if (idd !== null) {
    const international = digits.slice(idd[0].length);
    // The parser reads `00` followed by `0` as a national number, not as an IDD prefix.
    const key = international.startsWith('0') ? undefined : fastInternational(international);
    return typeof key === 'string' ? [key] : undefined;
  }
  const { trunkPattern, callingCode } = plan;
  const trunk = trunkPattern === null ? null : trunkPattern.exec(digits);
  if (trunk !== null) {
    // A trunk prefix with a carrier code or more: the parser's.
    if (trunk.length > 1 && trunk.slice(1).some((group) => group !== undefined)) return undefined;
    const national = digits.slice(trunk[0].length);
    // The parser keeps the prefix off when the rest matches and has a possible length.
    const kept = rules.matchesMain(national) && rules.possibleAfterTrunk(national);
    return kept && rules.valid(national) ? [callingCode + national] : undefined;
  }
  if (digits.startsWith(callingCode)) return fastOwnCode(digits, plan, rules);
  if (!rules.valid(digits)) return undefined;
  // Bare digits that are also a valid number of another calling code (a WhatsApp number from
  // abroad): that reading too, after the national one.
  const abroad = callingCodeOf(digits) === undefined ? null : fastInternational(digits);
  if (abroad === undefined) return undefined;
  return abroad === null ? [callingCode + digits] : [callingCode + digits, abroad];
}

/** The rules {@link fastLocal} reads a number without `+` by, `undefined` where only the parser can. */
function localRules(phone: string, digits: string, plan: CountryPlan): Rules | undefined {
  if (plan.transforms || phone.length > MAX_PHONE_LENGTH || !LOCAL_FORM.test(phone) || digits.length < 2) return undefined;
  const rules = rulesOf(plan.callingCode);
  // A country that is not its calling code's main one (Canada, Jersey): the parser's.
  return rules === undefined || rules.main !== plan.country ? undefined : rules;
}

/** A reading of a number: its calling code, national significant number and whether the rules call it valid (else it is only possible). */
interface Reading {
  callingCode: string;
  national: string;
  valid: boolean;
}

const EXTENSION = 'extension';

/** The number as the country rules read it when it is valid or possible; `EXTENSION` for one with an extension. */
function parse(phone: string, plan: CountryPlan): Reading | typeof EXTENSION | undefined {
  let number: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    number = parsePhoneNumberFromString(phone, plan.country, metadata);
  } catch {
    return undefined;
  }
  if (number === undefined) return undefined;
  if (number.ext !== undefined) return EXTENSION;
  const valid = number.isValid();
  if (!valid && !(number.isPossible() && plainlyWritten(normalizePhone(phone), number.countryCallingCode, number.nationalNumber, plan))) return undefined;
  return { callingCode: number.countryCallingCode, national: number.nationalNumber, valid };
}

/**
 * Whether the digits as written are the national number after nothing but an international
 * prefix, the calling code and a `0` trunk prefix. A number that is only possible counts only
 * then: the parser also strips other trunk and carrier prefixes (`+1 1 198…`), which for a number
 * the metadata does not vouch for would turn another number's national digits into this key.
 */
function plainlyWritten(digits: string, callingCode: string, national: string, plan: CountryPlan): boolean {
  if (!digits.endsWith(national)) return false;
  const prefix = digits.slice(0, digits.length - national.length);
  const international = plan.idd !== '' && prefix.startsWith(plan.idd) ? prefix.slice(plan.idd.length) : prefix;
  return international === '' || international === '0' || international === callingCode || international === `${callingCode}0`;
}

const readingOf = (phone: string, plan: CountryPlan): Reading | undefined => {
  const reading = parse(phone, plan);
  return reading === EXTENSION ? undefined : reading;
};

/**
 * Every reading of a number, by the parser: as libphonenumber-js reads it for the default
 * country; for bare digits that begin with a calling code, also as an international number
 * (first when it is the default country's own code, after the national reading when it is
 * another's and only when valid there) and as a national one; a WhatsApp legacy form as the
 * current number. A valid reading wins where readings disagree: the possible ones count only
 * when none is valid. Empty for a number with an extension or that no reading accepts.
 */
function slowReadings(phone: string, digits: string, plan: CountryPlan): Reading[] {
  const parsed = parse(phone, plan);
  if (parsed === EXTENSION) return [];
  const candidates: Reading[] = [];
  let abroad: Reading | undefined;
  const current = currentForm(digits);
  const idd = phone.charCodeAt(0) === PLUS ? null : (plan.iddPattern?.exec(digits) ?? null);
  if (phone.charCodeAt(0) === PLUS) {
    if (current !== digits) pushReading(candidates, readingOf(`+${current}`, plan));
  } else if (idd !== null) {
    // A legacy form after the international dialling prefix (`00 52 1 55…`).
    const international = digits.slice(idd[0].length);
    const now = currentForm(international);
    if (now !== international) pushReading(candidates, readingOf(`+${now}`, plan));
  } else if (LOCAL_FORM.test(phone) && !plan.trunkPattern?.test(digits)) {
    const callingCode = callingCodeOf(digits);
    if (callingCode === plan.callingCode) {
      pushReading(candidates, readingOf(`+${current}`, plan));
      pushReading(candidates, readingOf(`+${plan.callingCode}${digits}`, plan));
    } else if (callingCode !== undefined) {
      const international = readingOf(`+${current}`, plan);
      if (international?.valid === true) abroad = international;
    }
  }
  pushReading(candidates, parsed);
  pushReading(candidates, abroad);
  const valid = candidates.filter((reading) => reading.valid);
  return valid.length > 0 ? valid : candidates;
}

function pushReading(readings: Reading[], reading: Reading | undefined): void {
  if (reading === undefined) return;
  const e164 = reading.callingCode + reading.national;
  if (!readings.some((known) => known.callingCode + known.national === e164)) readings.push(reading);
}

/**
 * The E.164 digits a number may stand for, most likely first (see {@link phoneKeys}); the digits
 * alone without a country or when no reading is valid or possible. What the memory repository
 * indexes a stored number under and looks an asked one up by.
 */
export function phoneReadings(phone: string, options?: { defaultCountry?: CountryCode | undefined }): string[] {
  const digits = normalizePhone(phone);
  const country = options?.defaultCountry;
  if (country === undefined) return [digits];
  return readingsIn(phone, digits, planOf(country), true) ?? [digits];
}

/**
 * {@link phoneReadings} in `country` of an asked number whose digits the caller has already
 * (a query's `normalizedPhone`): they are taken as they are when the number is written as just
 * them, with or without `+` (Hybrid Chat's and WhatsApp's spellings), which saves the regular
 * expression that strips a number to its digits on every lookup; any other spelling is stripped.
 */
export function askedReadings(phone: string, digits: string, country: CountryCode): string[] {
  const known = askedDigits(phone, digits);
  return readingsIn(phone, known, planOf(country), true) ?? [known];
}

/** The digits of `phone`: `digits` when the number is written as just them, with or without `+`. */
function askedDigits(phone: string, digits: string): string {
  const own = isDigits(digits) && (phone === digits || (phone.length === digits.length + 1 && phone.charCodeAt(0) === PLUS && phone.endsWith(digits)));
  return own ? digits : normalizePhone(phone);
}

/**
 * The first of {@link askedReadings} when it is the number's own digits and that is cheap to
 * tell, `undefined` otherwise: a `+` number the fast path reads as written, or WhatsApp's bare
 * digits beginning with the default country's calling code whose international reading is valid
 * (which then comes first, whatever the national reading is: that test is skipped). A lookup
 * that tries this key first and the others only when it is not indexed answers as one that
 * tries every reading in order (property tests compare them).
 */
export function askedFirstReading(phone: string, digits: string, country: CountryCode): string | undefined {
  const known = askedDigits(phone, digits);
  if (phone.charCodeAt(0) === PLUS) {
    const fast = fastPlus(phone, known);
    return fast !== undefined && currentForm(fast) === fast ? fast : undefined;
  }
  const plan = planOf(country);
  const rules = localRules(phone, known, plan);
  const { callingCode, iddPattern, trunkPattern } = plan;
  // fastLocal's way to fastOwnCode: no international or trunk prefix, the country's calling code.
  if (rules === undefined || iddPattern?.test(known) === true || trunkPattern?.test(known) === true || !known.startsWith(callingCode)) return undefined;
  const shorter = known.slice(callingCode.length);
  if (trunkPattern?.test(shorter) === true || currentForm(known) !== known) return undefined;
  return rules.valid(shorter) ? known : undefined;
}

const ZERO = 48;
const NINE = 57;

/** Whether `text` is one or more ASCII digits (a loop: no regular expression on the request path). */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < ZERO || code > NINE) return false;
  }
  return true;
}

/** {@link phoneReadings} without the fast paths: the parser's answer, which the fast paths must equal (property tests). */
export function parserReadings(phone: string, defaultCountry: CountryCode): string[] {
  const digits = normalizePhone(phone);
  const readings = slowReadings(phone, digits, planOf(defaultCountry));
  return readings.length === 0 ? [digits] : readings.map((reading) => reading.callingCode + reading.national);
}

/**
 * The readings of a number in `plan`'s country, `undefined` when none accepts it. `anyPlus`: a
 * `+` number's E.164 digits are its digits whether it is valid, possible or neither, which is
 * all a key needs; the keys of {@link phoneKeys} need to know which (the parser's).
 */
function readingsIn(phone: string, digits: string, plan: CountryPlan, anyPlus: boolean): string[] | undefined {
  if (phone.charCodeAt(0) === PLUS) {
    const fast = anyPlus ? fastPlus(phone, digits) : undefined;
    if (fast !== undefined && currentForm(fast) === fast) return [fast];
  } else {
    const fast = fastLocal(phone, digits, plan);
    if (fast !== undefined) return fast;
  }
  const readings = slowReadings(phone, digits, plan);
  return readings.length === 0 ? undefined : readings.map((reading) => reading.callingCode + reading.national);
}

/**
 * The one key a stored number is indexed under: the E.164 digits when the country rules accept
 * the number as valid (or, when no reading is valid, as possible), otherwise its digits. Equal
 * for every spelling of one number; the first of {@link phoneKeys}. WhatsApp digits of the
 * default country's own numbers are read as international first (`4915112345678` in Germany).
 *
 * @example
 * ```ts
 * import { phoneKey } from 'priority-routing-crm';
 * phoneKey('0300-1234567', { defaultCountry: 'PK' }); // '923001234567'
 * phoneKey('0092 300 1234567', { defaultCountry: 'PK' }); // '923001234567'
 * phoneKey('4915112345678', { defaultCountry: 'DE' }); // '4915112345678': WhatsApp's digits
 * phoneKey('0300-1234567'); // '03001234567': digits only without defaultCountry
 * ```
 */
export function phoneKey(phone: string, options?: { defaultCountry?: CountryCode | undefined }): string {
  return phoneReadings(phone, options)[0] as string;
}

/**
 * The digit strings under which this number may be stored, E.164 digits first, so that a
 * repository can look it up with `WHERE digits(phone) IN (…)` or one search per key. For each
 * reading of the number (see below):
 *
 * 1. E.164 digits: `923001234567` (`+92 300 1234567`, `923001234567`);
 * 2. for a number of `defaultCountry`'s calling code, national with the trunk prefix:
 *    `03001234567` (`0300-1234567`), national without it: `3001234567`, and, where the trunk
 *    prefix is `0`, the calling code before it: `9203001234567` (`+92 (0)300 1234567`);
 * 3. with the country's international dialling prefix: `00923001234567` (`0092 300 1234567`;
 *    `011…` from the US);
 * 4. WhatsApp's legacy form of the number, where its country has one (Mexico `521…`, Brazil
 *    without the ninth digit, Ivory Coast's eight digits), spelt the same ways;
 *
 * then the digits as given, when they are none of the above.
 *
 * A number has several readings when its digits allow them: bare digits that begin with the
 * default country's calling code are an international number (WhatsApp's `4915112345678`) and
 * a national one, both kept when both are valid, international first; bare digits that are also
 * a valid number of another country have that reading last. A valid reading wins over one that
 * is only possible (a possible length, not in the metadata's ranges); a number that is only
 * possible, such as the UK's reserved `07700 900123`, still has its keys. A number no reading
 * accepts (a short code, an extension, too few digits) has only its digits, as has every number
 * without `defaultCountry`: today's comparison.
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
  return phoneKeyGroups(phone, options, false).all;
}

/**
 * {@link phoneKeys} sorted by where a spelling names the number: `international` spellings
 * (E.164, `+CC (0)…`, IDD-prefixed, WhatsApp's legacy digits) name it whatever a record's own
 * country; a `national` spelling names it only in a record of that calling code's countries
 * (the default country's also in one with no country). With `abroad`, national spellings of
 * readings of other calling codes too (for records that carry their own country); `all` is
 * every key in preference order.
 */
export interface PhoneKeyGroups {
  all: string[];
  international: string[];
  national: Map<string, string[]>;
}

export function phoneKeyGroups(phone: string, options: { defaultCountry?: CountryCode | undefined } | undefined, abroad: boolean): PhoneKeyGroups {
  const digits = normalizePhone(phone);
  const groups: PhoneKeyGroups = { all: [], international: [], national: new Map() };
  const country = options?.defaultCountry;
  const plan = country === undefined ? undefined : planOf(country);
  const readings = plan === undefined ? undefined : readingsIn(phone, digits, plan, false);
  // The digits alone (even '': phoneKeys has always answered `['']` for a number without any).
  if (plan === undefined || readings === undefined) return { all: [digits], international: [digits], national: groups.national };
  for (const e164 of readings) {
    spell(groups, e164, plan, true, abroad);
    // A plan whose national spelling is not trunk + number (Argentina's `011 15-2345-6789`): as
    // libphonenumber-js writes it nationally.
    const written = plan.transforms && e164.startsWith(plan.callingCode) ? normalizePhone(nationalFormat(e164, plan)) : '';
    if (written !== '') add(groups, written, plan.callingCode);
    const legacy = legacyForm(e164);
    if (legacy !== undefined) spell(groups, legacy.digits, plan, legacy.national, abroad);
  }
  if (digits !== '') add(groups, digits, undefined);
  return groups;
}

/** Adds a key once: to `all`, and to its group (`undefined`: international). */
function add(groups: PhoneKeyGroups, key: string, callingCode: string | undefined): void {
  if (groups.all.includes(key)) return;
  groups.all.push(key);
  if (callingCode === undefined) groups.international.push(key);
  else {
    const list = groups.national.get(callingCode);
    if (list === undefined) groups.national.set(callingCode, [key]);
    else list.push(key);
  }
}

/** A number as libphonenumber-js writes it nationally ('' when it cannot). */
function nationalFormat(e164: string, plan: CountryPlan): string {
  try {
    return parsePhoneNumberFromString(`+${e164}`, plan.country, metadata)?.formatNational() ?? '';
  } catch {
    return '';
  }
}

/**
 * The spellings of one E.164 number for `plan`'s country: E.164, national (for its own calling
 * code, or any with `abroad`, when `national`), `+CC (0)…`, IDD-prefixed.
 */
function spell(groups: PhoneKeyGroups, e164: string, plan: CountryPlan, national: boolean, abroad: boolean): void {
  add(groups, e164, undefined);
  const callingCode = callingCodeOf(e164);
  const home = callingCode === plan.callingCode;
  if (national && callingCode !== undefined && (home || abroad)) {
    const own = home ? plan : planOf(callingCodes[callingCode]?.[0] as CountryCode);
    const rest = e164.slice(callingCode.length);
    if (own.trunk !== '') add(groups, own.trunk + rest, callingCode);
    add(groups, rest, callingCode);
    // `+44 (0)20…`: the trunk `0` kept in international form, a common European spelling.
    if (own.trunk === '0') add(groups, callingCode + own.trunk + rest, undefined);
  }
  if (plan.idd !== '') add(groups, plan.idd + e164, undefined);
}
