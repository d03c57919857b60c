/**
 * The CRM schema of the SQL repository tests on each real engine (PostgreSQL, MariaDB), in a
 * scratch database per test file, with the operations the real-server tests need: which
 * statements are running, a SELECT-only user, EXPLAIN.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SqlClient } from '../../src/repositories/sql/index.js';
import { crmMappingFor } from './crm-mapping.js';
import { createScratchDatabase, type Engine, type ScratchDatabase, serverExec, uniqueName, urlWith } from './db-servers.js';

/** The contacts every engine is loaded with, the same as the PGlite suite's. */
const CONTACT_ROWS = `
  INSERT INTO {contacts} (mobile, phone, work_phone, first_name, last_name, email) VALUES
    ('+92 300-1234567', NULL, NULL, 'Gold', 'Customer', 'gold@example.com'),
    (NULL, '0092 (321) 765 4321', '', 'Second', '', NULL),
    ('1111', NULL, '44.20.7946.0958', 'Third', NULL, NULL);
  INSERT INTO {contact_tags} VALUES (1, 1), (1, 3), (3, 2)`;

const TAG_ROWS = (date: (iso: string) => string) => `
  INSERT INTO {tags} (name, color, created_at, updated_at) VALUES
    ('Gold', '#3cb44b', ${date('2020-06-18 09:31:01.328')}, ${date('2020-06-18 09:31:01.328')}),
    ('Silver', 'a9a9a9', ${date('2020-06-18 09:31:12.990')}, ${date('2020-06-18 09:31:12.990')}),
    ('Vip', NULL, NULL, NULL)`;

const SCHEMAS: Record<Engine, string> = {
  postgres: `
    CREATE SCHEMA crm;
    CREATE TABLE crm.contacts (
      id serial PRIMARY KEY, mobile text, phone varchar(40), work_phone text, first_name text, last_name text, email text,
      created_at timestamptz NOT NULL DEFAULT '2020-06-18T09:32:53.823Z', updated_at timestamptz NOT NULL DEFAULT '2020-06-18T09:32:53.823Z');
    CREATE TABLE crm.tags (id serial PRIMARY KEY, name text NOT NULL, color text, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE crm.contact_tags (contact_id int NOT NULL REFERENCES crm.contacts(id), tag_id int NOT NULL REFERENCES crm.tags(id));
    ${TAG_ROWS((text) => `'${text}+00'`)};
    ${CONTACT_ROWS}`,
  // DATETIME(3) holds no zone: the repository reads it as UTC. The update date is a TIMESTAMP,
  // which MariaDB converts through the session's zone (UTC on the test server).
  mariadb: `
    CREATE TABLE {contacts} (
      id int AUTO_INCREMENT PRIMARY KEY, mobile varchar(40), phone varchar(40), work_phone varchar(40),
      first_name varchar(100), last_name varchar(100), email varchar(200),
      created_at datetime(3) NOT NULL DEFAULT '2020-06-18 09:32:53.823', updated_at timestamp(3) NOT NULL DEFAULT '2020-06-18 09:32:53.823');
    CREATE TABLE {tags} (id int AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, color varchar(20), created_at datetime(3) NULL, updated_at datetime(3) NULL);
    CREATE TABLE {contact_tags} (contact_id int NOT NULL, tag_id int NOT NULL, FOREIGN KEY (contact_id) REFERENCES {contacts}(id), FOREIGN KEY (tag_id) REFERENCES {tags}(id));
    ${TAG_ROWS((text) => `'${text}'`)};
    ${CONTACT_ROWS}`,
};

/** A scratch database holding the CRM schema, with a pool for the repository and admin access. */
export interface CrmDatabase {
  engine: Engine;
  scratch: ScratchDatabase;
  /** Schema-qualified names: `crm.contacts` on PostgreSQL, `<database>.contacts` on MariaDB. */
  tables: Record<'contacts' | 'tags' | 'contact_tags', string>;
  mapping: ReturnType<typeof crmMappingFor>;
  /** A fresh driver pool on `url` (the admin's by default), closed by `close()`. */
  pool(options?: { url?: string; max?: number }): SqlClient;
  /** Runs admin SQL (several statements separated by `;` allowed). */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The texts of statements now running on the server whose text contains `marker`, other than this probe. */
  running(marker: string): Promise<string[]>;
  /** A URL for a new user that may only SELECT from the CRM tables (and nothing else). */
  selectOnlyUrl(): Promise<string>;
  close(): Promise<void>;
}

/** `{name}` placeholders replaced with the qualified table names. */
const fill = (sql: string, tables: Record<string, string>) => sql.replace(/\{(\w+)\}/g, (_, name: string) => tables[name] ?? `{${name}}`);

/** Creates a scratch database on `engine` holding the CRM schema and rows. */
export async function createCrmDatabase(engine: Engine): Promise<CrmDatabase> {
  const scratch = await createScratchDatabase(engine);
  const prefix = engine === 'postgres' ? 'crm' : scratch.name;
  const tables = { contacts: `${prefix}.contacts`, tags: `${prefix}.tags`, contact_tags: `${prefix}.contact_tags` };
  await scratch.exec(fill(SCHEMAS[engine], tables));
  const pools: Array<{ end(): Promise<void> }> = [];
  const pool = ({ url = scratch.url, max = 5 }: { url?: string; max?: number } = {}): SqlClient => {
    if (engine === 'postgres') {
      const created = new pg.Pool({ connectionString: url, max });
      created.on('error', () => {}); // an idle connection dropped by a server stop: the pool replaces it
      pools.push(created);
      return created;
    }
    const created = mysql.createPool({ uri: url, connectionLimit: max });
    pools.push(created);
    return created;
  };
  const users: string[] = [];
  return {
    engine,
    scratch,
    tables,
    mapping: crmMappingFor(tables),
    pool,
    exec: (sql, params) => scratch.exec(fill(sql, tables), params),
    running: async (marker) => {
      const rows =
        engine === 'postgres'
          ? await scratch.exec(`SELECT query FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%' || $1 || '%'`, [marker])
          : await scratch.exec(`SELECT info AS query FROM information_schema.PROCESSLIST WHERE id <> CONNECTION_ID() AND command IN ('Query', 'Execute') AND info LIKE CONCAT('%', ?, '%')`, [marker]);
      return rows.map((row) => String(row.query));
    },
    selectOnlyUrl: async () => {
      const user = uniqueName('reader');
      const password = uniqueName('pw');
      users.push(user);
      if (engine === 'postgres') {
        await scratch.exec(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'; GRANT USAGE ON SCHEMA crm TO ${user}; GRANT SELECT ON ALL TABLES IN SCHEMA crm TO ${user}`);
        // PUBLIC may create in the public schema before PostgreSQL 15; make sure this role cannot write anywhere.
        await scratch.exec(`REVOKE ALL ON DATABASE ${scratch.name} FROM PUBLIC; GRANT CONNECT ON DATABASE ${scratch.name} TO ${user}`);
      } else {
        await scratch.exec(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT SELECT ON ${scratch.name}.* TO '${user}'@'127.0.0.1'`);
      }
      return urlWith(new URL(scratch.url), { user, password });
    },
    close: async () => {
      await Promise.all(pools.splice(0).map((created) => created.end().catch(() => {})));
      await scratch.drop();
      for (const user of users) await serverExec(engine, engine === 'postgres' ? `DROP ROLE IF EXISTS ${user}` : `DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
    },
  };
}
