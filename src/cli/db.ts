import process, { stdout } from 'node:process';
import { countryCodeProblem, isCountryCode } from '../contract/phone-keys.js';
import { createRunner, type SqlRunner } from '../repositories/sql/client.js';
import { phoneIndexes } from '../repositories/sql/indexes.js';
import { dropPhoneKeysPlan, type PhoneKeysPlan, phoneKeysPlan, readPhoneKeysState, runPhoneKeysPlan } from '../repositories/sql/phone-keys.js';
import type { SqlMapping } from '../repositories/sql/mapping.js';
import { databaseUrlProblem, hasDatabasePassword, redactDatabasePassword } from '../repositories/sql/open.js';
import { indexNeeds, inspectSqlDatabase, sampleNationalWarning, type SqlEngine } from '../repositories/sql/schema.js';
import type { Command } from './main.js';
import { checkEnvironment } from './environment.js';
import { openDatabase, separatePassword } from './serve/database.js';
import { defaultCountryProblem, readMappingFile } from './serve/mapping-file.js';
import { SEPARATE_PASSWORD } from './serve/options.js';
import { parseCommandLine, UsageError } from './usage.js';

const HELP = `Usage: priority-routing-crm db <indexes|check> --database <url> --mapping <file.json> [options]

Works on the SQL database a connector serves with "serve --database".

  db indexes   print the DDL that makes every phone lookup an index lookup on this engine
               (PostgreSQL expression indexes, MySQL 8 functional indexes, MariaDB indexed
               generated columns) and an index on the join table; --apply runs it
  db check     check the mapping against the live schema (tables, columns, types), the phone
               indexes (or the phone-key table, when lookups use it) and a sample of rows
               against the contract, naming every problem

Options:
      --database <url>    postgres://, postgresql://, mysql:// or mariadb://, without a password
                          (default: $PRC_DATABASE, then $DATABASE_URL, which may hold one)
      --mapping <file>    where the contract's fields are (JSON; see docs/sql.md)
      --apply             db indexes: create the missing indexes, not only print them
      --phone-keys        db indexes: also keep one table of normalised phone keys,
                          prc_phone_keys(customer_id, phone_key), indexed and kept right by
                          triggers on the customers table (PostgreSQL, MariaDB): a lookup is
                          then one indexed equality, used by serve as soon as it exists
      --drop-phone-keys   db indexes: remove that table and its triggers instead
      --sample <n>        db check: how many customer rows to check (default 100; 0 for none)
      --default-country <CC>
                          db check: the country of numbers stored in national form (as for
                          serve); without it, national numbers in the sample are a warning,
                          and a mapped customers.country a problem (serve needs it)
      --timeout <ms>      how long connecting may take (default 5000)
      --engine <name>     db indexes: print the DDL for postgres, mysql or mariadb without
                          connecting (instead of --database; nothing is skipped or applied)
  -h, --help              show this help

The password: in $PRC_DATABASE or $DATABASE_URL, or in $PRC_DATABASE_PASSWORD (else $PGPASSWORD,
$MYSQL_PWD) beside a URL without one; never on the command line, where ps shows it.

Exit codes: 0 done (db check: no problem); 1 a problem found, the database unreachable, or a
statement failed; 2 a wrong option.
`;

const options = {
  database: { type: 'string' },
  mapping: { type: 'string' },
  apply: { type: 'boolean' },
  'phone-keys': { type: 'boolean' },
  'drop-phone-keys': { type: 'boolean' },
  sample: { type: 'string' },
  timeout: { type: 'string' },
  engine: { type: 'string' },
  'default-country': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readCount(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,7}$/.test(value)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** A variable's value; set but empty counts as not set, as for serve. */
function fromEnvironment(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

const ENGINES: readonly SqlEngine[] = ['postgres', 'mysql', 'mariadb'];

/** What `db indexes` changes in the vendor's schema, said before the DDL (and in docs/sql.md). */
const CHANGES: Record<SqlEngine, string> = {
  postgres: '-- changes: indexes only, built CONCURRENTLY (writes go on meanwhile); no table or column changes\n',
  mysql: '-- changes: functional indexes only (their hidden columns are not in SELECT * or INSERT); no column changes\n',
  mariadb:
    '-- changes: adds an INVISIBLE VIRTUAL column <phone column>_digits per phone column (not in SELECT *, not counted by INSERT … VALUES without a column list) and an index on it, whose build reads the table once\n',
};

/** How to set the country, as db check says it. */
const SET_COUNTRY = 'give serve --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK), and db check the same flag';

/** `db check`'s report: each problem and warning, then the verdict with the rows really read. */
async function runCheck(opened: Awaited<ReturnType<typeof openDatabase>>, file: string, sampleSize: number, defaultCountry: string | undefined): Promise<number> {
  const { database } = opened;
  const report = await inspectSqlDatabase({ client: database.client, dialect: database.dialect, mapping: opened.mapping, sampleSize });
  const warnings = [...report.warnings];
  if (defaultCountry === undefined) {
    const national = sampleNationalWarning(report, opened.mapping, SET_COUNTRY);
    if (national !== undefined) warnings.push(national);
  }
  // What stops serve at start stops db check too: passing it means serve starts on this mapping.
  const country = defaultCountryProblem(opened.mapping, defaultCountry, SET_COUNTRY);
  const problems = country === undefined ? report.problems : [...report.problems, { key: 'customers.country', message: country }];
  stdout.write(`db check: ${file} against ${opened.describe}\n`);
  for (const { key, message } of problems) stdout.write(`  ✗ ${key}: ${message}\n`);
  for (const warning of warnings) stdout.write(`  ! warning: ${warning}\n`);
  if (problems.some(({ message }) => message.includes('"priority-routing-crm db indexes"'))) {
    stdout.write(`  fix: priority-routing-crm db indexes --mapping ${file} prints the DDL for review; add --apply to run it\n`);
  }
  const sampled = sampleSize === 0 ? 'schema only: --sample 0' : `${report.sampledRows} customer row${report.sampledRows === 1 ? '' : 's'} sampled`;
  const noted = warnings.length === 0 ? '' : `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  stdout.write(problems.length === 0 ? `  ✓ no problem found (${sampled}${noted})\n` : `${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  return problems.length === 0 ? 0 : 1;
}

/** Which phone-key work `db indexes` does: none, create (`--phone-keys`) or drop (`--drop-phone-keys`). */
type PhoneKeysAction = 'none' | 'create' | 'drop';

const PHONE_KEYS_CHANGES =
  '-- changes: a table prc_phone_keys(customer_id, phone_key) in the schema of the customers table, its indexes, and triggers on the customers table that keep it right on every insert, update and delete; writes to the customers wait while it is filled\n';

/** A plan as the operator reads it: one statement a line (PostgreSQL's between BEGIN and COMMIT). */
const printPlan = (plan: PhoneKeysPlan) => stdout.write(`${plan.statements.join(';\n')};\n`);

/** The phone-key table and triggers, or `--engine mysql` with them: an operator mistake (exit 2). */
function phoneKeysPlanFor(action: Exclude<PhoneKeysAction, 'none'>, engine: SqlEngine, mapping: SqlMapping): PhoneKeysPlan {
  try {
    return action === 'create' ? phoneKeysPlan(engine, mapping) : dropPhoneKeysPlan(engine, mapping);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `db indexes --phone-keys` / `--drop-phone-keys` on a live database: what it would run, run with `--apply`. */
async function runPhoneKeys(runner: SqlRunner, engine: SqlEngine, mapping: SqlMapping, action: Exclude<PhoneKeysAction, 'none'>, apply: boolean): Promise<void> {
  const plan = phoneKeysPlanFor(action, engine, mapping);
  if (action === 'create') {
    if ((await readPhoneKeysState(runner, mapping)) === 'ready') {
      stdout.write(`-- already present: ${plan.table}, built for this mapping and kept by its triggers\n`);
      return;
    }
    stdout.write(PHONE_KEYS_CHANGES);
  } else stdout.write(`-- removes ${plan.table} and its triggers; lookups go back to the phone columns' indexes\n`);
  printPlan(plan);
  if (apply) {
    await runPhoneKeysPlan(runner, plan);
    stdout.write(action === 'create' ? `-- created ${plan.table}\n` : `-- dropped ${plan.table}\n`);
  }
}

/** `db indexes`: the DDL of each index no existing one serves (matched by definition, not name), run with `--apply`. */
async function runIndexes(runner: SqlRunner, engine: SqlEngine, mapping: SqlMapping, describe: string, apply: boolean, phoneKeys: PhoneKeysAction): Promise<number> {
  if (phoneKeys === 'drop') {
    stdout.write(`-- phone-key table for ${describe}\n`);
    await runPhoneKeys(runner, engine, mapping, phoneKeys, apply);
    return 0;
  }
  // Checked before anything is printed or run.
  if (phoneKeys === 'create') phoneKeysPlanFor(phoneKeys, engine, mapping);
  stdout.write(`-- phone lookup indexes for ${describe}\n${CHANGES[engine]}`);
  for (const { planned, need } of await indexNeeds(runner, engine, mapping)) {
    if (need !== 'view' && 'servedBy' in need) {
      stdout.write(need.servedBy === planned.name ? `-- already present: ${planned.name}\n` : `-- already served by ${need.servedBy}: ${planned.name} is not needed\n`);
      continue;
    }
    // On a view the index cannot go: the statement fails and says so, as before.
    const statement = need === 'view' ? planned.statement : need.statement;
    stdout.write(`${statement};\n`);
    if (apply) {
      await runner.run(statement, []);
      stdout.write(`-- created ${planned.name}\n`);
    }
  }
  if (phoneKeys === 'create') await runPhoneKeys(runner, engine, mapping, phoneKeys, apply);
  return 0;
}

/** `db indexes --engine <name>`: the DDL for a database this machine cannot (or should not) reach. */
async function printOffline(action: 'indexes' | 'check', values: { engine?: string; database?: string; mapping?: string; apply?: boolean }, phoneKeys: PhoneKeysAction): Promise<number> {
  const engine = values.engine as SqlEngine;
  if (action !== 'indexes') throw new UsageError('--engine is for db indexes');
  if (!ENGINES.includes(engine)) throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}, got ${JSON.stringify(values.engine)}`);
  if (values.database !== undefined) throw new UsageError('give either --database or --engine, not both');
  if (values.apply) throw new UsageError('--apply needs --database: --engine only prints');
  if (values.mapping === undefined) throw new UsageError('give --mapping <file.json>: where the customers and labels are');
  const mapping = await readMappingFile(values.mapping);
  if (phoneKeys === 'drop') {
    printPlan(phoneKeysPlanFor(phoneKeys, engine, mapping));
    return 0;
  }
  const plan = phoneKeys === 'create' ? phoneKeysPlanFor(phoneKeys, engine, mapping) : undefined;
  stdout.write(`-- phone lookup indexes for ${engine} (not connected: indexes that exist already are not skipped)\n${CHANGES[engine]}`);
  for (const { statement } of phoneIndexes(engine, mapping)) stdout.write(`${statement};\n`);
  if (plan !== undefined) {
    stdout.write(PHONE_KEYS_CHANGES);
    printPlan(plan);
  }
  return 0;
}

/**
 * `priority-routing-crm db indexes|check`: index DDL for the phone lookups, and a check of a
 * mapping against the live database.
 */
export const dbCommand: Command = {
  summary: 'print or apply the phone indexes of a SQL database, or check a mapping against it',
  async main(args) {
    const { values, positionals } = parseCommandLine({ args, options, allowPositionals: true });
    if (values.help) {
      stdout.write(HELP);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (action !== 'indexes' && action !== 'check') {
      throw new UsageError(action === undefined ? 'db needs a subcommand: indexes or check' : `unknown db subcommand "${action}"; expected indexes or check`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (values['phone-keys'] && values['drop-phone-keys']) throw new UsageError('give either --phone-keys or --drop-phone-keys, not both');
    const phoneKeys: PhoneKeysAction = values['phone-keys'] ? 'create' : values['drop-phone-keys'] ? 'drop' : 'none';
    if (phoneKeys !== 'none' && action !== 'indexes') throw new UsageError(`--${phoneKeys === 'create' ? '' : 'drop-'}phone-keys is for db indexes`);
    if (values.engine !== undefined) return printOffline(action, values, phoneKeys);
    checkEnvironment(process.env);
    const source = values.database === undefined ? ['PRC_DATABASE', 'DATABASE_URL'].find((name) => fromEnvironment(name) !== undefined) : '--database';
    const url = values.database ?? (source === undefined ? undefined : fromEnvironment(source));
    if (url === undefined) throw new UsageError('give --database <url> (or DATABASE_URL in the environment)');
    if (values.database !== undefined && hasDatabasePassword(values.database)) {
      throw new UsageError(
        '--database holds a password, which ps shows on the command line: set DATABASE_URL (or PRC_DATABASE) in the environment, or give the URL without the password and the password in PRC_DATABASE_PASSWORD (or PGPASSWORD / MYSQL_PWD)',
      );
    }
    const problem = databaseUrlProblem(url, SEPARATE_PASSWORD);
    if (problem !== undefined) throw new UsageError(`${source}: ${problem}`);
    const password = separatePassword(url, fromEnvironment('PRC_DATABASE_PASSWORD'), process.env);
    if (values.mapping === undefined) throw new UsageError('give --mapping <file.json>: where the customers and labels are');
    if (values.apply && action === 'check') throw new UsageError('--apply is for db indexes');
    if (values.sample !== undefined && action === 'indexes') throw new UsageError('--sample is for db check');
    const sampleSize = readCount(values.sample, '--sample', 100);
    const timeoutMs = readCount(values.timeout, '--timeout', 5000) || 5000;

    // As serve reads it: `pk` is PK.
    const defaultCountry = values['default-country']?.trim().toUpperCase();
    if (defaultCountry !== undefined && action === 'indexes') throw new UsageError('--default-country is for db check');
    if (defaultCountry !== undefined && !isCountryCode(defaultCountry)) throw new UsageError(countryCodeProblem('--default-country', defaultCountry));

    const mapping = await readMappingFile(values.mapping);
    const opened = await openDatabase(url, mapping, timeoutMs, password);
    const { database } = opened;
    try {
      if (action === 'check') return await runCheck(opened, values.mapping, sampleSize, defaultCountry);
      return await runIndexes(createRunner(database.client, database.dialect), opened.engine, mapping, opened.describe, values.apply === true, phoneKeys);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new Error(`${action === 'check' ? 'db check' : 'db indexes'} on ${database.host}: ${redactDatabasePassword(error instanceof Error ? error.message : String(error), url, password)}`);
    } finally {
      await database.close().catch(() => {});
    }
  },
};
