import type { AbortWatch } from '../../core/call.js';
import type { SqlDialect } from './dialect.js';

/**
 * A client `createSqlRepository` can use: a `pg` `Pool` or `Client`, PGlite, anything else
 * whose `query(text, params)` resolves to `{ rows }`, or a `mysql2/promise` `Pool` (whose
 * `query` resolves to `[rows, fields]`). Typed structurally, so that no driver is imported.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { SqlClient } from 'priority-routing-crm/sql';
 * const client: SqlClient = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export type SqlClient = { query(text: string, params?: unknown[]): Promise<unknown> } | { getConnection(): Promise<unknown> };

/** A row with every column as text (or null), as the repository's queries select them. */
export type SqlRow = Record<string, unknown>;

/**
 * Runs one statement, stopping (and cancelling it on the server where the client allows) when
 * `signal` aborts: an `AbortSignal`, or the connector's watch of its call (`abortWatchOf`), which
 * costs no `AbortController`. `prepare` (default: when it has values) runs it as a prepared
 * statement: a named statement on a `pg` Pool, `execute` on mysql2; without values and without
 * `prepare` (DDL, catalog reads) it is sent as text.
 */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  run(text: string, params: readonly unknown[], signal?: AbortWatch, prepare?: boolean): Promise<SqlRow[]>;
}

interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
}
type PgCallback<T> = (error: Error | null | undefined, result: T) => void;
interface PgPoolClient {
  processID?: number | null;
  query(text: string, params: unknown[], callback: PgCallback<{ rows: SqlRow[] }>): unknown;
  query(config: { name: string; text: string; values: unknown[] }, callback: PgCallback<{ rows: SqlRow[] }>): unknown;
  release(destroy?: boolean | Error): void;
}
interface PgPool extends PgQueryable {
  /** pg-pool's callback form (no promise of its own); a wrapper may have only the promise form. */
  connect(callback: PgCallback<PgPoolClient>): unknown;
  readonly idleCount?: number;
  Client?: new (config: unknown) => PgStandalone;
  options?: unknown;
}
interface PgStandalone extends PgQueryable {
  connect(): Promise<unknown>;
  end(): Promise<unknown>;
  processID?: number | null;
  connectionParameters?: unknown;
}
interface MysqlConnection {
  query(text: string, params?: unknown[]): Promise<[unknown, unknown]>;
  execute(text: string, params?: unknown[]): Promise<[unknown, unknown]>;
  threadId?: number | null;
  release(): void;
  destroy?(): void;
}
interface MysqlPool {
  getConnection(): Promise<MysqlConnection>;
  pool?: { config?: { connectionConfig?: Record<string, unknown> } };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const hasFunction = (value: unknown, name: string) => isObject(value) && typeof value[name] === 'function';

/**
 * The dialect a client speaks: `mysql` for a `mysql2/promise` pool (it has `getConnection`),
 * `postgres` for anything else with `query`.
 */
export function detectDialect(client: unknown): SqlDialect {
  if (hasFunction(client, 'getConnection')) return 'mysql';
  if (hasFunction(client, 'query')) return 'postgres';
  throw new TypeError('client must be a pg Pool or Client, a PGlite instance, or a mysql2/promise Pool');
}

function abortError(signal: AbortWatch): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** `promise`, or a rejection as soon as `signal` aborts; `late` gets the value if it comes after. */
function untilAborted<T>(promise: Promise<T>, signal: AbortWatch | undefined, late?: (value: T) => void): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.then(late, () => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const onAbort = () => {
      done = true;
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (done) late?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!done) reject(error);
      },
    );
  });
}

/** How long a connection waits for the cancel of its statement before it is discarded instead of reused. */
const CANCEL_WAIT_MS = 5000;

/** Starts `cancel`, resolving with an error when it has not finished in time (the connection is then discarded, not reused, since the cancel may still land). */
function startCancel(cancel: () => Promise<void>): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error('the cancel did not finish in time')), CANCEL_WAIT_MS);
    timer.unref();
  });
  // A failed cancel is swallowed: the caller has its answer already, and the statement ends by itself.
  const done = cancel().then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

/**
 * Awaits `query` until `signal` aborts. On abort, while the query still runs, `cancel` is started
 * (once). The connection goes back through `release` only after the query and any cancel have
 * ended, so a cancel meant for this query can never hit the next one run on the same connection.
 * The common case (no abort) costs one promise and one listener: the connection is released as
 * soon as the answer is in, with no cancel to wait for.
 */
function cancellable<T>(query: Promise<T>, signal: AbortWatch | undefined, cancel: () => Promise<void>, release: (error?: unknown) => void): Promise<T> {
  if (signal === undefined) {
    return query.then(
      (value) => (release(), value),
      (error: unknown) => {
        release(error);
        throw error;
      },
    );
  }
  return new Promise<T>((resolve, reject) => {
    let cancelling: Promise<Error | undefined> | undefined;
    const onAbort = () => {
      cancelling = startCancel(cancel);
      reject(abortError(signal));
    };
    const settle = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      if (cancelling === undefined) release(error);
      else void cancelling.then((stuck) => release(stuck ?? error));
    };
    query.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle(error);
        reject(error);
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Cancels PostgreSQL backend `pid` from a connection of its own (the pool may have none free):
 * `SELECT pg_cancel_backend(pid)`, allowed for a role's own sessions, so a SELECT-only role can.
 */
async function cancelPostgres(open: () => PgStandalone, pid: number): Promise<void> {
  const connection = open();
  await connection.connect();
  try {
    await connection.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await connection.end();
  }
}

/** Kills the statement running on MySQL/MariaDB thread `threadId`, from a connection of its own. */
async function cancelMysql(pool: MysqlPool, threadId: number): Promise<void> {
  const config = pool.pool?.config?.connectionConfig;
  if (config === undefined) return;
  // mysql2 is installed: the pool came from it. Loaded only here, so the entry never needs it.
  const mysql = (await import('mysql2/promise')) as unknown as {
    createConnection(options: Record<string, unknown>): Promise<{ query(text: string): Promise<unknown>; end(): Promise<void> }>;
  };
  const { host, port, user, password, database, socketPath, ssl, connectTimeout } = config;
  const connection = await mysql.createConnection(
    Object.fromEntries(Object.entries({ host, port, user, password, database, socketPath, ssl, connectTimeout }).filter(([, value]) => value !== undefined)),
  );
  try {
    await connection.query(`KILL QUERY ${Math.trunc(threadId)}`);
  } finally {
    await connection.end();
  }
}

/**
 * The name of `text` as a prepared statement: the same text always gets the same name, so that pg
 * prepares it once per connection and each later run skips parsing and planning (about 160 µs
 * of a 280 µs lookup on PostgreSQL 15). The name comes from the text itself (a 64-bit hash), not
 * from a counter: two copies of this library in one process (its ESM and CommonJS builds, two
 * versions) sharing a pool would otherwise give one name to two texts, which pg refuses.
 */
const statementNames = new Map<string, string>();
/** Past this many texts (a mapping has a few), statements run unnamed: the map never grows unbounded. */
const MAX_STATEMENT_NAMES = 1000;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_STATEMENT_NAMES) {
    name = `prc_${textHash(text)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Two 32-bit FNV-1a variants of `text`, as 16 hex digits. */
function textHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

// Errors after which a connection's prepared statements may be stale: drop the connection.
const STALE_STATEMENT_CODES: ReadonlySet<string> = new Set(['0A000', '26000', '42P05']);

// The server's sessions are shared between connections (PGlite's socket server, PgBouncer in
// transaction mode): a name prepared elsewhere exists (42P05) or one prepared here is gone (26000).
const SHARED_SESSION_CODES: ReadonlySet<string> = new Set(['42P05', '26000']);

/** `callback` once, whichever way the callee answers: a pg-pool calls back, a wrapper with only the promise form resolves. */
function onceEither<T>(callback: PgCallback<T>, call: (callback: PgCallback<T>) => unknown): void {
  let called = false;
  const once: PgCallback<T> = (error, result) => {
    if (called) return;
    called = true;
    callback(error, result);
  };
  const returned = call(once);
  if (isObject(returned) && typeof returned.then === 'function') {
    (returned as unknown as Promise<T>).then(
      (result) => once(undefined, result),
      (error: Error) => once(error, undefined as never),
    );
  }
}

/** `pool.connect` in pg-pool's callback form (no promise of its own). */
const checkOut = (pool: PgPool, callback: PgCallback<PgPoolClient>) => onceEither(callback, (once) => pool.connect(once));

/** `client.query` in pg's callback form (no promise, no stack-capturing `.catch`). */
function queryOn(client: PgPoolClient, statement: string | { name: string; text: string; values: unknown[] }, params: readonly unknown[] | undefined, callback: PgCallback<{ rows: SqlRow[] }>): void {
  onceEither(callback, (once) => (typeof statement === 'string' ? client.query(statement, [...(params ?? [])], once) : client.query(statement, once)));
}

function pgPoolRunner(pool: PgPool): SqlRunner {
  const Client = pool.Client;
  // Turned off for good the first time the server shows shared sessions.
  let prepare = true;
  return {
    dialect: 'postgres',
    run(text, params, signal, prepared = params.length > 0) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      // The lookup and the label list are prepared; DDL and catalog reads without values run as sent.
      const name = prepare && prepared ? statementName(text) : undefined;
      // pg's callbacks, in one promise: a lookup's own CPU is what is measured against a
      // hand-written `pool.query`, and each promise pg makes and each await cost a little of it.
      return new Promise<SqlRow[]>((resolve, reject) => {
        let answered = false;
        let checkedOut: PgPoolClient | undefined;
        let cancelling: Promise<Error | undefined> | undefined;
        const onAbort = () => {
          if (answered) return;
          answered = true;
          reject(abortError(signal as AbortWatch));
          // A statement running is cancelled; a connection still to come goes back when it does.
          const pid = checkedOut?.processID;
          if (checkedOut !== undefined) {
            cancelling = startCancel(async () => {
              if (Client !== undefined && typeof pid === 'number') await cancelPostgres(() => new Client(pool.options), pid);
            });
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        checkOut(pool, (connectError, client) => {
          if (connectError !== undefined && connectError !== null) {
            signal?.removeEventListener('abort', onAbort);
            if (!answered) {
              answered = true;
              reject(connectError);
            }
            return;
          }
          if (answered) {
            client.release();
            return;
          }
          checkedOut = client;
          // The connection goes back only after the statement and any cancel have ended, so a
          // cancel meant for this statement can never hit the next one run on it. A server error
          // (it has a severity) leaves it usable; a network error or stale statements do not.
          const finish = (error: unknown, result?: { rows: SqlRow[] }) => {
            signal?.removeEventListener('abort', onAbort);
            const release = (cause: unknown) =>
              client.release(cause === undefined || (isObject(cause) && typeof cause.severity === 'string' && !STALE_STATEMENT_CODES.has(String(cause.code))) ? undefined : (cause as Error));
            if (cancelling === undefined) release(error ?? undefined);
            else void cancelling.then((stuck) => release(stuck ?? error ?? undefined));
            if (answered) return;
            answered = true;
            if (error !== undefined && error !== null) reject(error);
            else resolve((result as { rows: SqlRow[] }).rows);
          };
          try {
            if (name === undefined) queryOn(client, text, params, finish);
            else {
              queryOn(client, { name, text, values: [...params] }, undefined, (error, result) => {
                if (!isObject(error) || !SHARED_SESSION_CODES.has(String(error.code))) return finish(error, result);
                prepare = false;
                queryOn(client, text, params, finish);
              });
            }
          } catch (error) {
            // pg threw instead of calling back (a value it cannot send): an error, and the connection discarded.
            finish(error);
          }
        });
      });
    },
  };
}

function pgClientRunner(client: PgQueryable): SqlRunner {
  let running = 0;
  const standalone = client as PgStandalone;
  const Client = standalone.constructor as new (config: unknown) => PgStandalone;
  const cancel = async () => {
    // One connection runs one statement at a time: cancel only when it is surely this one.
    const pid = standalone.processID;
    if (running === 1 && typeof pid === 'number' && standalone.connectionParameters !== undefined) {
      await cancelPostgres(() => new Client(standalone.connectionParameters), pid);
    }
  };
  return {
    dialect: 'postgres',
    async run(text, params, signal) {
      running += 1;
      return (await cancellable(client.query(text, [...params]), signal, cancel, () => (running -= 1))).rows;
    },
  };
}

function mysqlPoolRunner(pool: MysqlPool): SqlRunner {
  return {
    dialect: 'mysql',
    async run(text, params, signal, prepared = params.length > 0) {
      const connection = await untilAborted(pool.getConnection(), signal, (late) => late.release());
      const threadId = connection.threadId;
      const cancel = async () => {
        if (typeof threadId === 'number') await cancelMysql(pool, threadId);
      };
      const release = (error?: unknown) => {
        // A server error leaves the connection usable; anything else (a dropped socket) does not.
        if (error === undefined || (isObject(error) && typeof error.errno === 'number' && error.fatal !== true)) connection.release();
        else if (connection.destroy !== undefined) connection.destroy();
        else connection.release();
      };
      // Statements with values, the lookup and the label list run as server-side prepared
      // statements (mysql2's `execute`, cached per connection): values travel apart from the text
      // and are never spliced into it on the client. DDL and catalog reads without values run as sent.
      const statement = prepared || params.length > 0 ? connection.execute(text, [...params]) : connection.query(text);
      const [rows] = await cancellable(statement, signal, cancel, release);
      return rows as SqlRow[];
    },
  };
}

/**
 * The runner for a client: pg pools check a connection out per statement (so its backend can be
 * cancelled), a single pg client is cancelled when the statement is its only one, PGlite and
 * other `query`-only clients are simply no longer awaited.
 */
export function createRunner(client: SqlClient, dialect: SqlDialect = detectDialect(client)): SqlRunner {
  if (dialect === 'mysql') {
    if (!hasFunction(client, 'getConnection')) throw new TypeError('dialect "mysql" needs a mysql2/promise Pool (with getConnection) as client');
    return mysqlPoolRunner(client as unknown as MysqlPool);
  }
  if (!hasFunction(client, 'query')) throw new TypeError('dialect "postgres" needs a client with query(text, params), such as a pg Pool');
  if (hasFunction(client, 'connect') && hasFunction(client, 'on') && 'totalCount' in client) return pgPoolRunner(client as unknown as PgPool);
  return pgClientRunner(client as unknown as PgQueryable);
}
