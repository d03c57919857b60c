import { type CountryCode, type CustomerQuery, phoneKeys } from '../contract/index.js';

/**
 * The query as repositories receive it: `phoneKeys` added, worked out on first read only, so a
 * repository that never reads it (the memory repository keys by its own `defaultCountry`) never
 * pays for parsing the number.
 */
export function withPhoneKeys(query: CustomerQuery, defaultCountry: CountryCode | undefined): CustomerQuery {
  let keys: readonly string[] | undefined;
  const options = defaultCountry === undefined ? undefined : { defaultCountry };
  return {
    ...query,
    get phoneKeys(): readonly string[] {
      keys ??= Object.freeze(phoneKeys(query.phone, options));
      return keys;
    },
  };
}
