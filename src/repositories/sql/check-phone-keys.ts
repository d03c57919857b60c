// `db check` on the phone-key table of `db indexes --phone-keys`. When lookups use it, the phone
// columns need no index of their own (asking for them would send the operator to build indexes
// nothing reads); what matters instead is that the table is there for this mapping, readable,
// kept by its triggers and in step with the customers. Checked cheaply: the catalog, and the
// keys of the customers `db check` samples anyway.
import type { Customer } from '../../contract/types.js';
import type { SqlRunner } from './client.js';
import { DIGITS_LENGTH, syntaxOf, splitTable } from './dialect.js';
import { grantee } from './grantee.js';
import type { SqlMapping } from './mapping.js';
import { MARIA_TRIGGERS, PHONE_KEYS_TABLE, phoneKeysSignature, phoneKeysTableOf } from './phone-keys.js';
import type { SqlEngine, SqlSchemaProblem } from './schema.js';
import { toText } from './values.js';

/** What `db check` found of the phone-key table. */
export interface PhoneKeysCheck {
  /** The table lookups use (schema-qualified as the customers table), or undefined: the phone columns need their indexes. */
  table: string | undefined;
  problems: SqlSchemaProblem[];
  warnings: string[];
}

const REBUILD = 'rebuild it with "priority-routing-crm db indexes --phone-keys --apply" (or remove it with --drop-phone-keys --apply)';

const POSTGRES_CATALOG = `SELECT to_regclass($1::text) IS NOT NULL AS present, obj_description(to_regclass($1::text), 'pg_class') AS built_for,
  (SELECT t.tgenabled::text FROM pg_trigger t WHERE t.tgrelid = to_regclass($2::text) AND t.tgname = '${PHONE_KEYS_TABLE}') AS trigger`;
const MARIA_TABLE = `SELECT TABLE_COMMENT AS built_for FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = '${PHONE_KEYS_TABLE}'`;
const MARIA_TRIGGERS_SQL = `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = COALESCE(?, DATABASE()) AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME IN (${MARIA_TRIGGERS.map((name) => `'${name}'`).join(', ')})`;
// MariaDB lists a table's triggers only to a user with the TRIGGER privilege on it.
const MARIA_TRIGGER_PRIVILEGE = `SELECT 1 AS yes FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ? AND PRIVILEGE_TYPE = 'TRIGGER'
  UNION ALL SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = COALESCE(?, DATABASE()) AND PRIVILEGE_TYPE = 'TRIGGER'
  UNION ALL SELECT 1 FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND PRIVILEGE_TYPE = 'TRIGGER'`;

/** What keeps the table right: `ok`, or the problem or warning to say. */
type Triggers = { ok: true } | { ok: false; problem: string; used: boolean } | { ok: 'unseen'; warning: string };

async function postgresState(runner: SqlRunner, mapping: SqlMapping, table: string) {
  const q = syntaxOf('postgres').quote;
  const [row] = await runner.run(POSTGRES_CATALOG, [q(table), q(mapping.customers.table)]);
  const present = row?.present === true || row?.present === 't';
  const trigger = row?.trigger === null || row?.trigger === undefined ? undefined : toText(row.trigger);
  const on = mapping.customers.table;
  // The repository uses the table only while its trigger is there and enabled.
  const triggers: Triggers =
    trigger === undefined
      ? { ok: false, used: false, problem: `there is no trigger ${PHONE_KEYS_TABLE} on ${on}, so changes to the customers do not reach it and lookups do not use it: ${REBUILD}` }
      : trigger === 'D'
        ? { ok: false, used: false, problem: `its trigger ${PHONE_KEYS_TABLE} on ${on} is disabled, so changes to the customers do not reach it and lookups do not use it: ${REBUILD} (which enables it)` }
        : { ok: true };
  return { present, builtFor: row?.built_for === null || row?.built_for === undefined ? undefined : toText(row.built_for), triggers };
}

async function mariaState(runner: SqlRunner, mapping: SqlMapping) {
  const [schema, name] = splitTable(mapping.customers.table);
  const [row] = await runner.run(MARIA_TABLE, [schema]);
  if (row === undefined) return { present: false, builtFor: undefined, triggers: { ok: true } as Triggers };
  const seen = new Set((await runner.run(MARIA_TRIGGERS_SQL, [schema, name])).map((trigger) => toText(trigger.name)));
  const missing = MARIA_TRIGGERS.filter((trigger) => !seen.has(trigger));
  let triggers: Triggers = { ok: true };
  if (missing.length > 0) {
    const user = await grantee(runner);
    const mayTrigger = seen.size > 0 || (await runner.run(MARIA_TRIGGER_PRIVILEGE, [user, user, schema, user, schema, name])).length > 0;
    // MariaDB's repository uses a complete table whatever its triggers: a missing one means wrong answers.
    triggers = mayTrigger
      ? { ok: false, used: true, problem: `trigger${missing.length === 1 ? '' : 's'} ${missing.join(', ')} on ${mapping.customers.table} missing, so changes to the customers do not all reach it, yet lookups use it: ${REBUILD}` }
      : {
          ok: 'unseen',
          warning: `the triggers that keep it right cannot be checked: MariaDB shows them only to a user with the TRIGGER privilege on ${mapping.customers.table}, which ${user} lacks; run db check as the user that ran "db indexes --phone-keys"`,
        };
  }
  return { present: true, builtFor: toText(row.built_for), triggers };
}

/**
 * The phone-key table of a mapping as `db check` sees it: absent (nothing said; the phone
 * columns need their indexes), or what is wrong with it: built for other columns, left
 * incomplete by an interrupted build, a trigger missing or disabled, not readable by this user.
 */
export async function checkPhoneKeys(runner: SqlRunner, engine: SqlEngine, mapping: SqlMapping): Promise<PhoneKeysCheck> {
  const result: PhoneKeysCheck = { table: undefined, problems: [], warnings: [] };
  if (engine === 'mysql') return result;
  const table = phoneKeysTableOf(mapping);
  const found = engine === 'postgres' ? await postgresState(runner, mapping, table) : await mariaState(runner, mapping);
  if (!found.present) return result;
  const problem = (message: string) => result.problems.push({ key: table, message });
  if (found.builtFor !== phoneKeysSignature(mapping)) {
    problem(
      found.builtFor === undefined || found.builtFor === ''
        ? `an earlier "db indexes --phone-keys" did not finish, so the table may be incomplete and lookups do not use it: ${REBUILD}`
        : `it was built for another mapping (other table, id or phone columns), so lookups do not use it: ${REBUILD}`,
    );
    return result;
  }
  try {
    await runner.run(`SELECT customer_id FROM ${syntaxOf(runner.dialect).quote(table)} WHERE 1 = 0`, []);
  } catch {
    problem(`this database user may not read it, so lookups do not use it (serve's user needs the same); as an administrator, run: GRANT SELECT ON ${table} TO ${await grantee(runner)}`);
    return result;
  }
  const { triggers } = found;
  if (triggers.ok === false) problem(triggers.problem);
  if (triggers.ok === 'unseen') result.warnings.push(`${table}: ${triggers.warning}`);
  if (triggers.ok !== false || triggers.used) result.table = table;
  return result;
}

/**
 * Whether the sampled customers' keys in the phone-key table are those of their phone columns
 * (the digits of each, as the triggers write them): a problem naming how many differ, or
 * undefined. Catches a table that fell out of step (triggers off for a while, rows loaded
 * around them) at the cost of one indexed read of the sampled ids.
 */
export async function phoneKeysOutOfStep(runner: SqlRunner, engine: SqlEngine, table: string, customers: readonly Customer[]): Promise<SqlSchemaProblem | undefined> {
  if (customers.length === 0) return undefined;
  const syntax = syntaxOf(runner.dialect);
  const ids = [...new Set(customers.map((customer) => customer._id))];
  const list = ids.map((_, index) => syntax.parameter(index + 1)).join(', ');
  const rows = await runner.run(`SELECT ${syntax.plain('k.customer_id')} AS customer_id, k.phone_key AS phone_key FROM ${syntax.quote(table)} k WHERE k.customer_id IN (${list})`, ids);
  const stored = new Map<string, Set<string>>();
  for (const row of rows) {
    const id = toText(row.customer_id);
    if (!stored.has(id)) stored.set(id, new Set());
    stored.get(id)!.add(toText(row.phone_key));
  }
  // MariaDB's key column is VARCHAR(DIGITS_LENGTH): its triggers keep the first digits.
  const keyOf = (phone: string) => (engine === 'mariadb' ? phone.replace(/[^0-9]/g, '').slice(0, DIGITS_LENGTH) : phone.replace(/[^0-9]/g, ''));
  const differ = customers.filter((customer) => {
    const expected = new Set([customer.phone1, customer.phone2, customer.phone3, customer.phone4, customer.phone5].map(keyOf).filter((key) => key !== ''));
    const have = stored.get(customer._id) ?? new Set<string>();
    return expected.size !== have.size || [...expected].some((key) => !have.has(key));
  });
  if (differ.length === 0) return undefined;
  return {
    key: table,
    message: `the keys of ${differ.length} of ${customers.length} sampled customers (such as ${JSON.stringify(differ[0]!._id)}) are not the digits of their phone columns: the table is out of step (were its triggers off, or rows loaded around them?) and lookups miss or mismatch them: ${REBUILD}`,
  };
}
