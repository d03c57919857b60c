/**
 * The colour a label gets when the mapping names no `color` column or the row has none: a
 * neutral grey.
 *
 * @example
 * ```ts
 * import { DEFAULT_LABEL_COLOR } from 'priority-routing-crm/sql';
 * DEFAULT_LABEL_COLOR; // '#9e9e9e'
 * ```
 */
export const DEFAULT_LABEL_COLOR = '#9e9e9e';

/** The date a record with no date column (or a null date) is sent with: the Unix epoch. */
export const EMPTY_DATE = '1970-01-01T00:00:00.000Z';

const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const ZONE_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
// Epoch numbers below this are seconds (until the year 5138), above it milliseconds.
const SECONDS_LIMIT = 1e11;

/** A text column value: "" for null. */
export const toText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/**
 * Any SQL date or time as ISO 8601 UTC with milliseconds. The queries select dates as text:
 * PostgreSQL's JSON form (`2020-06-18T09:32:53.823+00:00`, or no offset for `timestamp`),
 * MySQL's `2020-06-18 09:32:53.823`, a date alone, or epoch seconds/milliseconds. A time
 * without an offset is taken as UTC. A value that is none of these is returned as it is, so the
 * contract check names it instead of a wrong date being sent.
 */
export function toIsoDate(value: unknown): string {
  if (value === null || value === undefined) return EMPTY_DATE;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  const text = String(value).trim();
  return utcStamp(text) ?? parsedIsoDate(text);
}

// A UTC date and time as the databases write it (in a UTC session): valid fields, up to nine fraction digits (past nine, `Date.parse` reads them its own way), `Z`, `+00:00` or no offset.
const UTC_STAMP = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(\d{1,9}))?(?:Z|\+00:00)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * {@link parsedIsoDate} of the form nearly every date arrives in, written from its own digits
 * instead of parsed and formatted (a lookup's two dates cost about a tenth of the repository's
 * own CPU that way): the same text, byte for byte (`Date.parse` keeps the first three fraction
 * digits), or `undefined` for anything else, such as a 30 February, which `Date.parse` moves on
 * to March.
 */
function utcStamp(text: string): string | undefined {
  const stamp = UTC_STAMP.exec(text);
  if (stamp === null) return undefined;
  const day = Number(text.slice(8, 10));
  if (day > 28) {
    const year = Number(text.slice(0, 4));
    const month = Number(text.slice(5, 7));
    const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return undefined;
  }
  const fraction = stamp[1] ?? '';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0')}Z`;
}

/** {@link toIsoDate} of a trimmed text by parsing it: every form it reads. */
export function parsedIsoDate(text: string): string {
  if (NUMBER.test(text)) {
    const number = Number(text);
    return new Date(Math.abs(number) < SECONDS_LIMIT ? number * 1000 : number).toISOString();
  }
  const local = ISO_LOCAL.exec(text);
  const normalized = local !== null ? `${local[1]}T${local[2]}Z` : ZONE_SUFFIX.test(text) ? text.replace(' ', 'T') : text;
  const time = Date.parse(normalized);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/** A version column: 0 for null, the number otherwise (a non-integer is left for the contract check to name). */
export function toVersion(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  return Number(value);
}

/** A colour column: the default for null, `#` added to six bare hex digits. */
export function toColor(value: unknown): string {
  if (value === null || value === undefined || value === '') return DEFAULT_LABEL_COLOR;
  const text = String(value).trim();
  return /^[0-9a-f]{6}$/i.test(text) ? `#${text}` : text;
}

/**
 * Label ids from a JSON array's text (an array column, a JSON column, or a text column holding
 * JSON), as strings: `[1, 2]` → `['1', '2']`. Null is no labels.
 */
export function toLabelIds(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return [];
  let parsed: unknown = value;
  // A JSON document stored in a text column arrives as a JSON string holding the array.
  for (let depth = 0; depth < 2 && typeof parsed === 'string'; depth++) {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return parsed;
    }
  }
  if (!Array.isArray(parsed)) return parsed;
  return parsed.filter((id) => id !== null && id !== undefined).map((id) => (typeof id === 'string' ? id : JSON.stringify(id)));
}
