import { escapeRegExp } from '../../redaction/secrets.js';
import type { SqlClient } from './client.js';
import type { SqlDialect } from './dialect.js';

const PROTOCOLS: Record<string, SqlDialect> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

const EXPECTED_SCHEMES = 'expected postgres://, postgresql://, mysql:// or mariadb://';
const NO_HOST = 'the database URL has no host: give one (or, for PostgreSQL, a Unix socket folder as ?host=/run/postgresql)';

/**
 * What is wrong with a database URL, in words that quote none of it but its scheme, or
 * `undefined` when it is one `openSqlDatabase` opens. A character of the password that is not
 * percent-encoded (`#`, `/`, `?`) ends the URL's user-info early, and what follows would be read
 * as the host, the path or a fragment: refused, since the host shown in messages would then be
 * part of the password. `separately` says where else the password may be given.
 */
export function databaseUrlProblem(url: string, separately = 'give it separately'): string | undefined {
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(url);
  if (scheme === null) return `not a database URL (${EXPECTED_SCHEMES})`;
  if (PROTOCOLS[`${scheme[1]!.toLowerCase()}:`] === undefined) return `unsupported database URL scheme "${scheme[1]!.toLowerCase()}:"; ${EXPECTED_SCHEMES}`;
  const afterScheme = url.slice(scheme[0].length);
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  const rest = authorityEnd === -1 ? '' : afterScheme.slice(authorityEnd);
  const [path = '', query = ''] = rest.split('?', 2);
  // A database URL has no fragment, and "@" has no place in the path or in a query parameter's name.
  const cut = rest.includes('#') || path.includes('@') || /^[^=&]*@/.test(query);
  let parsed: ReturnType<typeof parseDatabaseUrl> | undefined;
  try {
    parsed = parseDatabaseUrl(url);
  } catch {
    parsed = undefined;
  }
  if (!cut && (parsed === undefined ? authority === '' || authority.endsWith('@') : parsed.socket === undefined && parsed.parsed.hostname === '')) return NO_HOST;
  // The port is what follows the host's last ":" (an IPv6 host is in brackets); never quoted, since
  // a URL missing its "@" (`postgres://crm:secret/crm`) would put the password there.
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(authority.slice(authority.lastIndexOf('@') + 1))?.[1];
  if (!cut && parsed === undefined && port !== undefined && port !== '') {
    if (!/^\d+$/.test(port)) return 'the database URL\'s port (after the host\'s ":") is not a number: give one such as 5432 (PostgreSQL) or 3306 (MySQL, MariaDB), or leave it out for the default (a user name and password go before the host, ending with @)';
    if (Number(port) > 65535) return 'the database URL\'s port (after the host\'s ":") is out of range: ports go from 1 to 65535';
  }
  if (cut || parsed === undefined) {
    return `the database URL cannot be read: a character of its user name or password must be percent-encoded (@ as %40, # as %23, / as %2F, ? as %3F, : as %3A, % as %25, a space as %20); or leave the password out of the URL and ${separately}`;
  }
  return undefined;
}

/**
 * The URL as WHATWG parses it. A PostgreSQL URL without a host but with `?host=/run/postgresql`
 * (a Unix socket, as `pg` reads it) is parsed with a stand-in host, kept out of `href` uses.
 */
function parseDatabaseUrl(url: string): { parsed: URL; socket: string | undefined } {
  const socket = /^postgres(?:ql)?:\/\/(?:[^/?#]*@)?(?=[/?])/i.test(url) ? new URLSearchParams(url.split('?')[1] ?? '').get('host') ?? undefined : undefined;
  if (socket === undefined) return { parsed: new URL(url), socket };
  return { parsed: new URL(url.replace(/^(postgres(?:ql)?:\/\/(?:[^/?#]*@)?)/i, '$1localhost')), socket };
}

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

/** Whether a database URL carries a password (in its user-info or a `password=` parameter). */
export const hasDatabasePassword = (url: string): boolean => maskDatabaseUrl(url, '') !== url;

/** A URL's user-info password (up to the authority's last `@`), in any text. */
const URL_PASSWORD = /\b([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#]*@/gi;
/** A `password=` parameter (a URL query or a key=value connection string), unquoted. */
const PASSWORD_PARAMETER = /(\bpassword=)[^\s&#;,'"`)]+/gi;
/** A quoted password value, as JSON or `util.inspect` write an options object: `password: 'pw'`, `"password":"pw"`. */
const QUOTED_PASSWORD = /(\bpassword['"]?\s*[:=]\s*)(['"`])(?:(?!\2)[^\\]|\\.)*\2/gi;

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape: the raw form is all there is
  }
};


/**
 * Removes a database password from any text, such as a driver's error message that quotes its
 * connection string or options, where it appears as a credential: the user-info password of any
 * URL in the text, the value of a `password=` parameter or of a quoted `password` key, and the
 * password of `url` (raw and percent-decoded) or `password` (one given apart from the URL) quoted
 * whole (`'pw'`, `"pw"`) unless the message shows that value as the user, host or database.
 * Text that merely contains the password's characters is left as it is:
 * replacing every occurrence of a short password would mangle the message and show which
 * characters it is made of.
 *
 * @example
 * ```ts
 * import { redactDatabasePassword } from 'priority-routing-crm/sql';
 * redactDatabasePassword('failed: postgres://crm:s3cret@db/crm', 'postgres://crm:s3cret@db/crm'); // 'failed: postgres://crm:***@db/crm'
 * ```
 */
export function redactDatabasePassword(text: string, url: string, password?: string): string {
  const secrets = new Set<string>(password === undefined ? [] : [password]);
  // What messages show as something else (the user, the host, the database) is never starred as
  // the password: that would hide nothing and tell that the password is the user's name.
  const shown = new Set<string>(['']);
  try {
    const parsed = new URL(url);
    secrets.add(parsed.password);
    for (const part of [parsed.username, parsed.hostname, parsed.pathname.slice(1)]) shown.add(part).add(safeDecode(part));
    secrets.add(safeDecode(parsed.password));
  } catch {
    // not a URL: the password given apart is all there is to hide
  }
  let redacted = text
    .replace(URL_PASSWORD, (_, head: string) => `${head}***@`)
    .replace(PASSWORD_PARAMETER, (_, key: string) => `${key}***`)
    .replace(QUOTED_PASSWORD, (_, key: string, quote: string) => `${key}${quote}***${quote}`);
  for (const secret of secrets) {
    if (shown.has(secret)) continue;
    redacted = redacted.replace(new RegExp(`(['"\`])${escapeRegExp(secret)}\\1`, 'g'), '$1***$1');
  }
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
  /**
   * The password, for a URL without one (so that it needs no percent-encoding and stays out of
   * the URL). A URL that has a password and this option too is an error.
   */
  password?: string | undefined;
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
  const problem = databaseUrlProblem(url, 'pass it in the password option');
  if (problem !== undefined) throw new TypeError(problem);
  const { parsed, socket } = parseDatabaseUrl(url);
  const dialect = PROTOCOLS[parsed.protocol]!;
  const timeoutMs = options.timeoutMs ?? 3000;
  const max = options.maxConnections ?? 10;
  const safeUrl = maskDatabaseUrl(url);
  const host = socket ?? parsed.host;
  let connectionString = url;
  if (options.password !== undefined) {
    if (hasDatabasePassword(url)) throw new TypeError('the database URL has a password and a password was given separately too: give it once');
    if (socket !== undefined) throw new TypeError('a password given separately needs a URL with a host; for a Unix socket put it in the URL (percent-encoded) or in PGPASSWORD');
    // Both drivers percent-decode the user-info password.
    parsed.password = encodeURIComponent(options.password);
    connectionString = parsed.href;
  }
  if (dialect === 'postgres') {
    const pg = await loadDriver<{ default?: { Pool: PgPoolClass }; Pool?: PgPoolClass }>('pg', parsed.protocol);
    const Pool = (pg.default ?? pg).Pool!;
    const pool = new Pool({ connectionString, max, connectionTimeoutMillis: timeoutMs });
    // An idle connection the server drops emits 'error' on the pool; without a listener that
    // would end the process. The pool replaces the connection; the next query reconnects.
    pool.on('error', () => {});
    return { client: pool as unknown as SqlClient, dialect, safeUrl, host, close: () => pool.end() };
  }
  const mysql = await loadDriver<{ default?: MysqlModule; createPool?: MysqlModule['createPool'] }>('mysql2/promise', parsed.protocol);
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

/**
 * The driver, an optional peer dependency. Node finds it next to this package: in the project's
 * node_modules, or, for a global install, among the global packages (or in the one folder npx
 * installs `-p` packages to); the message says how to put it there in each case.
 */
async function loadDriver<T>(name: string, scheme: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    const driver = name.split('/')[0];
    throw new Error(
      `the ${driver} package is needed for ${scheme}// URLs and priority-routing-crm cannot load it: in a project, npm install ${driver}; with a global install (npm install --global priority-routing-crm), npm install --global ${driver}; or run it without installing: npx -p priority-routing-crm -p ${driver} priority-routing-crm …`,
    );
  }
}
