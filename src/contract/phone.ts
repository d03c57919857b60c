/** The longest phone number (after `phone:`) the contract accepts. */
export const MAX_PHONE_LENGTH = 64;

const NON_DIGITS = /\D+/g;

/**
 * Reduces a phone number to its ASCII digits, so that `+92 300-1234567`, `923001234567` and
 * `(92) 300 1234567` are the same key. Idempotent.
 *
 * @example
 * ```ts
 * import { normalizePhone } from 'priority-routing-crm';
 * normalizePhone('+92 300-1234567'); // '923001234567'
 * ```
 */
export function normalizePhone(phone: string): string {
  return phone.replace(NON_DIGITS, '');
}
