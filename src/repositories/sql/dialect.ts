/**
 * The SQL dialect a repository speaks: `postgres` (PostgreSQL, PGlite) or `mysql` (MySQL 8,
 * MariaDB).
 *
 * @example
 * ```ts
 * import { createSqlRepository, type SqlDialect } from 'priority-routing-crm/sql';
 * const dialect: SqlDialect = 'mysql';
 * ```
 */
export type SqlDialect = 'postgres' | 'mysql';

/** What differs between the engines when a query is written. */
export interface DialectSyntax {
  /** Quotes one validated name part; a schema-qualified name is quoted part by part. */
  quote(name: string): string;
  /** The `n`th (1-based) bound parameter. */
  parameter(n: number): string;
  /** `column` reduced to its digits: the expression the phone indexes are built on. */
  digits(column: string): string;
  /** `column`'s value as text, whatever its SQL type (dates in a parseable form, numbers as digits). */
  text(column: string): string;
  /**
   * `column` as text by a plain cast, for ids, phones, names and numbers, whose text form no
   * session setting changes: much cheaper than `text` on PostgreSQL (no JSON round trip).
   */
  plain(column: string): string;
  /** A JSON array (as text) of `expression` over the rows of `from`, `[]`/null when none. */
  jsonArray(expression: string, from: string): string;
}

// Only names that passed the mapping's check reach these, so they hold no quote character.
const quoteParts = (name: string, mark: string) =>
  name
    .split('.')
    .map((part) => `${mark}${part}${mark}`)
    .join('.');

/** A mapped table name as the catalogs take it: its schema (null for the connection's own) and its name. */
export const splitTable = (table: string): [schema: string | null, name: string] => {
  const dot = table.indexOf('.');
  return dot === -1 ? [null, table] : [table.slice(0, dot), table.slice(dot + 1)];
};

/** The longest digits a phone column is compared as; MySQL's functional index needs a bounded type. */
export const DIGITS_LENGTH = 64;

const syntaxes: Record<SqlDialect, DialectSyntax> = {
  postgres: {
    quote: (name) => quoteParts(name, '"'),
    parameter: (n) => `$${n}`,
    digits: (column) => `regexp_replace(${column}, '[^0-9]', '', 'g')`,
    // to_json gives one text form for every type: ISO dates with their offset, numbers, arrays.
    text: (column) => `(to_json(${column}) #>> '{}')`,
    plain: (column) => `${column}::text`,
    jsonArray: (expression, from) => `(SELECT json_agg(${expression})::text FROM ${from})`,
  },
  mysql: {
    quote: (name) => quoteParts(name, '`'),
    parameter: () => '?',
    digits: (column) => `CAST(REGEXP_REPLACE(${column}, '[^0-9]', '') AS CHAR(${DIGITS_LENGTH}))`,
    text: (column) => `CAST(${column} AS CHAR)`,
    plain: (column) => `CAST(${column} AS CHAR)`,
    jsonArray: (expression, from) => `(SELECT CAST(JSON_ARRAYAGG(${expression}) AS CHAR) FROM ${from})`,
  },
};

/**
 * The syntax of a dialect.
 */
export const syntaxOf = (dialect: SqlDialect): DialectSyntax => syntaxes[dialect];

/**
 * The generated column `db indexes` adds on MariaDB for a phone column, which the repository
 * then compares instead of the expression (MariaDB does not match an expression to an index).
 */
export const digitsColumnOf = (column: string) => `${column.slice(0, 57)}_digits`;

/** The name `db indexes` gives the index over one column of one table. */
export function indexNameOf(table: string, column: string): string {
  const base = `prc_${table.replace('.', '_')}_${column}`;
  return base.length <= 60 ? base : `${base.slice(0, 51)}_${hash(base)}`;
}

/** A short stable hash, so that truncated index names stay distinct. */
function hash(text: string): string {
  let value = 0;
  for (let i = 0; i < text.length; i++) value = (Math.imul(value, 31) + text.charCodeAt(i)) >>> 0;
  return value.toString(36).padStart(7, '0').slice(0, 8);
}
