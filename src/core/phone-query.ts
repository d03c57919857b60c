import { type CountryCode, type CustomerQuery, MAX_PHONE_LENGTH, phoneKeys } from '../contract/index.js';

/**
 * The query as repositories receive it: `phone`, `normalizedPhone` and `phoneKeys`, in that
 * order, each an own enumerable property (so spreading or serialising the query keeps all three).
 *
 * Without a country the keys are just the digits, so they are set at once: a plain object
 * literal, which V8 builds on its fast path. (A literal that spreads the query and adds a
 * getter is built on its slow path, a runtime call per request.) With a country, `phoneKeys`
 * is a getter worked out on first read only, so a repository that never reads it (the memory
 * repository keys by its own `defaultCountry`) never pays for parsing the number.
 */
export function withPhoneKeys(query: CustomerQuery, defaultCountry: CountryCode | undefined): CustomerQuery {
  const { phone, normalizedPhone } = query;
  // phoneKeys(phone) without a country is [normalizePhone(phone)], which is normalizedPhone.
  if (defaultCountry === undefined) return { phone, normalizedPhone, phoneKeys: Object.freeze([normalizedPhone]) };
  let keys: readonly string[] | undefined;
  const options = { defaultCountry };
  return {
    phone,
    normalizedPhone,
    get phoneKeys(): readonly string[] {
      keys ??= Object.freeze(phoneKeys(phone, options));
      return keys;
    },
  };
}

const PREFIX = 'query=phone:';
const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const PERCENT = 37;

/**
 * The query string in the shape Hybrid Chat sends it, read without the general reader:
 * exactly `query=phone:` then a number of digits only, after an optional `+` (raw, which form
 * decoding turns into a space that the parser reads back as `+`) or `%2B`. `undefined` for any
 * other shape, which then goes through `readQueryParam` and `parseCustomerQuery`; for this one
 * both give this very result (a test compares the two on many strings).
 */
export function readCommonQuery(search: string): CustomerQuery | undefined {
  if (!search.startsWith(PREFIX)) return undefined;
  let start = PREFIX.length;
  const first = search.charCodeAt(start);
  // A raw `+` is the phone's own first character: the phone is the rest of the string as is.
  const raw = first === PLUS;
  const encoded = first === PERCENT;
  if (raw) start += 1;
  else if (encoded) {
    if (search.charCodeAt(start + 1) !== 50 || (search.charCodeAt(start + 2) | 32) !== 98) return undefined; // `2B` or `2b`
    start += 3;
  }
  const plus = raw || encoded;
  const end = search.length;
  // At least one digit, and no longer than the contract's limit with the `+`.
  if (end === start || end - start + (plus ? 1 : 0) > MAX_PHONE_LENGTH) return undefined;
  for (let at = start; at < end; at++) {
    const code = search.charCodeAt(at);
    if (code < ZERO || code > NINE) return undefined;
  }
  const normalizedPhone = search.slice(start);
  return { phone: raw ? search.slice(PREFIX.length) : encoded ? `+${normalizedPhone}` : normalizedPhone, normalizedPhone };
}
