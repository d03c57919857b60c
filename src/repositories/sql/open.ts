import type { SqlClient } from './client.js';
import type { SqlDialect } from './dialect.js';

const PROTOCOLS: Record<string, SqlDialect> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/**
 * A database URL with its password replaced by `***` (or `mask`), safe for banners, logs and
 * errors: the user-info password, a `password=` query parameter (which the drivers also read),
 * and, in text that is not a URL (`postgresql://crm:pw@/crm?host=/run/pg`, a `/` in the password),
 * everything between the user name's `:` and the last `@`.
 *
 * @example
 * ```ts
 * import { maskDatabaseUrl } from 'priority-routing-crm/sql';
 * maskDatabaseUrl('postgres://crm:s3cret@db.local:5432/crm'); // 'postgres://crm:***@db.local:5432/crm'
 * ```
 */
export function maskDatabaseUrl(url: string, mask = '***'): string {
  const text = url.replace(/([?&][^=&#]*password=)[^&#]*/gi, (_, key: string) => `${key}${mask}`);
  try {
    const parsed = new URL(text);
    if (parsed.password === '') return text;
    parsed.password = mask;
    return parsed.href;
  } catch {
    return text.replace(/^([^:/?#]+:\/\/[^:/?#@]*:)[^]*@/, (_, head: string) => `${head}${mask}@`);
  }
}

/**
 * Removes a URL's password (raw and percent-decoded) from any text, such as a driver's error
 * message that quotes its connection string.
 *
 * @example
 * ```ts
 * import { redactDatabasePassword } from 'priority-routing-crm/sql';
 * redactDatabasePassword('failed: postgres://crm:s3cret@db/crm', 'postgres://crm:s3cret@db/crm'); // 'failed: postgres://crm:***@db/crm'
 * ```
 */
export function redactDatabasePassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (password === '') return text;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // a malformed escape: the raw form is all there is to hide
  }
  let redacted = text;
  for (const secret of new Set([password, decoded])) redacted = redacted.split(secret).join('***');
  return redacted;
}

/**
 * Options of {@link openSqlDatabase}.
 *
 * @example
 * ```ts
 * import { type OpenSqlDatabaseOptions } from 'priority-routing-crm/sql';
 * const options: OpenSqlDatabaseOptions = { timeoutMs: 3000, maxConnections: 10 };
 * ```
 */
export interface OpenSqlDatabaseOptions {
  /** How long connecting (and waiting for a free pooled connection) may take. Default 3000. */
  timeoutMs?: number | undefined;
  /** The pool's size. Default 10. */
  maxConnections?: number | undefined;
}

/**
 * A pool opened from a URL by {@link openSqlDatabase}.
 *
 * @example
 * ```ts
 * import { type SqlDatabase, openSqlDatabase } from 'priority-routing-crm/sql';
 * const { client, dialect, close }: SqlDatabase = await openSqlDatabase(process.env.DATABASE_URL!);
 * ```
 */
export interface SqlDatabase {
  /** The pool: a `pg` Pool or a `mysql2/promise` Pool. */
  client: SqlClient;
  dialect: SqlDialect;
  /** The URL with its password masked. */
  safeUrl: string;
  /** The host (and port) connected to, for messages. */
  host: string;
  /** Ends the pool. */
  close(): Promise<void>;
}

/**
 * Opens a pool for a `postgres://`, `postgresql://`, `mysql://` or `mariadb://` URL with the
 * matching driver (`pg` or `mysql2`, optional peer dependencies loaded only here). MySQL
 * sessions run in UTC (`time_zone = '+00:00'`) so that `TIMESTAMP` columns read as UTC. Does
 * not connect yet: the first query does.
 *
 * @example
 * ```ts
 * import { createSqlRepository, openSqlDatabase } from 'priority-routing-crm/sql';
 * const database = await openSqlDatabase('postgres://crm:secret@127.0.0.1:5432/crm', { timeoutMs: 2000 });
 * const repository = createSqlRepository({ client: database.client, mapping });
 * ```
 */
export async function openSqlDatabase(url: string, options: OpenSqlDatabaseOptions = {}): Promise<SqlDatabase> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a database URL: ${maskDatabaseUrl(url)} (expected postgres://, postgresql://, mysql:// or mariadb://)`);
  }
  const dialect = PROTOCOLS[parsed.protocol];
  if (dialect === undefined) {
    throw new TypeError(`unsupported database URL scheme "${parsed.protocol}" in ${maskDatabaseUrl(url)}; expected postgres://, postgresql://, mysql:// or mariadb://`);
  }
  const timeoutMs = options.timeoutMs ?? 3000;
  const max = options.maxConnections ?? 10;
  const safeUrl = maskDatabaseUrl(url);
  const host = parsed.host;
  if (dialect === 'postgres') {
    const pg = await loadDriver<{ default?: { Pool: PgPoolClass }; Pool?: PgPoolClass }>('pg', url);
    const Pool = (pg.default ?? pg).Pool!;
    const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: timeoutMs });
    // An idle connection the server drops emits 'error' on the pool; without a listener that
    // would end the process. The pool replaces the connection; the next query reconnects.
    pool.on('error', () => {});
    return { client: pool as unknown as SqlClient, dialect, safeUrl, host, close: () => pool.end() };
  }
  const mysql = await loadDriver<{ default?: MysqlModule; createPool?: MysqlModule['createPool'] }>('mysql2/promise', url);
  const createPool = (mysql.default ?? (mysql as MysqlModule)).createPool;
  parsed.protocol = 'mysql:';
  const pool = createPool({ uri: parsed.href, connectionLimit: max, connectTimeout: timeoutMs, waitForConnections: true, timezone: 'Z' });
  pool.pool.on('connection', (connection: { query(text: string): unknown }) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return { client: pool as unknown as SqlClient, dialect, safeUrl, host, close: () => pool.end() };
}

interface PgPoolClass {
  new (config: Record<string, unknown>): { on(event: string, listener: () => void): unknown; end(): Promise<void> };
}
interface MysqlModule {
  createPool(config: Record<string, unknown>): { pool: { on(event: string, listener: (connection: never) => void): unknown }; end(): Promise<void> };
}

async function loadDriver<T>(name: string, url: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    const driver = name.split('/')[0];
    throw new Error(`the ${driver} package is needed for ${maskDatabaseUrl(url).split(':')[0]}:// URLs: npm install ${driver}`);
  }
}
