// Stored numbers in a national spelling (`0300-1234567`) with no default country: Hybrid Chat
// asks in international form (`+923001234567`), which finds them only when the site's country
// is known. Nothing fails, every such chat is routed at priority 1: said at start instead.
import { maskPhone } from '../core/hooks.js';

/** A national spelling: no `+`, digits and separators only, a trunk prefix `0` then a non-zero digit (`00` is an international prefix). */
const NATIONAL = /^0[1-9]\d{5,13}$/;
const SPELLING = /^[\d \-./()]+$/;

/** Whether `phone` is written as a national number (trunk prefix `0`, no country code). */
export function looksNational(phone: string): boolean {
  const text = phone.trim();
  return SPELLING.test(text) && NATIONAL.test(text.replace(/\D/g, ''));
}

/** How many of some stored numbers look national, out of how many, and one of them. */
export interface NationalNumbers {
  national: number;
  total: number;
  /** The first national one, as stored (mask it before showing it). */
  example: string | undefined;
}

/** Counts the national spellings among `phones` (empty values are not numbers). */
export function countNationalNumbers(phones: Iterable<unknown>): NationalNumbers {
  let national = 0;
  let total = 0;
  let example: string | undefined;
  for (const phone of phones) {
    if (typeof phone !== 'string' || phone.trim() === '') continue;
    total += 1;
    if (looksNational(phone)) {
      national += 1;
      example ??= phone;
    }
  }
  return { national, total, example };
}

/**
 * The warning for national numbers found with no default country set, or undefined when there
 * are none: the count, a masked example and the flag to set. `what` says which numbers were
 * read (`stored phone numbers`, `phone numbers in 100 sampled rows of crm.contacts`); `advice`
 * how to set the country where the warning is shown.
 */
export function nationalNumbersWarning(found: NationalNumbers, what: string, advice: string): string | undefined {
  if (found.national === 0 || found.example === undefined) return undefined;
  return (
    `${found.national} of ${found.total} ${what} look national (such as ${maskPhone(found.example.trim())}: a trunk prefix 0 and no country code) ` +
    `and no default country is set, so Hybrid Chat's international numbers (+<country code>…) will not find them: ${advice}`
  );
}
