import { normalizePhone, phoneKey, type CountryCode } from '../../contract/index.js';
import { looksNational } from '../../repositories/national-numbers.js';
import type { Finding } from './common.js';

/**
 * A warning for a `--phone` in a spelling Hybrid Chat never sends: it asks with the number the
 * chat channel gives, `+` and the country code, or for WhatsApp the international digits
 * without `+` (`923001234567`), never a national `0300-1234567`. With `defaultCountry`, the
 * warning names the number Hybrid Chat would send; without, a number with a trunk `0` and no
 * country code is all it can tell, and it asks for the country.
 */
export function nationalSpelling(phone: string, subject: string, defaultCountry: CountryCode | undefined): Finding | undefined {
  if (phone.trim().startsWith('+')) return undefined;
  const digits = normalizePhone(phone);
  const warn = (message: string): Finding => ({ path: '$', subject, status: 'warn', message });
  if (defaultCountry === undefined) {
    // The same test as serve's and db check's warning about stored numbers.
    if (!looksNational(phone)) return undefined;
    return warn(
      `${phone} looks national (a trunk prefix 0, no country code), a spelling Hybrid Chat never sends: a WhatsApp chat asks with the international digits (923001234567, not 0300-1234567); give --default-country to see the number it would send for this one, and check that number too`,
    );
  }
  const international = phoneKey(phone, { defaultCountry });
  if (international === digits) return undefined;
  return warn(
    `${phone} is a spelling Hybrid Chat never sends: a WhatsApp chat from this number asks for ${international} (the international digits, without +); check with --phone ${international} too, which a connector finds for a number stored as ${phone} only with its own --default-country ${defaultCountry}`,
  );
}
