import { type Customer, type Label, normalizePhone } from '../../contract/index.js';
import type { SqlRow } from './client.js';
import { type DialectSyntax, type SqlDialect, syntaxOf } from './dialect.js';
import type { SqlMapping } from './mapping.js';
import { toColor, toIsoDate, toLabelIds, toText, toVersion } from './values.js';

/** The most rows one lookup reads: enough to pick the best match, never a whole table. */
export const MATCH_LIMIT = 10;

const AUDIT = [
  ['createdBy', 'created_by'],
  ['updatedBy', 'updated_by'],
  ['createdAt', 'createdAt'],
  ['updatedAt', 'updatedAt'],
  ['version', '__v'],
] as const;
const NAMES = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['email', 'email'],
] as const;

/** A statement and its bound values. */
export interface Statement {
  text: string;
  params: unknown[];
}

// Only dates need `text` (a form no DateStyle setting changes); everything else is a plain cast.
const DATE_KEYS: ReadonlySet<string> = new Set(['createdAt', 'updatedAt']);

/** `SELECT` list entries `<text of column> AS <field>` for the mapped optional columns. */
function selectOptional(syntax: DialectSyntax, alias: string, pairs: ReadonlyArray<readonly [string, string]>, columns: Record<string, unknown>): string[] {
  const list: string[] = [];
  for (const [key, field] of pairs) {
    const column = columns[key];
    const asText = DATE_KEYS.has(key) ? syntax.text : syntax.plain;
    if (typeof column === 'string') list.push(`${asText(`${alias}.${syntax.quote(column)}`)} AS ${syntax.quote(field)}`);
  }
  return list;
}

/** The select list that reads a customer row as text columns named after the contract's fields. */
function customerColumns(syntax: DialectSyntax, mapping: SqlMapping): string[] {
  const { customers, customerLabels } = mapping;
  const c = (column: string) => `c.${syntax.quote(column)}`;
  const list = [`${syntax.plain(c(customers.id))} AS ${syntax.quote('_id')}`];
  customers.phones.forEach((phone, index) => list.push(`${syntax.plain(c(phone))} AS ${syntax.quote(`phone${index + 1}`)}`));
  list.push(...selectOptional(syntax, 'c', NAMES, customers), ...selectOptional(syntax, 'c', AUDIT, customers));
  if (customers.labelIds !== undefined) list.push(`${syntax.text(c(customers.labelIds))} AS ${syntax.quote('labels')}`);
  else if (customerLabels !== undefined) {
    const from = `${syntax.quote(customerLabels.table)} t WHERE t.${syntax.quote(customerLabels.customerId)} = ${c(customers.id)}`;
    list.push(`${syntax.jsonArray(syntax.plain(`t.${syntax.quote(customerLabels.labelId)}`), from)} AS ${syntax.quote('labels')}`);
  }
  return list;
}

/** `c.<id> IN (SELECT customer_id FROM <phone-key table> WHERE phone_key IN (…))`, its keys bound from `first` (1-based). */
function inPhoneKeys(syntax: DialectSyntax, mapping: SqlMapping, table: string, count: number, first = 1): string {
  const list = Array.from({ length: count }, (_, i) => syntax.parameter(first + i)).join(', ');
  return `c.${syntax.quote(mapping.customers.id)} IN (SELECT k.customer_id FROM ${syntax.quote(table)} k WHERE k.phone_key IN (${list}))`;
}

/**
 * The lookup: every customer row with a phone column whose digits equal one of `keys`. Each
 * comparison is `<digits of column> IN (…)`, the shape the indexes from `db indexes` serve;
 * `digitsColumns` (MariaDB's generated columns, by phone column) replaces the expression. With
 * `phoneKeysTable` (`db indexes --phone-keys`, which holds each row's phone digits), one indexed
 * `phone_key IN (…)` finds the ids instead: the same rows, by one index instead of one per column.
 */
export function customerLookup(
  dialect: SqlDialect,
  mapping: SqlMapping,
  keys: readonly string[],
  digitsColumns: ReadonlyMap<string, string> = new Map(),
  phoneKeysTable?: string,
): Statement {
  const syntax = syntaxOf(dialect);
  if (phoneKeysTable !== undefined) {
    const text = `SELECT ${customerColumns(syntax, mapping).join(', ')} FROM ${syntax.quote(mapping.customers.table)} c WHERE ${inPhoneKeys(syntax, mapping, phoneKeysTable, keys.length)} LIMIT ${MATCH_LIMIT}`;
    return { text, params: [...keys] };
  }
  // PostgreSQL numbers its parameters, so each column reuses $1…$n; MySQL's `?` are positional.
  let next = 0;
  const list = () => {
    if (dialect === 'postgres') return keys.map((_, i) => syntax.parameter(i + 1)).join(', ');
    const start = next;
    next += keys.length;
    return keys.map((_, i) => syntax.parameter(start + i + 1)).join(', ');
  };
  const conditions = mapping.customers.phones.map((phone) => {
    const generated = digitsColumns.get(phone);
    const digits = generated === undefined ? syntax.digits(`c.${syntax.quote(phone)}`) : `c.${syntax.quote(generated)}`;
    return `${digits} IN (${list()})`;
  });
  const text = `SELECT ${customerColumns(syntax, mapping).join(', ')} FROM ${syntax.quote(mapping.customers.table)} c WHERE ${conditions.join(' OR ')} LIMIT ${MATCH_LIMIT}`;
  return { text, params: lookupParams(dialect, mapping, keys) };
}

/**
 * The keys of a lookup over customers that carry their own country (the mapping's
 * `customers.country`): some spellings name the number whatever the row's country, national
 * ones only in a row of their calling code's countries (see `phoneKeyGroups`).
 */
export interface CountryKeys {
  /** Keys that match whatever the row's country: E.164, IDD-prefixed, WhatsApp's legacy digits. */
  international: readonly string[];
  /** National keys, each with the country values (`GB`, `44`, `+44`) a row must hold; `home` (the default country's) also matches a row with none. */
  national: ReadonlyArray<{ keys: readonly string[]; countries: readonly string[]; home: boolean }>;
}

/**
 * The lookup when rows carry their own country: per phone column, `<digits> IN (international)
 * OR (<digits> IN (national of a code) AND <the row's country is one of that code>)`. The digits
 * comparisons are those of {@link customerLookup}, so the same indexes serve them. With
 * `phoneKeysTable`, the phone-key table narrows the rows to those holding any of the keys (one
 * index) and the same conditions then run on those few rows only, so the answer is the same.
 */
export function countryLookup(
  dialect: SqlDialect,
  mapping: SqlMapping,
  lookup: CountryKeys,
  digitsColumns: ReadonlyMap<string, string> = new Map(),
  phoneKeysTable?: string,
): Statement {
  const syntax = syntaxOf(dialect);
  const params: unknown[] = [];
  // Bound first: MySQL's `?` are positional and the subquery comes first in the text.
  const all = [...new Set([...lookup.international, ...lookup.national.flatMap(({ keys }) => keys)])];
  const narrowed = phoneKeysTable === undefined ? '' : `${inPhoneKeys(syntax, mapping, phoneKeysTable, all.length)} AND `;
  if (phoneKeysTable !== undefined) params.push(...all);
  const bind = (values: readonly string[]) =>
    values
      .map((value) => {
        params.push(value);
        return syntax.parameter(params.length);
      })
      .join(', ');
  const country = syntax.plain(`c.${syntax.quote(mapping.customers.country as string)}`);
  const conditions = mapping.customers.phones.flatMap((phone) => {
    const generated = digitsColumns.get(phone);
    const digits = generated === undefined ? syntax.digits(`c.${syntax.quote(phone)}`) : `c.${syntax.quote(generated)}`;
    const list = lookup.international.length === 0 ? [] : [`${digits} IN (${bind(lookup.international)})`];
    for (const { keys, countries, home } of lookup.national) {
      // Bound in the order they appear: MySQL's `?` are positional.
      const matches = `${digits} IN (${bind(keys)})`;
      const named = `UPPER(TRIM(${country})) IN (${bind(countries)})`;
      list.push(`(${matches} AND ${home ? `(${country} IS NULL OR TRIM(${country}) = '' OR ${named})` : named})`);
    }
    return list;
  });
  const text = `SELECT ${customerColumns(syntax, mapping).join(', ')} FROM ${syntax.quote(mapping.customers.table)} c WHERE ${narrowed}(${conditions.join(' OR ')}) LIMIT ${MATCH_LIMIT}`;
  return { text, params };
}

/** The bound values of {@link customerLookup}'s statement: the keys once (PostgreSQL, or the phone-key table), or once per phone column (MySQL). */
export function lookupParams(dialect: SqlDialect, mapping: SqlMapping, keys: readonly string[], phoneKeysTable?: string): unknown[] {
  return dialect === 'postgres' || phoneKeysTable !== undefined ? [...keys] : mapping.customers.phones.flatMap(() => keys);
}

/** The alias of the customer's own country (`customers.country`) in {@link customerSample}'s rows. */
export const SAMPLE_COUNTRY = 'prc_own_country';

/** A sample of customer rows, for `db check`; with `customers.country`, each row's country as {@link SAMPLE_COUNTRY}. */
export function customerSample(dialect: SqlDialect, mapping: SqlMapping, limit: number): Statement {
  const syntax = syntaxOf(dialect);
  const { country } = mapping.customers;
  const columns = customerColumns(syntax, mapping);
  if (country !== undefined) columns.push(`${syntax.plain(`c.${syntax.quote(country)}`)} AS ${syntax.quote(SAMPLE_COUNTRY)}`);
  return { text: `SELECT ${columns.join(', ')} FROM ${syntax.quote(mapping.customers.table)} c LIMIT ${Math.trunc(limit)}`, params: [] };
}

/** Whether a row's own country (`customers.country`) is empty: NULL or blank, as {@link phoneSample} and the lookup read it. */
export const withoutOwnCountry = (value: unknown) => value === null || value === undefined || String(value).trim() === '';

/** The phone columns of up to `limit` customer rows without their own country, for the start-up check of national spellings. */
export function phoneSample(dialect: SqlDialect, mapping: SqlMapping, limit: number): Statement {
  const syntax = syntaxOf(dialect);
  const phones = mapping.customers.phones.map((phone, index) => `${syntax.plain(`c.${syntax.quote(phone)}`)} AS ${syntax.quote(`phone${index + 1}`)}`);
  // A row with its own country reads its national spellings there: only the others need the default.
  const { country } = mapping.customers;
  const column = country === undefined ? undefined : syntax.plain(`c.${syntax.quote(country)}`);
  const where = column === undefined ? '' : ` WHERE (${column} IS NULL OR TRIM(${column}) = '')`;
  return { text: `SELECT ${phones.join(', ')} FROM ${syntax.quote(mapping.customers.table)} c${where} LIMIT ${Math.trunc(limit)}`, params: [] };
}

/** Every label, in id order. */
export function labelList(dialect: SqlDialect, mapping: SqlMapping): Statement {
  const syntax = syntaxOf(dialect);
  const { labels } = mapping;
  const l = (column: string) => `l.${syntax.quote(column)}`;
  const list = [`${syntax.text(l(labels.id))} AS ${syntax.quote('_id')}`, `${syntax.text(l(labels.name))} AS ${syntax.quote('name')}`];
  if (labels.color !== undefined) list.push(`${syntax.text(l(labels.color))} AS ${syntax.quote('color_code')}`);
  list.push(...selectOptional(syntax, 'l', AUDIT, labels));
  return { text: `SELECT ${list.join(', ')} FROM ${syntax.quote(labels.table)} l ORDER BY ${l(labels.id)}`, params: [] };
}

const auditOf = (row: SqlRow) => ({
  created_by: toText(row.created_by),
  updated_by: toText(row.updated_by),
  createdAt: toIsoDate(row.createdAt),
  updatedAt: toIsoDate(row.updatedAt),
  __v: toVersion(row.__v),
});

/** A customer row in the contract's shape; a missing column is the contract's empty value. */
export function toCustomer(row: SqlRow): Customer {
  // The audit fields written out, not spread from auditOf: a spread after other fields is V8's slow copy.
  return {
    _id: toText(row._id),
    labels: toLabelIds(row.labels) as string[],
    phone1: toText(row.phone1),
    phone2: toText(row.phone2),
    phone3: toText(row.phone3),
    phone4: toText(row.phone4),
    phone5: toText(row.phone5),
    first_name: toText(row.first_name),
    last_name: toText(row.last_name),
    email: toText(row.email),
    created_by: toText(row.created_by),
    updated_by: toText(row.updated_by),
    createdAt: toIsoDate(row.createdAt),
    updatedAt: toIsoDate(row.updatedAt),
    __v: toVersion(row.__v),
  };
}

/** A label row in the contract's shape. */
export function toLabel(row: SqlRow): Label {
  return { _id: toText(row._id), name: toText(row.name), color_code: toColor(row.color_code), ...auditOf(row) };
}

const PHONES = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;

/**
 * The best of the matched rows: the one whose number matches the earliest key (keys come E.164
 * first), then the lowest id, so that the answer never depends on the order rows come back in.
 */
export function bestMatch(customers: readonly Customer[], keys: readonly string[]): Customer | null {
  let best: Customer | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const customer of customers) {
    let rank = Number.POSITIVE_INFINITY;
    for (const field of PHONES) {
      const phone = customer[field];
      const position = keys.indexOf(phone === '' ? '' : normalizePhone(phone));
      if (position !== -1 && position < rank) rank = position;
    }
    if (best === null || rank < bestRank || (rank === bestRank && customer._id < best._id)) {
      best = customer;
      bestRank = rank;
    }
  }
  return best;
}
