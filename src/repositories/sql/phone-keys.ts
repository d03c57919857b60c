// `db indexes --phone-keys`: one table of normalised phone keys beside the customers table, so
// that a lookup is one indexed equality (`phone_key IN (…)`) instead of one comparison per phone
// column and key. Kept right by triggers on the customers table; found by the repository through
// the catalog, and used only when it was built for exactly the mapping's table, id and phones.
import type { SqlRunner } from './client.js';
import { DIGITS_LENGTH, splitTable, syntaxOf } from './dialect.js';
import type { SqlMapping } from './mapping.js';
import type { SqlEngine } from './schema.js';
import { toText } from './values.js';

/** The phone-key table's name, in the customers table's schema (or database). */
export const PHONE_KEYS_TABLE = 'prc_phone_keys';

/** What `db indexes --phone-keys` runs: statements, in order; on PostgreSQL one transaction. */
export interface PhoneKeysPlan {
  /** The key table, schema-qualified as the customers table is. */
  table: string;
  statements: string[];
}

const schemaOf = (table: string) => splitTable(table)[0] ?? undefined;

/** `prc_phone_keys` in the schema of the mapping's customers table. */
export const phoneKeysTableOf = (mapping: SqlMapping) => {
  const schema = schemaOf(mapping.customers.table);
  return schema === undefined ? PHONE_KEYS_TABLE : `${schema}.${PHONE_KEYS_TABLE}`;
};

/**
 * The table's comment: which table, id and phone columns its keys were built from. The
 * repository uses the table only when this matches its mapping, so a table built for other
 * columns is never read (and `db indexes --phone-keys` rebuilds it).
 */
export const phoneKeysSignature = (mapping: SqlMapping) => `priority-routing-crm phone keys of ${mapping.customers.table} by ${mapping.customers.id}: ${mapping.customers.phones.join(', ')}`;

/** MariaDB's trigger names (schema-wide): before/after insert, update and delete. */
export const MARIA_TRIGGERS = ['ai', 'bu', 'au', 'ad'].map((suffix) => `${PHONE_KEYS_TABLE}_${suffix}`);

/**
 * The DDL that creates (or rebuilds) the phone-key table, its indexes and the triggers that keep
 * it right, and fills it from the customers table. PostgreSQL: one transaction that first locks
 * the customers table against writes (reads go on), so no write falls between the fill and the
 * trigger. MariaDB (no transactional DDL): the triggers first, then the fill, whose `INSERT …
 * SELECT` locks the rows it reads, so a write meanwhile waits and then goes through its trigger.
 */
export function phoneKeysPlan(engine: SqlEngine, mapping: SqlMapping): PhoneKeysPlan {
  if (engine === 'mysql') throw new RangeError('--phone-keys is for PostgreSQL and MariaDB; MySQL 8 uses its functional indexes');
  const { customers } = mapping;
  const table = phoneKeysTableOf(mapping);
  const signature = phoneKeysSignature(mapping).replace(/'/g, "''");
  if (engine === 'postgres') {
    const syntax = syntaxOf('postgres');
    const q = syntax.quote;
    const keys = q(table);
    const schema = schemaOf(customers.table);
    const sync = schema === undefined ? q('prc_phone_keys_sync') : `${q(schema)}.${q('prc_phone_keys_sync')}`;
    const digits = (row: string) => customers.phones.map((phone) => `(${syntax.digits(`${row}.${q(phone)}`)})`).join(', ');
    const fill = customers.phones.map((phone) => `SELECT c.${q(customers.id)} AS customer_id, ${syntax.digits(`c.${q(phone)}`)} AS phone_key FROM ${q(customers.table)} c`).join(' UNION ALL ');
    return {
      table,
      statements: [
        'BEGIN',
        // Writes to the customers wait until COMMIT; lookups and other reads go on.
        `LOCK TABLE ${q(customers.table)} IN SHARE ROW EXCLUSIVE MODE`,
        `CREATE TABLE IF NOT EXISTS ${keys} AS SELECT c.${q(customers.id)} AS customer_id, ''::text AS phone_key FROM ${q(customers.table)} c WITH NO DATA`,
        `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${PHONE_KEYS_TABLE}_key`)} ON ${keys} (phone_key, customer_id)`,
        `CREATE INDEX IF NOT EXISTS ${q(`${PHONE_KEYS_TABLE}_customer`)} ON ${keys} (customer_id)`,
        `CREATE OR REPLACE FUNCTION ${sync}() RETURNS trigger LANGUAGE plpgsql AS $prc$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM ${keys} WHERE customer_id = OLD.${q(customers.id)};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO ${keys} (customer_id, phone_key)
      SELECT DISTINCT NEW.${q(customers.id)}, v.k FROM (VALUES ${digits('NEW')}) AS v(k) WHERE v.k <> ''
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$prc$`,
        `CREATE OR REPLACE TRIGGER ${q(PHONE_KEYS_TABLE)} AFTER INSERT OR DELETE OR UPDATE OF ${[customers.id, ...customers.phones].map(q).join(', ')} ON ${q(customers.table)} FOR EACH ROW EXECUTE FUNCTION ${sync}()`,
        `DELETE FROM ${keys}`,
        `INSERT INTO ${keys} (customer_id, phone_key) SELECT DISTINCT customer_id, phone_key FROM (${fill}) AS v WHERE phone_key <> ''`,
        `COMMENT ON TABLE ${keys} IS '${signature}'`,
        'COMMIT',
        `ANALYZE ${keys}`,
      ],
    };
  }
  const syntax = syntaxOf('mysql');
  const q = syntax.quote;
  const keys = q(table);
  const schema = schemaOf(customers.table);
  const trigger = (name: string) => (schema === undefined ? q(name) : `${q(schema)}.${q(name)}`);
  // LEFT: a key longer than the column (a stray 70-digit value) never fails the CRM's own write.
  const digits = (column: string) => `LEFT(REGEXP_REPLACE(${column}, '[^0-9]', ''), ${DIGITS_LENGTH})`;
  const keysOf = (row: string) =>
    `SELECT DISTINCT ${row}.${q(customers.id)}, v.k FROM (${customers.phones.map((phone) => `SELECT ${digits(`${row}.${q(phone)}`)} AS k`).join(' UNION ALL ')}) AS v WHERE v.k <> ''`;
  // An update that leaves the id and every phone as they were changes no key.
  const changed = `NOT (${[customers.id, ...customers.phones].map((column) => `OLD.${q(column)} <=> NEW.${q(column)}`).join(' AND ')})`;
  const [afterInsert, beforeUpdate, afterUpdate, afterDelete] = MARIA_TRIGGERS.map(trigger) as [string, string, string, string];
  const fill = customers.phones.map((phone) => `SELECT c.${q(customers.id)} AS customer_id, ${digits(`c.${q(phone)}`)} AS phone_key FROM ${q(customers.table)} c`).join(' UNION ALL ');
  return {
    table,
    statements: [
      `CREATE TABLE IF NOT EXISTS ${keys} (phone_key VARCHAR(${DIGITS_LENGTH}) NOT NULL, PRIMARY KEY (phone_key, customer_id), KEY ${q(`${PHONE_KEYS_TABLE}_customer`)} (customer_id)) SELECT c.${q(customers.id)} AS customer_id, '' AS phone_key FROM ${q(customers.table)} c WHERE 1 = 0`,
      // Not used by the repository while it is rebuilt (the comment names what it was built for).
      `ALTER TABLE ${keys} COMMENT = ''`,
      `CREATE OR REPLACE TRIGGER ${afterInsert} AFTER INSERT ON ${q(customers.table)} FOR EACH ROW INSERT IGNORE INTO ${keys} (customer_id, phone_key) ${keysOf('NEW')}`,
      `CREATE OR REPLACE TRIGGER ${beforeUpdate} BEFORE UPDATE ON ${q(customers.table)} FOR EACH ROW DELETE FROM ${keys} WHERE customer_id = OLD.${q(customers.id)} AND ${changed}`,
      `CREATE OR REPLACE TRIGGER ${afterUpdate} AFTER UPDATE ON ${q(customers.table)} FOR EACH ROW INSERT IGNORE INTO ${keys} (customer_id, phone_key) ${keysOf('NEW')} AND ${changed}`,
      `CREATE OR REPLACE TRIGGER ${afterDelete} AFTER DELETE ON ${q(customers.table)} FOR EACH ROW DELETE FROM ${keys} WHERE customer_id = OLD.${q(customers.id)}`,
      `DELETE FROM ${keys}`,
      `INSERT IGNORE INTO ${keys} (customer_id, phone_key) SELECT customer_id, phone_key FROM (${fill}) AS v WHERE phone_key <> ''`,
      `ALTER TABLE ${keys} COMMENT = '${signature}'`,
      `ANALYZE TABLE ${keys}`,
    ],
  };
}

/** The DDL that removes the phone-key table and its triggers (`db indexes --drop-phone-keys`); lookups go back to the phone columns. */
export function dropPhoneKeysPlan(engine: SqlEngine, mapping: SqlMapping): PhoneKeysPlan {
  if (engine === 'mysql') throw new RangeError('--drop-phone-keys is for PostgreSQL and MariaDB');
  const table = phoneKeysTableOf(mapping);
  const schema = schemaOf(mapping.customers.table);
  if (engine === 'postgres') {
    const q = syntaxOf('postgres').quote;
    const sync = schema === undefined ? q('prc_phone_keys_sync') : `${q(schema)}.${q('prc_phone_keys_sync')}`;
    return {
      table,
      statements: [
        'BEGIN',
        `DROP TRIGGER IF EXISTS ${q(PHONE_KEYS_TABLE)} ON ${q(mapping.customers.table)}`,
        `DROP FUNCTION IF EXISTS ${sync}()`,
        `DROP TABLE IF EXISTS ${q(table)}`,
        'COMMIT',
      ],
    };
  }
  const q = syntaxOf('mysql').quote;
  const trigger = (name: string) => (schema === undefined ? q(name) : `${q(schema)}.${q(name)}`);
  return { table, statements: [...MARIA_TRIGGERS.map((name) => `DROP TRIGGER IF EXISTS ${trigger(name)}`), `DROP TABLE IF EXISTS ${q(table)}`] };
}

/**
 * Runs a plan: on PostgreSQL as one text (one round trip, one connection, so BEGIN … COMMIT
 * holds), on MariaDB statement by statement (its DDL commits each one anyway).
 */
export async function runPhoneKeysPlan(runner: SqlRunner, plan: PhoneKeysPlan): Promise<void> {
  if (runner.dialect === 'postgres') {
    await runner.run(plan.statements.join(';\n'), []);
    return;
  }
  for (const statement of plan.statements) await runner.run(statement, []);
}

const POSTGRES_FIND = `SELECT obj_description(to_regclass($1::text), 'pg_class') AS built_for,
  EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = to_regclass($2::text) AND t.tgname = '${PHONE_KEYS_TABLE}' AND t.tgenabled <> 'D') AS synced`;
// MariaDB shows triggers only to users with the TRIGGER privilege, which a SELECT-only serving
// user lacks: the comment, written after the triggers and cleared while they are rebuilt, says
// the table is complete.
const MARIA_FIND = `SELECT TABLE_COMMENT AS built_for, 1 AS synced FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = '${PHONE_KEYS_TABLE}'`;

const isTrue = (value: unknown) => value === true || value === 't' || value === 1 || value === '1';

/** Whether the phone-key table exists and is complete for this mapping, and which state it is in when it is not. */
export type PhoneKeysState = 'ready' | 'missing' | 'other-mapping' | 'unreadable';

/**
 * Reads from the catalog whether the mapping's phone-key table is there, built for this mapping
 * and kept by its trigger, and readable by this user (a `SELECT` of no row).
 */
export async function readPhoneKeysState(runner: SqlRunner, mapping: SqlMapping): Promise<PhoneKeysState> {
  const table = phoneKeysTableOf(mapping);
  const syntax = syntaxOf(runner.dialect);
  const [row] =
    runner.dialect === 'postgres'
      ? await runner.run(POSTGRES_FIND, [syntax.quote(table), syntax.quote(mapping.customers.table)])
      : await runner.run(MARIA_FIND, [schemaOf(mapping.customers.table) ?? null]);
  if (row === undefined || row.built_for === null || row.built_for === undefined) return 'missing';
  if (toText(row.built_for) !== phoneKeysSignature(mapping) || !isTrue(row.synced)) return 'other-mapping';
  try {
    await runner.run(`SELECT customer_id FROM ${syntax.quote(table)} WHERE 1 = 0`, []);
  } catch {
    return 'unreadable';
  }
  return 'ready';
}
