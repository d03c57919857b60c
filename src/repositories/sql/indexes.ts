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

/**
 * The indexes that make every phone lookup of a mapping an index lookup on `engine`, plus one on
 * the join table's customer column: PostgreSQL expression indexes (built `CONCURRENTLY`, so
 * writes go on meanwhile; not inside a transaction) over
 * `regexp_replace(col, '[^0-9]', '', 'g')`, MySQL 8 functional indexes over the same digits
 * expression the repository sends, MariaDB generated `<column>_digits` columns with an index
 * (the repository compares those columns when they exist).
 *
 * @example
 * ```ts
 * import { phoneIndexes } from 'priority-routing-crm/sql';
 * for (const { statement } of phoneIndexes('postgres', mapping)) console.log(`${statement};`);
 * ```
 */
export function phoneIndexes(engine: SqlEngine, mapping: SqlMapping): SqlIndex[] {
  const syntax = syntaxOf(engine === 'postgres' ? 'postgres' : 'mysql');
  const { table } = mapping.customers;
  const quotedTable = syntax.quote(table);
  const indexes = mapping.customers.phones.map((phone): SqlIndex => {
    const name = indexNameOf(table, phone);
    const column = syntax.quote(phone);
    if (engine === 'postgres') {
      // CONCURRENTLY: a live CRM keeps writing while the index is built.
      return { name, table, statement: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${syntax.quote(name)} ON ${quotedTable} ((${syntax.digits(column)}))` };
    }
    if (engine === 'mysql') return { name, table, statement: `CREATE INDEX ${syntax.quote(name)} ON ${quotedTable} ((${syntax.digits(column)}))` };
    const generated = syntax.quote(digitsColumnOf(phone));
    return {
      name,
      table,
      statement: `ALTER TABLE ${quotedTable} ADD COLUMN IF NOT EXISTS ${generated} VARCHAR(${DIGITS_LENGTH}) AS (REGEXP_REPLACE(${column}, '[^0-9]', '')) VIRTUAL, ADD INDEX IF NOT EXISTS ${syntax.quote(name)} (${generated})`,
    };
  });
  const join = mapping.customerLabels;
  if (join !== undefined) {
    const name = indexNameOf(join.table, join.customerId);
    const ifMissing = engine === 'postgres' ? 'CONCURRENTLY IF NOT EXISTS ' : '';
    indexes.push({ name, table: join.table, statement: `CREATE INDEX ${ifMissing}${syntax.quote(name)} ON ${syntax.quote(join.table)} (${syntax.quote(join.customerId)})` });
  }
  return indexes;
}
