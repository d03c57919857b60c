import process from 'node:process';
import type { CountryCode } from '../../contract/phone-keys.js';
import { countNationalNumbers, nationalNumbersWarning } from '../../repositories/national-numbers.js';
import { createRunner, type SqlRunner } from '../../repositories/sql/client.js';
import type { SqlMapping } from '../../repositories/sql/mapping.js';
import { hasDatabasePassword, openSqlDatabase, redactDatabasePassword, type SqlDatabase } from '../../repositories/sql/open.js';
import { phoneSample } from '../../repositories/sql/queries.js';
import { createSqlRepository, type SqlRepository } from '../../repositories/sql/repository.js';
import { checkSchema, detectEngine, type SqlEngine } from '../../repositories/sql/schema.js';
import { UsageError } from '../usage.js';
import { DatabaseUnreachableError } from './database-wait.js';
import { readMappingFile, refuseWithoutDefaultCountry } from './mapping-file.js';
import { SEPARATE_PASSWORD, SET_DEFAULT_COUNTRY } from './options.js';

export { DatabaseUnreachableError };

/**
 * A database opened for a command: the pool, its engine, and how to name it in messages
 * (password masked).
 */
export interface OpenedDatabase {
  database: SqlDatabase;
  mapping: SqlMapping;
  engine: SqlEngine;
  /** `postgres://crm:***@db:5432/crm, PostgreSQL`. */
  describe: string;
}

const ENGINE_NAMES: Record<SqlEngine, string> = { postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' };

/** Driver error codes that retrying cannot fix: authentication and a database that does not exist. */
const PERMANENT_CODES = new Set(['28P01', '28000', '3D000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE']);

const isPermanent = (error: unknown) => PERMANENT_CODES.has(String((error as { code?: unknown } | null)?.code)) || noPasswordGiven(error);

/**
 * The server asked for a password and none was given: pg throws its SCRAM step's own words
 * (no code, so it read as "unreachable" and was retried for --database-wait), MySQL and MariaDB
 * deny access "(using password: NO)".
 */
const noPasswordGiven = (error: unknown) =>
  error instanceof Error && (/client password must be a (non-empty )?string/.test(error.message) || /\(using password: NO\)/.test(error.message));

/** Why a connection failed, with what to do when it is a missing password. */
const connectFailure = (error: unknown, reason: string) =>
  noPasswordGiven(error) ? `the database asks for a password and none was given: put it in the URL in the environment (DATABASE_URL), or ${SEPARATE_PASSWORD} (${reason})` : reason;

/**
 * The password given besides the URL: `configured` (`PRC_DATABASE_PASSWORD`, or serve's config
 * file), else, for a URL without one, the driver's own variable (`PGPASSWORD` for PostgreSQL,
 * `MYSQL_PWD` for MySQL and MariaDB). Set but empty is an error, never "no password".
 */
export function separatePassword(url: string, configured: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (configured !== undefined || hasDatabasePassword(url)) return configured;
  const name = /^postgres/i.test(url) ? 'PGPASSWORD' : 'MYSQL_PWD';
  const value = env[name];
  if (value !== undefined && value.trim() === '') throw new UsageError(`${name} is set but empty: give it the database password, or unset it`);
  return value;
}

/** The text of a driver error, which may be an AggregateError with no message of its own. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (error.message !== '') return error.message;
  const inner = error instanceof AggregateError ? error.errors.find((item: unknown) => item instanceof Error && item.message !== '') : undefined;
  return (inner as Error | undefined)?.message ?? code ?? error.name;
}

/**
 * Opens the database at `url` (with `password` when the URL has none) for `mapping`, and proves
 * it is reachable by detecting its engine. An unreachable database is a
 * {@link DatabaseUnreachableError} naming the host, never the password.
 */
export async function openDatabase(url: string, mapping: SqlMapping, timeoutMs: number, password?: string): Promise<OpenedDatabase> {
  let database: SqlDatabase;
  try {
    database = await openSqlDatabase(url, { timeoutMs, password });
  } catch (error) {
    const message = `--database: ${redactDatabasePassword(reasonOf(error), url, password)}`;
    throw error instanceof TypeError ? new UsageError(message) : new Error(message);
  }
  try {
    const engine = await detectEngine(createRunner(database.client, database.dialect));
    return { database, mapping, engine, describe: `${database.safeUrl}, ${ENGINE_NAMES[engine]}` };
  } catch (error) {
    await database.close().catch(() => {});
    const message = `cannot connect to the database at ${database.host}: ${connectFailure(error, redactDatabasePassword(reasonOf(error), url, password))}`;
    throw isPermanent(error) ? new Error(message) : new DatabaseUnreachableError(message);
  }
}

/**
 * What `serve --database` serves: a SQL repository over the database at `url`, with the
 * mapping read from `mappingFile` and checked against the live schema first (every missing
 * table or column named, exit 1).
 */
export async function openDatabaseRepository(
  url: string,
  mappingFile: string,
  options: { defaultCountry?: CountryCode; timeoutMs?: number; password?: string; mapping?: SqlMapping } = {},
): Promise<{ repository: SqlRepository; describe: string; close(): Promise<void>; warnings: string[]; reason(error: unknown): string }> {
  const mapping = options.mapping ?? (await readMappingFile(mappingFile));
  refuseWithoutDefaultCountry(mapping, mappingFile, options.defaultCountry);
  const opened = await openDatabase(url, mapping, options.timeoutMs ?? 3000, options.password);
  const { database } = opened;
  // From here on, whatever fails closes the pool first: an idle connection left open kept the
  // process alive some 10 s (the pool's idle timeout) before a failed start could exit.
  try {
    // Why a call failed, for serve's log and the banner: the driver's words, password redacted.
    const reason = (error: unknown) => redactDatabasePassword(reasonOf(error), url, options.password);
    const runner = createRunner(database.client, database.dialect);
    await checkMappingAgainstSchema(runner, mapping, mappingFile, database.host, reason);
    const repository = createSqlRepository({
      client: database.client,
      dialect: database.dialect,
      mapping,
      ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
    });
    const warnings = options.defaultCountry === undefined ? await nationalNumbersInSample(runner, mapping, reason) : [];
    // Said in the banner and the start log: whether lookups use `db indexes --phone-keys`' table.
    const lookup = await repository.describeLookup().catch((error: unknown) => `phone columns (the catalog could not be read: ${reason(error)})`);
    return { repository, describe: `${opened.describe}, lookups by ${lookup}`, close: () => database.close(), warnings, reason };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * The live schema checked against the mapping: every missing table or column named (exit 1); a
 * schema that cannot be read is the database's failure, retried by `--database-wait` unless
 * retrying cannot fix it.
 */
async function checkMappingAgainstSchema(runner: SqlRunner, mapping: SqlMapping, mappingFile: string, host: string, reason: (error: unknown) => string): Promise<void> {
  let problems;
  try {
    problems = await checkSchema(runner, mapping);
  } catch (error) {
    const message = `cannot read the schema at ${host}: ${reason(error)}`;
    throw isPermanent(error) ? new Error(message) : new DatabaseUnreachableError(message);
  }
  if (problems.length > 0) {
    throw new Error([`--mapping ${mappingFile} does not match the database at ${host}:`, ...problems.map(({ key, message }) => `  ${key}: ${message}`)].join('\n'));
  }
}

/** How many rows `serve` reads at start to look for national numbers: a bounded, cheap `SELECT` of the phone columns. */
const PHONE_SAMPLE_ROWS = 1000;

/** The warning for national numbers in a sample of rows, when there are some; a failed read is itself a warning, never a failed start. */
async function nationalNumbersInSample(runner: SqlRunner, mapping: SqlMapping, reason: (error: unknown) => string): Promise<string[]> {
  try {
    const rows = await runner.run(phoneSample(runner.dialect, mapping, PHONE_SAMPLE_ROWS).text, []);
    const found = countNationalNumbers(rows.flatMap((row) => Object.values(row)));
    const warning = nationalNumbersWarning(found, `phone numbers in ${rows.length} sampled rows of ${mapping.customers.table}`, SET_DEFAULT_COUNTRY);
    return warning === undefined ? [] : [warning];
  } catch (error) {
    return [`could not read a sample of phone numbers to look for national spellings: ${reason(error)}`];
  }
}

/**
 * `serve`'s repository source for a database: {@link openDatabaseRepository} with the resolved
 * `--database`, `--mapping`, `--default-country` and password (`PRC_DATABASE_PASSWORD`, else
 * `PGPASSWORD` / `MYSQL_PWD`); `--database` without `--mapping` is a usage error (exit 2).
 */
export function openDatabaseSource(
  config: {
    database: string;
    mapping?: string | undefined;
    defaultCountry?: CountryCode | undefined;
    timeoutMs?: number | undefined;
    databasePassword?: string | undefined;
  },
  env: NodeJS.ProcessEnv = process.env,
): ReturnType<typeof openDatabaseRepository> {
  const { database, mapping, defaultCountry, timeoutMs } = config;
  if (mapping === undefined) return Promise.reject(new UsageError('--database needs --mapping <file.json>: where the customers and labels are'));
  const password = separatePassword(database, config.databasePassword, env);
  return openDatabaseRepository(database, mapping, {
    ...(defaultCountry === undefined ? {} : { defaultCountry }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(password === undefined ? {} : { password }),
  });
}
