import { normalizePhone } from './phone.js';

/**
 * The digit strings under which a phone number may be stored, E.164 digits first. Without
 * `defaultCountry` it is the number's digits alone.
 *
 * @example
 * ```ts
 * import { phoneKeys } from 'priority-routing-crm';
 * phoneKeys('+92 300-1234567'); // ['923001234567']
 * ```
 */
export function phoneKeys(phone: string, _options?: { defaultCountry?: string }): string[] {
  // Placeholder until the phone-format issue's version lands: digits only, as today.
  return [normalizePhone(phone)];
}
