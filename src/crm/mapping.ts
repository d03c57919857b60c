import type { CustomerRecord, LabelRecord } from '../core/repository.js';
import { CrmResponseError, issue } from './errors.js';
import type { Evaluate } from './profile.js';

type Fields = ReadonlyMap<string, { evaluate: Evaluate; expression: string }>;

/**
 * The fallback palette: label colours for CRMs without them, when `colors` names none. 20
 * distinct colours (Sasha Trubetskoy's list, which also holds the seed's Gold, Silver and Vip);
 * a label gets `labelPalette[fnv1a(name) % 20]`, so the same name always gets the same colour.
 *
 * @example
 * ```ts
 * import { labelPalette, paletteColor } from 'priority-routing-crm/crm';
 * labelPalette.includes(paletteColor('Gold')); // true, and the same colour on every run
 * ```
 */
export const labelPalette: readonly string[] = Object.freeze([
  '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe',
  '#008080', '#e6beff', '#9a6324', '#fffac8', '#800000', '#aaffc3', '#808000', '#ffd8b1', '#000075', '#808080',
]);

/**
 * The fallback palette's colour for a label name (FNV-1a over its UTF-16 code units).
 *
 * @example
 * ```ts
 * import { paletteColor } from 'priority-routing-crm/crm';
 * paletteColor('Gold') === paletteColor('Gold'); // true
 * ```
 */
export function paletteColor(name: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return labelPalette[hash % labelPalette.length]!;
}

const COLOR = /^#[0-9A-Fa-f]{6}$/;
const EPOCH = new Date(0);

/** A value as the CRM gave it, for a log line (short, one line). */
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** Reads one result through a `fields` map, collecting what does not fit with the profile key that read it. */
class Reader {
  readonly problems: ReturnType<typeof issue>[] = [];
  constructor(
    private readonly result: unknown,
    private readonly fields: Fields,
    private readonly section: string,
  ) {}

  #raw(field: string): unknown {
    const spec = this.fields.get(field);
    if (spec === undefined) return undefined;
    try {
      return spec.evaluate(this.result);
    } catch (error) {
      this.#problem(field, `the expression failed (${(error as Error).message})`);
      return undefined;
    }
  }

  #problem(field: string, why: string) {
    const spec = this.fields.get(field);
    this.problems.push(issue(`$.${field}`, `${this.section}.fields.${field} (${spec?.expression ?? 'not mapped'}): ${why}`));
  }

  text(field: string, required = false): string {
    const value = this.#raw(field);
    if (value === null || value === undefined) {
      if (required) this.#problem(field, 'no value in the result');
      return '';
    }
    if (typeof value === 'string') {
      if (required && value === '') this.#problem(field, 'an empty string');
      return value;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    this.#problem(field, `expected a string, got ${shown(value)}`);
    return '';
  }

  list(field: string): string[] {
    const value = this.#raw(field);
    if (value === null || value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    for (const item of items) {
      if (typeof item === 'string') {
        if (item !== '') out.push(item);
      } else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
      else if (item !== null) {
        this.#problem(field, `expected a list of ids, got ${shown(value)}`);
        return [];
      }
    }
    return [...new Set(out)];
  }

  date(field: string): Date {
    const value = this.#raw(field);
    if (value === null || value === undefined || value === '') return EPOCH;
    // Zoho writes local offsets (`2025-12-29T10:43:05+05:30`), HubSpot epoch milliseconds in places: both become UTC.
    const date = typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(/^\d+$/.test(value) ? Number(value) : value) : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) {
      this.#problem(field, `expected a date-time, got ${shown(value)}`);
      return EPOCH;
    }
    return date;
  }

  version(field: string): number {
    const value = this.#raw(field);
    if (value === null || value === undefined) return 0;
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return number;
    this.#problem(field, `expected a whole number ≥ 0, got ${shown(value)}`);
    return 0;
  }

  /** Throws the 502 naming every problem, if there was one. */
  done(profileName: string, what: string): void {
    if (this.problems.length > 0) {
      throw new CrmResponseError(`${profileName}: the CRM's ${what} does not map onto the contract: ${this.problems.map((p) => p.message).join('; ')}`, this.problems);
    }
  }
}

const PHONES = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;

/** The phone numbers of a result, leniently (a fuzzy hit with a broken field is simply not a match). */
export function phonesOf(result: unknown, fields: Fields): string[] {
  const phones: string[] = [];
  for (const field of PHONES) {
    try {
      const value = fields.get(field)?.evaluate(result);
      if (typeof value === 'string' && value !== '') phones.push(value);
      else if (typeof value === 'number') phones.push(String(value));
    } catch {
      // not a phone
    }
  }
  return phones;
}

/** `updatedAt` of a result for choosing the newest or oldest, or `NaN` when it has none. */
export function updatedAtOf(result: unknown, fields: Fields): number {
  const reader = new Reader(result, fields, 'lookup');
  const date = reader.date('updatedAt');
  return reader.problems.length > 0 ? Number.NaN : date.getTime();
}

/** Who and when, the same for customers and labels. */
const auditOf = (read: Reader) => ({
  created_by: read.text('created_by'),
  updated_by: read.text('updated_by'),
  createdAt: read.date('createdAt'),
  updatedAt: read.date('updatedAt'),
  __v: read.version('__v'),
});

/** One result as a customer; a 502 naming the field and profile key when it does not map. */
export function toCustomer(result: unknown, fields: Fields, profileName: string): CustomerRecord {
  const read = new Reader(result, fields, 'lookup');
  const customer: CustomerRecord = {
    _id: read.text('_id', true),
    first_name: read.text('first_name'),
    last_name: read.text('last_name'),
    email: read.text('email'),
    phone1: read.text('phone1'),
    phone2: read.text('phone2'),
    phone3: read.text('phone3'),
    phone4: read.text('phone4'),
    phone5: read.text('phone5'),
    labels: read.list('labels'),
    ...auditOf(read),
  };
  read.done(profileName, 'customer');
  return customer;
}

/** One result as a label, coloured from `colors` (by id, then name), the CRM, or the fallback palette. */
export function toLabel(result: unknown, fields: Fields, colors: Readonly<Record<string, string>>, profileName: string): LabelRecord {
  const read = new Reader(result, fields, 'labels');
  const _id = read.text('_id', true);
  const name = read.text('name', true);
  const given = fields.has('color_code') ? read.text('color_code') : '';
  const label: LabelRecord = {
    _id,
    name,
    color_code: colors[_id] ?? colors[name] ?? (COLOR.test(given) ? given : paletteColor(name)),
    ...auditOf(read),
  };
  read.done(profileName, 'label');
  return label;
}
