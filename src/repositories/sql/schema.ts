import { CustomerSchema, LabelListSchema, toContractIssues } from '../../contract/index.js';
import { countNationalNumbers, nationalNumbersWarning } from '../national-numbers.js';
import { readTableIndexes, type TableIndexes } from './catalog-indexes.js';
import { createRunner, type SqlClient, type SqlRunner } from './client.js';
import { type SqlDialect, syntaxOf, splitTable } from './dialect.js';
import { grantee } from './grantee.js';
import { checkPhoneKeys, phoneKeysOutOfStep } from './check-phone-keys.js';
import { type IndexNeed, missingIndex, type PlannedIndex, plannedIndexes } from './indexes.js';
import { parseSqlMapping, type SqlMapping } from './mapping.js';
import { customerSample, labelList, SAMPLE_COUNTRY, toCustomer, toLabel, withoutOwnCountry } from './queries.js';
import { toText } from './values.js';

/**
 * The database engine behind a client: what decides the index DDL.
 *
 * @example
 * ```ts
 * import type { SqlEngine } from 'priority-routing-crm/sql';
 * const engine: SqlEngine = 'mariadb';
 * ```
 */
export type SqlEngine = 'postgres' | 'mysql' | 'mariadb';

/**
 * One thing wrong between a mapping and a database: the mapping key (or the row) it concerns,
 * and what is wrong.
 *
 * @example
 * ```ts
 * import { type SqlSchemaProblem } from 'priority-routing-crm/sql';
 * const problem: SqlSchemaProblem = { key: 'customers.phones[2]', message: 'column "work_phone" not found in crm.contacts' };
 * ```
 */
export interface SqlSchemaProblem {
  key: string;
  message: string;
}

/** The columns of a table or view, by name (lower case on MySQL, where names ignore case), with their SQL type. */
export type TableColumns = ReadonlyMap<string, string>;

const COLUMNS_SQL: Record<SqlDialect, string> = {
  postgres:
    'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = COALESCE($1::text, current_schema()::text) AND table_name = $2::text',
  mysql:
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
};

const normalName = (dialect: SqlDialect, name: string) => (dialect === 'mysql' ? name.toLowerCase() : name);

/** The columns of `table` (empty when it does not exist or the user cannot see it). */
export async function readColumns(runner: SqlRunner, table: string): Promise<TableColumns> {
  const rows = await runner.run(COLUMNS_SQL[runner.dialect], splitTable(table));
  return new Map(rows.map((row) => [normalName(runner.dialect, toText(row.name)), toText(row.type).toLowerCase()]));
}

/**
 * The engine behind a runner: PostgreSQL, or MySQL and MariaDB told apart by `VERSION()`.
 */
export async function detectEngine(runner: SqlRunner): Promise<SqlEngine> {
  // Asked of PostgreSQL too: the answer proves the database is reachable.
  const [row] = await runner.run('SELECT VERSION() AS version', []);
  if (runner.dialect === 'postgres') return 'postgres';
  return /mariadb/i.test(toText(row?.version)) ? 'mariadb' : 'mysql';
}

type Kind = 'text' | 'integer' | 'number' | 'date' | 'uuid' | 'array' | 'json' | 'other';

function kindOf(type: string): Kind {
  if (/^(text|character varying|character|varchar|char|tinytext|mediumtext|longtext|citext|user-defined|name|enum|set)$/.test(type)) return 'text';
  if (/^(smallint|integer|bigint|int|tinyint|mediumint)$/.test(type)) return 'integer';
  if (/^(numeric|decimal|real|double precision|double|float)$/.test(type)) return 'number';
  if (/^(timestamp|timestamp with(out)? time zone|date|datetime)$/.test(type)) return 'date';
  if (type === 'uuid') return 'uuid';
  if (type === 'array') return 'array';
  if (type === 'json' || type === 'jsonb') return 'json';
  return 'other';
}

const SCALAR: readonly Kind[] = ['text', 'integer', 'number', 'uuid'];
const ALLOWED: Record<string, { kinds: readonly Kind[]; what: string }> = {
  id: { kinds: SCALAR, what: 'a text, integer or uuid column' },
  phone: { kinds: ['text'], what: 'a text column (a view can cast a numeric one)' },
  text: { kinds: [...SCALAR, 'date'], what: 'a text column' },
  date: { kinds: ['date', 'text', 'integer', 'number'], what: 'a date, timestamp, text or epoch-number column' },
  version: { kinds: ['integer', 'number'], what: 'an integer column' },
  labelIds: { kinds: ['array', 'json', 'text'], what: 'an array or JSON array column' },
};

/** The columns a mapping names: mapping key, table, column and what its type must be. */
function mappedColumns(mapping: SqlMapping, dialect: SqlDialect): Array<{ key: string; table: string; column: string; role: string }> {
  const list: Array<{ key: string; table: string; column: string; role: string }> = [];
  const add = (section: string, table: string, key: string, column: string | undefined, role: string) => {
    if (column !== undefined) list.push({ key: `${section}.${key}`, table, column, role });
  };
  const { customers, labels, customerLabels } = mapping;
  add('customers', customers.table, 'id', customers.id, 'id');
  // MySQL's REGEXP_REPLACE takes numbers as well; PostgreSQL's takes text only.
  customers.phones.forEach((phone, index) => add('customers', customers.table, `phones[${index}]`, phone, dialect === 'mysql' ? 'text' : 'phone'));
  for (const key of ['firstName', 'lastName', 'email', 'createdBy', 'updatedBy'] as const) add('customers', customers.table, key, customers[key], 'text');
  for (const key of ['createdAt', 'updatedAt'] as const) add('customers', customers.table, key, customers[key], 'date');
  add('customers', customers.table, 'version', customers.version, 'version');
  add('customers', customers.table, 'labelIds', customers.labelIds, 'labelIds');
  add('labels', labels.table, 'id', labels.id, 'id');
  add('labels', labels.table, 'name', labels.name, 'text');
  add('labels', labels.table, 'color', labels.color, 'text');
  for (const key of ['createdBy', 'updatedBy'] as const) add('labels', labels.table, key, labels[key], 'text');
  for (const key of ['createdAt', 'updatedAt'] as const) add('labels', labels.table, key, labels[key], 'date');
  add('labels', labels.table, 'version', labels.version, 'version');
  if (customerLabels !== undefined) {
    add('customerLabels', customerLabels.table, 'customerId', customerLabels.customerId, 'id');
    add('customerLabels', customerLabels.table, 'labelId', customerLabels.labelId, 'id');
  }
  return list;
}

/** Error codes that say "this user may not read it" (PostgreSQL SQLSTATE, MySQL/MariaDB errno). */
const DENIED: ReadonlySet<string> = new Set(['42501', '1142', '1143', '1044']);

/**
 * Whether this user may read `column` (or the table, without one): information_schema lists only
 * what a user has some privilege on, so a column it may not read looks missing there. A `SELECT`
 * of no row tells them apart.
 */
async function readable(runner: SqlRunner, table: string, column?: string): Promise<'yes' | 'denied' | 'missing'> {
  const syntax = syntaxOf(runner.dialect);
  try {
    await runner.run(`SELECT ${column === undefined ? '1' : syntax.quote(column)} FROM ${syntax.quote(table)} WHERE 1 = 0`, []);
    return 'yes';
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown; errno?: unknown }).errno ?? (error as { code?: unknown }).code) : '';
    return DENIED.has(code) || /denied/i.test(error instanceof Error ? error.message : '') ? 'denied' : 'missing';
  }
}

/** The problem for a table or column this user may not read: permission denied, and the GRANT that allows it. */
async function deniedProblem(runner: SqlRunner, key: string, table: string, column?: string): Promise<SqlSchemaProblem> {
  const to = await grantee(runner);
  const what = column === undefined ? `table or view "${table}"` : `column "${column}" of ${table}`;
  const grant = column === undefined ? `GRANT SELECT ON ${table} TO ${to}` : `GRANT SELECT (${column}) ON ${table} TO ${to}`;
  // A column denied while its table is readable: the schema is usable. A whole table: maybe not.
  const schema = column === undefined && runner.dialect === 'postgres' && table.includes('.') ? ` (and GRANT USAGE ON SCHEMA ${table.slice(0, table.indexOf('.'))} TO ${to} if it lacks that)` : '';
  return { key, message: `${what}: permission denied for this database user; as an administrator, run: ${grant}${schema}` };
}

/**
 * Checks a mapping against the live schema: every table exists and every mapped column exists
 * with a usable type, and this user may read them (a table or column it may not read is
 * "permission denied" with the GRANT to run, not "not found"). Sends only `SELECT`s.
 */
export async function checkSchema(runner: SqlRunner, mapping: SqlMapping): Promise<SqlSchemaProblem[]> {
  const problems: SqlSchemaProblem[] = [];
  const tables = new Map<string, TableColumns>();
  const sections = [
    ['customers', mapping.customers.table],
    ['labels', mapping.labels.table],
    ...(mapping.customerLabels === undefined ? [] : [['customerLabels', mapping.customerLabels.table]]),
  ] as const;
  for (const [section, table] of sections) {
    if (tables.has(table)) continue;
    const columns = await readColumns(runner, table);
    tables.set(table, columns);
    if (columns.size > 0) continue;
    if ((await readable(runner, table)) === 'denied') problems.push(await deniedProblem(runner, `${section}.table`, table));
    else problems.push({ key: `${section}.table`, message: `table or view "${table}" not found (or this user cannot see it)` });
  }
  for (const { key, table, column, role } of mappedColumns(mapping, runner.dialect)) {
    const columns = tables.get(table);
    if (columns === undefined || columns.size === 0) continue;
    const type = columns.get(normalName(runner.dialect, column));
    if (type === undefined) {
      const access = await readable(runner, table, column);
      if (access === 'denied') problems.push(await deniedProblem(runner, key, table, column));
      else if (access === 'missing') problems.push({ key, message: `column "${column}" not found in ${table}` });
      continue;
    }
    const allowed = ALLOWED[role]!;
    if (!allowed.kinds.includes(kindOf(type))) problems.push({ key, message: `column "${column}" of ${table} is ${type}; expected ${allowed.what}` });
  }
  return problems;
}

/** What each index of the plan needs on this database, the catalog read once per table; a view's cannot be told. */
export async function indexNeeds(runner: SqlRunner, engine: SqlEngine, mapping: SqlMapping): Promise<Array<{ planned: PlannedIndex; need: IndexNeed | 'view' }>> {
  const existing = new Map<string, TableIndexes>();
  const needs: Array<{ planned: PlannedIndex; need: IndexNeed | 'view' }> = [];
  for (const planned of plannedIndexes(engine, mapping)) {
    if (!existing.has(planned.table)) existing.set(planned.table, await readTableIndexes(runner, engine, planned.table));
    const table = existing.get(planned.table)!;
    needs.push({ planned, need: table.kind === 'view' ? 'view' : missingIndex(engine, planned, table) });
  }
  return needs;
}

/**
 * The phone columns (and the join table's customer column) no index serves, as problems naming
 * `db indexes`; a view is a warning, since its base tables' indexes are not tied to it in the
 * catalog. When lookups use the phone-key table of `db indexes --phone-keys`, the phone columns
 * need no index: the table is checked instead (`phoneKeysTable` names it then).
 */
export async function checkIndexes(runner: SqlRunner, engine: SqlEngine, mapping: SqlMapping): Promise<{ problems: SqlSchemaProblem[]; warnings: string[]; phoneKeysTable: string | undefined }> {
  const keys = await checkPhoneKeys(runner, engine, mapping);
  const problems: SqlSchemaProblem[] = [...keys.problems];
  const warnings: string[] = [...keys.warnings];
  for (const { planned, need } of await indexNeeds(runner, engine, mapping)) {
    if (planned.phone && keys.table !== undefined) continue;
    if (need === 'view') {
      warnings.push(`${planned.key}: ${planned.table} is a view, so whether an index of its base table serves the lookup on "${planned.column}" cannot be read from the catalog; index the base table's column (docs/sql.md) and check with EXPLAIN`);
    } else if ('statement' in need) {
      problems.push({
        key: planned.key,
        message: planned.phone
          ? `no index serves the phone lookup on "${planned.column}" of ${planned.table}: every lookup reads the whole table; create it with "priority-routing-crm db indexes"`
          : `no index on "${planned.column}" of ${planned.table}: the labels of each customer found are read by a whole-table scan; create it with "priority-routing-crm db indexes"`,
      });
    }
  }
  return { problems, warnings, phoneKeysTable: keys.table };
}

/**
 * Options of {@link checkSqlDatabase}.
 *
 * @example
 * ```ts
 * import { type CheckSqlDatabaseOptions } from 'priority-routing-crm/sql';
 * const options: CheckSqlDatabaseOptions = { client: pool, mapping, sampleSize: 100 };
 * ```
 */
export interface CheckSqlDatabaseOptions {
  client: SqlClient;
  mapping: unknown;
  dialect?: SqlDialect | undefined;
  /** How many customer rows to read and check against the contract; 0 checks the schema only. Default 100. */
  sampleSize?: number | undefined;
}

/** What {@link inspectSqlDatabase} found: the problems, warnings, and how many customer rows it read. */
export interface SqlDatabaseReport {
  problems: SqlSchemaProblem[];
  warnings: string[];
  /** Customer rows really read (at most the sample size; fewer when the table has fewer). */
  sampledRows: number;
  /**
   * The phone numbers of the sampled rows whose numbers are read in the default country, for the
   * caller's own checks (national spellings): a row with its own country (the mapping's
   * `customers.country`) reads its national spellings there, so its numbers are not here.
   */
  sampledPhones: string[];
  /** How many sampled rows {@link sampledPhones} come from (all of them without `customers.country`). */
  sampledPhoneRows: number;
}

/**
 * `db check` in full: the schema, the indexes the lookups need, every label and a sample of
 * customers against the contract, with the count of rows really read.
 */
export async function inspectSqlDatabase(options: CheckSqlDatabaseOptions): Promise<SqlDatabaseReport> {
  const mapping = parseSqlMapping(options.mapping);
  const runner = createRunner(options.client, options.dialect);
  const sampleSize = options.sampleSize ?? 100;
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 0) throw new RangeError(`sampleSize must be a whole number, 0 or more, got ${String(sampleSize)}`);
  const report: SqlDatabaseReport = { problems: await checkSchema(runner, mapping), warnings: [], sampledRows: 0, sampledPhones: [], sampledPhoneRows: 0 };
  if (report.problems.length > 0) return report;
  const engine = await detectEngine(runner);
  const indexes = await checkIndexes(runner, engine, mapping);
  report.problems.push(...indexes.problems);
  report.warnings.push(...indexes.warnings);
  if (sampleSize <= 0) return report;

  const { problems } = report;
  const labels = (await runner.run(labelList(runner.dialect, mapping).text, [])).map(toLabel);
  const result = LabelListSchema.safeParse(labels);
  if (!result.success) {
    for (const issue of toContractIssues(result.error.issues)) {
      const index = issue.segments[0];
      const id = typeof index === 'number' ? labels[index]?._id : undefined;
      problems.push({ key: `labels row ${JSON.stringify(id ?? '')}`, message: `${issue.segments.slice(1).join('.')}: ${issue.message}` });
    }
  }
  const labelIds = new Set(labels.map((label) => label._id));
  const sample = await runner.run(customerSample(runner.dialect, mapping, sampleSize).text, []);
  report.sampledRows = sample.length;
  const customers = sample.map(toCustomer);
  if (indexes.phoneKeysTable !== undefined) {
    const outOfStep = await phoneKeysOutOfStep(runner, engine, indexes.phoneKeysTable, customers);
    if (outOfStep !== undefined) problems.push(outOfStep);
  }
  for (const [index, row] of sample.entries()) {
    const customer = customers[index]!;
    if (mapping.customers.country === undefined || withoutOwnCountry(row[SAMPLE_COUNTRY])) {
      report.sampledPhones.push(customer.phone1, customer.phone2, customer.phone3, customer.phone4, customer.phone5);
      report.sampledPhoneRows += 1;
    }
    const key = `customers row ${JSON.stringify(customer._id)}`;
    const parsed = CustomerSchema.safeParse(customer);
    if (!parsed.success) {
      for (const issue of toContractIssues(parsed.error.issues)) problems.push({ key, message: `${issue.path.replace(/^\$\.?/, '')}: ${issue.message}` });
      continue;
    }
    // Hybrid Chat silently gives such a label no weight: the customer routes as if unlabelled.
    for (const id of customer.labels) {
      if (!labelIds.has(id)) problems.push({ key, message: `labels: ${JSON.stringify(id)} is not the id of any label in ${mapping.labels.table}` });
    }
  }
  return report;
}

/**
 * `db check`'s warning about national spellings in its sample (no default country given), or
 * undefined when there are none. Rows with their own country (`customers.country`) are not
 * counted: their national spellings are read in that country, as `serve`'s start-up check
 * reads them. `advice` says how to set the country.
 */
export function sampleNationalWarning(report: SqlDatabaseReport, mapping: SqlMapping, advice: string): string | undefined {
  const own = mapping.customers.country;
  const rows = own === undefined ? `the ${report.sampledRows} sampled rows` : `the ${report.sampledPhoneRows} of ${report.sampledRows} sampled rows with no country in "${own}"`;
  return nationalNumbersWarning(countNationalNumbers(report.sampledPhones), `phone numbers in ${rows} of ${mapping.customers.table}`, advice);
}

/**
 * What `db check` does: the mapping against the live schema (tables, columns, types, read
 * permission), the indexes the phone lookups need (a phone column no index serves is a problem;
 * while lookups use the phone-key table of `db indexes --phone-keys`, that table instead),
 * then every label and a sample of customer rows read through the mapping and checked against
 * the contract, including customer label ids that no label has. Resolves to every problem found
 * (empty when all is well).
 *
 * @example
 * ```ts
 * import { checkSqlDatabase } from 'priority-routing-crm/sql';
 * const problems = await checkSqlDatabase({ client: pool, mapping });
 * for (const { key, message } of problems) console.error(`${key}: ${message}`);
 * ```
 */
export async function checkSqlDatabase(options: CheckSqlDatabaseOptions): Promise<SqlSchemaProblem[]> {
  return (await inspectSqlDatabase(options)).problems;
}
