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

/** Runs one statement, stopping (and cancelling it on the server where the client allows) when `signal` aborts. */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  run(text: string, params: readonly unknown[], signal?: AbortSignal): Promise<SqlRow[]>;
}

interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
}
interface PgPoolClient extends PgQueryable {
  processID?: number | null;
  release(destroy?: boolean | Error): void;
}
interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
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

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** `promise`, or a rejection as soon as `signal` aborts; `late` gets the value if it comes after. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, late?: (value: T) => void): Promise<T> {
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

/** Swallows a failed cancellation: the caller has its answer already; the query ends by itself. */
const quietly = (task: () => Promise<unknown>) => task().catch(() => {});

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

function pgPoolRunner(pool: PgPool): SqlRunner {
  const Client = pool.Client;
  return {
    dialect: 'postgres',
    async run(text, params, signal) {
      // A connection that arrives after the request gave up goes straight back to the pool.
      const client = await untilAborted(pool.connect(), signal, (late) => late.release());
      const query = client.query(text, [...params]);
      // The connection goes back only once its query has ended, so a cancel meant for this
      // query can never hit the next one run on the same connection.
      query.then(
        () => client.release(),
        (error: unknown) => client.release(isObject(error) && typeof error.code === 'string' ? undefined : (error as Error)),
      );
      const pid = client.processID;
      const cancel = () => {
        if (Client !== undefined && typeof pid === 'number') void quietly(() => cancelPostgres(() => new Client(pool.options), pid));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return (await untilAborted(query, signal)).rows;
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    },
  };
}

function pgClientRunner(client: PgQueryable): SqlRunner {
  let running = 0;
  const standalone = client as PgStandalone;
  const Client = standalone.constructor as new (config: unknown) => PgStandalone;
  return {
    dialect: 'postgres',
    async run(text, params, signal) {
      running += 1;
      const query = client.query(text, [...params]);
      query.then(
        () => (running -= 1),
        () => (running -= 1),
      );
      const cancel = () => {
        // One connection runs one statement at a time: cancel only when it is surely this one.
        const pid = standalone.processID;
        if (running === 1 && typeof pid === 'number' && standalone.connectionParameters !== undefined) {
          void quietly(() => cancelPostgres(() => new Client(standalone.connectionParameters), pid));
        }
      };
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return (await untilAborted(query, signal)).rows;
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    },
  };
}

function mysqlPoolRunner(pool: MysqlPool): SqlRunner {
  return {
    dialect: 'mysql',
    async run(text, params, signal) {
      const connection = await untilAborted(pool.getConnection(), signal, (late) => late.release());
      const query = connection.query(text, [...params]);
      query.then(
        () => connection.release(),
        (error: unknown) => {
          // A server error leaves the connection usable; anything else (a dropped socket) does not.
          if (isObject(error) && typeof error.errno === 'number' && error.fatal !== true) connection.release();
          else if (connection.destroy !== undefined) connection.destroy();
          else connection.release();
        },
      );
      const threadId = connection.threadId;
      const cancel = () => {
        if (typeof threadId === 'number') void quietly(() => cancelMysql(pool, threadId));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        const [rows] = await untilAborted(query, signal);
        return rows as SqlRow[];
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
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
