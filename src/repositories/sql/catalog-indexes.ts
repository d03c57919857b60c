// What the catalog says about a table's indexes and generated columns, read so that an index is
// recognised by what it indexes, never by its name: `db indexes --apply` skips an index that
// another one already does the work of (a primary key on the join table's customer column), and
// `db check` reports a phone column no index serves.
import type { SqlRunner } from './client.js';
import { DIGITS_LENGTH, splitTable } from './dialect.js';
import type { SqlEngine } from './schema.js';
import { toText } from './values.js';

/** One index's first key: the column or expression an equality lookup can use it for. */
export interface IndexKey {
  /** The index's name. */
  name: string;
  /** The first key, normalised by {@link normalPostgresKey} / {@link normalMysqlKey}. */
  key: string;
}

/** A table's indexes (valid, whole-table, usable for `=`/`IN`) and, on MySQL/MariaDB, its generated columns by normalised expression. */
export interface TableIndexes {
  /** `view` when the mapping names a view (its indexes are its base tables', which the catalog does not tie to it). */
  kind: 'table' | 'view' | 'missing';
  indexes: IndexKey[];
  /** Generated column name by its normalised expression (MySQL/MariaDB). */
  generated: Map<string, string>;
}

/**
 * A PostgreSQL index key or expression as `pg_get_indexdef` prints it, or as the repository
 * writes it, reduced to one comparable form: casts (`::text`, `::character varying`), quotes,
 * parentheses and spaces removed. `regexp_replace((phone)::text, '[^0-9]'::text, ''::text,
 * 'g'::text)` and `regexp_replace("phone", '[^0-9]', '', 'g')` both become
 * `regexp_replacephone,'[^0-9]','','g'`.
 */
export const normalPostgresKey = (text: string) => text.replace(/::[a-z_ ]+(?:\(\d+(?:,\d+)?\))?(?:\[\])?/gi, '').replace(/[\s"()]/g, '');

/**
 * A MySQL/MariaDB generated-column or functional-index expression reduced to one comparable
 * form: lower case, no backticks, spaces, character-set introducers (`_utf8mb4'…'`), `charset`
 * or `collate` clauses, and without an outer `cast(… as char(n))`, so that MariaDB's
 * `regexp_replace(`mobile`,'[^0-9]','')` and MySQL's
 * `cast(regexp_replace(`mobile`,_utf8mb4'[^0-9]',_utf8mb4'') as char(64) charset utf8mb4)` are
 * both `regexp_replace(mobile,'[^0-9]','')`.
 */
export function normalMysqlKey(text: string): string {
  const plain = text
    .toLowerCase()
    .replace(/\b_[a-z0-9]+(?=')/g, '')
    .replace(/\s+(?:charset|character set|collate)\s+[a-z0-9_]+/g, '')
    .replace(/[`\s]/g, '');
  const cast = /^cast\((.*)aschar\(\d+\)\)$/.exec(plain);
  return cast === null ? plain : cast[1]!;
}

/** The normalised key an index must have to serve the repository's phone lookup on `column` (PostgreSQL). */
export const postgresDigitsKey = (column: string) => normalPostgresKey(`regexp_replace("${column}", '[^0-9]', '', 'g')`);
/** The normalised expression of a generated column or functional index that serves the phone lookup on `column` (MySQL/MariaDB). */
export const mysqlDigitsKey = (column: string) => normalMysqlKey(`CAST(REGEXP_REPLACE(\`${column}\`, '[^0-9]', '') AS CHAR(${DIGITS_LENGTH}))`);

const POSTGRES_INDEXES = `SELECT t.relkind::text AS kind, ic.relname AS name, pg_get_indexdef(i.indexrelid, 1, true) AS first_key,
  (i.indisvalid AND i.indpred IS NULL AND am.amname IN ('btree', 'hash')) AS usable
FROM pg_class t
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_index i ON i.indrelid = t.oid
LEFT JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = COALESCE($1::text, current_schema()::text) AND t.relname = $2::text AND t.relkind IN ('r', 'p', 'v', 'm', 'f')`;

const MYSQL_KIND = 'SELECT TABLE_TYPE AS kind FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?';
const MYSQL_GENERATED =
  "SELECT COLUMN_NAME AS name, GENERATION_EXPRESSION AS expression FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND GENERATION_EXPRESSION IS NOT NULL AND GENERATION_EXPRESSION <> ''";
// MariaDB's STATISTICS has no EXPRESSION column (it has no functional indexes); MySQL 8's does.
const MYSQL_INDEXES: Record<'mysql' | 'mariadb', string> = {
  mariadb: 'SELECT INDEX_NAME AS name, COLUMN_NAME AS first_key, NULL AS expression FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1',
  mysql:
    "SELECT INDEX_NAME AS name, COLUMN_NAME AS first_key, EXPRESSION AS expression FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1 AND IS_VISIBLE = 'YES'",
};

const isTrue = (value: unknown) => value === true || value === 't' || value === 1 || value === '1';

/** Reads `table`'s indexes (first keys, normalised) and generated columns from the catalog: `SELECT`s only. */
export async function readTableIndexes(runner: SqlRunner, engine: SqlEngine, table: string): Promise<TableIndexes> {
  const where = splitTable(table);
  if (engine === 'postgres') {
    const rows = await runner.run(POSTGRES_INDEXES, where);
    if (rows.length === 0) return { kind: 'missing', indexes: [], generated: new Map() };
    const kind = toText(rows[0]!.kind) === 'v' ? 'view' : 'table';
    const indexes = rows.filter((row) => row.name !== null && isTrue(row.usable)).map((row) => ({ name: toText(row.name), key: normalPostgresKey(toText(row.first_key)) }));
    return { kind, indexes, generated: new Map() };
  }
  const [kindRow] = await runner.run(MYSQL_KIND, where);
  if (kindRow === undefined) return { kind: 'missing', indexes: [], generated: new Map() };
  const generated = new Map((await runner.run(MYSQL_GENERATED, where)).map((row) => [normalMysqlKey(toText(row.expression)), toText(row.name).toLowerCase()]));
  const indexes = (await runner.run(MYSQL_INDEXES[engine], where)).map((row) => ({
    name: toText(row.name),
    // A functional index's key is its expression; a column's, the column (lower case: names ignore case).
    key: row.expression === null || row.expression === undefined ? toText(row.first_key).toLowerCase() : normalMysqlKey(toText(row.expression)),
  }));
  return { kind: /view/i.test(toText(kindRow.kind)) ? 'view' : 'table', indexes, generated };
}

/**
 * The generated columns (MySQL/MariaDB) whose expression is the digits of a phone column, by
 * phone column: the repository compares those instead of the expression, so that their index
 * serves the lookup. Recognised by definition: a column the vendor named `mobile_digits` for
 * something else is never used.
 */
export async function readDigitsColumns(runner: SqlRunner, table: string, phones: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const generated = new Map((await runner.run(MYSQL_GENERATED, splitTable(table))).map((row) => [normalMysqlKey(toText(row.expression)), toText(row.name)]));
  const found = new Map<string, string>();
  for (const phone of phones) {
    const column = generated.get(mysqlDigitsKey(phone));
    if (column !== undefined) found.set(phone, column);
  }
  return found;
}
