/**
 * The real database servers of `npm run test:db` (scripts/db-servers.sh): their URLs, a fresh
 * database per test file, and stopping/starting a server mid-run.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/db-servers.sh', import.meta.url).pathname;

/** The two real engines. */
export type Engine = 'postgres' | 'mariadb';

const variables: Record<Engine, string> = { postgres: 'PRC_TEST_POSTGRES_URL', mariadb: 'PRC_TEST_MYSQL_URL' };

/**
 * The server's admin URL from the environment. Throws (never skips) when it is missing: this
 * suite only makes sense under scripts/db-servers.sh.
 */
export function serverUrl(engine: Engine): URL {
  const value = process.env[variables[engine]];
  if (value === undefined || value === '') {
    throw new Error(`${variables[engine]} is not set: run the database tests with \`npm run test:db\` (scripts/db-servers.sh starts the servers and sets it)`);
  }
  return new URL(value);
}

/** The same server with another database, user or password. */
export function urlWith(base: URL, change: { database?: string; user?: string; password?: string }): string {
  const url = new URL(base);
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  if (change.user !== undefined) url.username = encodeURIComponent(change.user);
  if (change.password !== undefined) url.password = encodeURIComponent(change.password);
  return url.toString();
}

/** A short random suffix for names of databases and roles. */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** A database created for one test file and dropped after it. */
export interface ScratchDatabase {
  engine: Engine;
  /** Its name. */
  name: string;
  /** The admin URL of this database. */
  url: string;
  /** Runs SQL as the admin in this database (statements separated by `;` on MariaDB are allowed). */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** Runs one statement as the admin on the server's own database (for CREATE/DROP DATABASE, users). */
export async function serverExec(engine: Engine, sql: string): Promise<void> {
  const base = serverUrl(engine).toString();
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
    return;
  }
  const admin = await mysql.createConnection(base);
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Creates an empty database on the engine's server. */
export async function createScratchDatabase(engine: Engine, prefix = 'prc'): Promise<ScratchDatabase> {
  const base = serverUrl(engine);
  const name = uniqueName(prefix);
  await serverExec(engine, `CREATE DATABASE ${name}`);
  if (engine === 'postgres') {
    const url = urlWith(base, { database: name });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {}); // an idle connection ended by a server stop (restart tests): the pool replaces it
    return {
      engine,
      name,
      url,
      exec: async (sql, params) => (await pool.query(sql, params)).rows,
      drop: async () => {
        await pool.end();
        await serverExec(engine, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const url = urlWith(base, { database: name });
  const pool = mysql.createPool({ uri: url, connectionLimit: 2, multipleStatements: true });
  return {
    engine,
    name,
    url,
    exec: async (sql, params) => {
      const [rows] = await pool.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    drop: async () => {
      await pool.query(`DROP DATABASE IF EXISTS ${name}`);
      await pool.end();
    },
  };
}

/**
 * Stops or starts the engine's server (same port, same data) through scripts/db-servers.sh, for
 * the restart tests. Stopping is PostgreSQL's fast shutdown / MariaDB's SIGTERM.
 */
export async function controlServer(action: 'stop' | 'start', engine: Engine): Promise<void> {
  serverUrl(engine);
  await run('bash', [SCRIPT, `--${action}`, engine], { env: process.env, timeout: 90_000 });
}
