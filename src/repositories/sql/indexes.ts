import { mysqlDigitsKey, normalPostgresKey, postgresDigitsKey, type TableIndexes } from './catalog-indexes.js';
import { DIGITS_LENGTH, digitsColumnOf, indexNameOf, syntaxOf } from './dialect.js';
import type { SqlMapping } from './mapping.js';
import type { SqlEngine } from './schema.js';

/**
 * One index `db indexes` proposes: its name, the table it belongs to, and the DDL that makes it.
 *
 * @example
 * ```ts
 * import { type SqlIndex } from 'priority-routing-crm/sql';
 * const index: SqlIndex = { name: 'prc_crm_contacts_mobile', table: 'crm.contacts', statement: 'CREATE INDEX …' };
 * ```
 */
export interface SqlIndex {
  name: string;
  table: string;
  statement: string;
}

/** One index of {@link phoneIndexes} with the mapping key and column it is for. */
export interface PlannedIndex extends SqlIndex {
  /** The mapping key of the column (`customers.phones[0]`, `customerLabels.customerId`). */
  key: string;
  column: string;
  /** Whether it is a phone column's (else the join table's customer column). */
  phone: boolean;
}

/** {@link phoneIndexes} with the mapping key and column each index is for. */
export function plannedIndexes(engine: SqlEngine, mapping: SqlMapping): PlannedIndex[] {
  const syntax = syntaxOf(engine === 'postgres' ? 'postgres' : 'mysql');
  const { table } = mapping.customers;
  const quotedTable = syntax.quote(table);
  const indexes = mapping.customers.phones.map((phone, position): PlannedIndex => {
    const name = indexNameOf(table, phone);
    const column = syntax.quote(phone);
    const of = { key: `customers.phones[${position}]`, column: phone, phone: true, name, table };
    if (engine === 'postgres') {
      // CONCURRENTLY: a live CRM keeps writing while the index is built.
      return { ...of, statement: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${syntax.quote(name)} ON ${quotedTable} ((${syntax.digits(column)}))` };
    }
    if (engine === 'mysql') return { ...of, statement: `CREATE INDEX ${syntax.quote(name)} ON ${quotedTable} ((${syntax.digits(column)}))` };
    // INVISIBLE: `SELECT *` does not show it and the vendor's `INSERT … VALUES (…)` without a
    // column list keeps its column count, so the CRM's own code never sees the column.
    const generated = syntax.quote(digitsColumnOf(phone));
    return {
      ...of,
      statement: `ALTER TABLE ${quotedTable} ADD COLUMN IF NOT EXISTS ${generated} VARCHAR(${DIGITS_LENGTH}) AS (REGEXP_REPLACE(${column}, '[^0-9]', '')) VIRTUAL INVISIBLE, ADD INDEX IF NOT EXISTS ${syntax.quote(name)} (${generated})`,
    };
  });
  const join = mapping.customerLabels;
  if (join !== undefined) {
    const name = indexNameOf(join.table, join.customerId);
    const ifMissing = engine === 'postgres' ? 'CONCURRENTLY IF NOT EXISTS ' : '';
    indexes.push({
      key: 'customerLabels.customerId',
      column: join.customerId,
      phone: false,
      name,
      table: join.table,
      statement: `CREATE INDEX ${ifMissing}${syntax.quote(name)} ON ${syntax.quote(join.table)} (${syntax.quote(join.customerId)})`,
    });
  }
  return indexes;
}

/**
 * The indexes that make every phone lookup of a mapping an index lookup on `engine`, plus one on
 * the join table's customer column: PostgreSQL expression indexes (built `CONCURRENTLY`, so
 * writes go on meanwhile; not inside a transaction) over
 * `regexp_replace(col, '[^0-9]', '', 'g')`, MySQL 8 functional indexes over the same digits
 * expression the repository sends, MariaDB generated `<column>_digits` columns (`INVISIBLE`, so
 * `SELECT *` and positional `INSERT … VALUES` are unchanged) with an index (the repository
 * compares those columns when they exist).
 *
 * @example
 * ```ts
 * import { phoneIndexes } from 'priority-routing-crm/sql';
 * for (const { statement } of phoneIndexes('postgres', mapping)) console.log(`${statement};`);
 * ```
 */
export function phoneIndexes(engine: SqlEngine, mapping: SqlMapping): SqlIndex[] {
  return plannedIndexes(engine, mapping).map(({ name, table, statement }) => ({ name, table, statement }));
}

/** Nothing (an existing index, named, does the work) or a statement to run. */
export type IndexNeed = { servedBy: string } | { statement: string };

/**
 * What an index of the plan needs on a database whose table has `existing`: nothing (`servedBy`
 * names the index that already does its work, whatever its name), or the statement to run (on
 * MariaDB only the index when a generated digits column is there already).
 */
export function missingIndex(engine: SqlEngine, planned: PlannedIndex, existing: TableIndexes): IndexNeed {
  const indexOn = (key: string) => existing.indexes.find((index) => index.key === key)?.name;
  if (!planned.phone) {
    const key = engine === 'postgres' ? normalPostgresKey(planned.column) : planned.column.toLowerCase();
    const servedBy = indexOn(key);
    return servedBy === undefined ? { statement: planned.statement } : { servedBy };
  }
  if (engine === 'postgres') {
    const servedBy = indexOn(postgresDigitsKey(planned.column));
    return servedBy === undefined ? { statement: planned.statement } : { servedBy };
  }
  const digits = mysqlDigitsKey(planned.column);
  const generated = existing.generated.get(digits);
  const servedBy = indexOn(digits) ?? (generated === undefined ? undefined : indexOn(generated));
  if (servedBy !== undefined) return { servedBy };
  if (generated !== undefined && engine === 'mariadb') {
    const syntax = syntaxOf('mysql');
    return { statement: `ALTER TABLE ${syntax.quote(planned.table)} ADD INDEX IF NOT EXISTS ${syntax.quote(planned.name)} (${syntax.quote(generated)})` };
  }
  return { statement: planned.statement };
}
