import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { crmMappingFor } from './crm-mapping.js';
import type { CrmFixture } from './sql-repository-cases.js';

/**
 * A CRM schema in the shape the mapping example describes: contacts with three phone
 * columns, tags, and a join table. `crm.contacts` has integer ids and timestamptz dates.
 */
export const CRM_SCHEMA = `
  CREATE SCHEMA crm;
  CREATE TABLE crm.contacts (
    id serial PRIMARY KEY, mobile text, phone varchar(40), work_phone text,
    first_name text, last_name text, email text,
    created_at timestamptz NOT NULL DEFAULT '2020-06-18T09:32:53.823Z', updated_at timestamptz NOT NULL DEFAULT '2020-06-18T09:32:53.823Z'
  );
  CREATE TABLE crm.tags (id serial PRIMARY KEY, name text NOT NULL, color text, created_at timestamptz, updated_at timestamptz);
  CREATE TABLE crm.contact_tags (contact_id int NOT NULL REFERENCES crm.contacts(id), tag_id int NOT NULL REFERENCES crm.tags(id));
  INSERT INTO crm.tags (name, color, created_at, updated_at) VALUES
    ('Gold', '#3cb44b', '2020-06-18T09:31:01.328Z', '2020-06-18T09:31:01.328Z'),
    ('Silver', 'a9a9a9', '2020-06-18T09:31:12.990Z', '2020-06-18T09:31:12.990Z'),
    ('Vip', NULL, NULL, NULL);
`;

/** The tables of {@link CRM_SCHEMA}. */
const CRM_TABLES = { contacts: 'crm.contacts', tags: 'crm.tags', contact_tags: 'crm.contact_tags' };

/** The mapping of {@link CRM_SCHEMA}, as a `--mapping` file would hold it. */
export const crmMapping = crmMappingFor(CRM_TABLES);

/** The contacts of the shared repository cases (test/support/sql-repository-cases.ts). */
export const CRM_CONTACTS = `
  INSERT INTO crm.contacts (mobile, phone, work_phone, first_name, last_name, email) VALUES
    ('+92 300-1234567', NULL, NULL, 'Gold', 'Customer', 'gold@example.com'),
    (NULL, '0092 (321) 765 4321', '', 'Second', '', NULL),
    ('1111', NULL, '44.20.7946.0958', 'Third', NULL, NULL);
  INSERT INTO crm.contact_tags VALUES (1, 1), (1, 3), (3, 2);
`;

/**
 * An initialised, empty cluster as PGlite dumps it, kept on disk between test files and runs
 * (keyed by PGlite's version): loading it takes about a second where initdb, which every fresh
 * PGlite otherwise runs, takes five to ten on two busy cores.
 */
// Found through PGlite's own files, which resolve the same from this module and from a bundle of it (test/support/programs.ts).
const pgliteDist = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
const pgliteVersion = (JSON.parse(readFileSync(new URL('../package.json', pgliteDist), 'utf8')) as { version: string }).version;
const clusterCache = new URL(`../../../.cache/prc-pglite/cluster-${pgliteVersion}.tar`, pgliteDist);

async function freshPglite(): Promise<PGlite> {
  const cached = await readFile(clusterCache).catch(() => undefined);
  // A file another PGlite version or a crash left unreadable is made again below.
  const loaded = cached === undefined ? undefined : await PGlite.create({ loadDataDir: new Blob([cached]) }).catch(() => undefined);
  if (loaded !== undefined) return loaded;
  const db = await PGlite.create();
  const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  // Written aside and renamed, so that a test file running at the same time never reads half a file.
  const partial = new URL(`${clusterCache.href}.${process.pid}`);
  await mkdir(new URL('./', clusterCache), { recursive: true });
  await writeFile(partial, dump);
  await rename(partial, clusterCache);
  return db;
}

/** An in-memory PostgreSQL (PGlite) with `sql` run on it. */
export async function createPglite(sql: string = CRM_SCHEMA): Promise<PGlite> {
  const db = await freshPglite();
  await db.exec(sql);
  return db;
}

/**
 * `db` served over the PostgreSQL wire protocol on 127.0.0.1 (a free port, or `onPort`), so that commands
 * taking a `postgres://` URL reach it through the real `pg` driver.
 */
export async function servePglite(db: PGlite, onPort = 0): Promise<{ url: (password?: string) => string; port: number; connections(): number; stop(): Promise<void> }> {
  const server = new PGLiteSocketServer({ db, port: onPort, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port,
    url: (password = 'secret-pw') => `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    /** The client connections the server holds open now, as it counts them. */
    connections: () => server.getStats().activeConnections,
    stop: () => server.stop(),
  };
}

/** {@link CRM_SCHEMA} with {@link CRM_CONTACTS} in PGlite, for the shared repository cases. */
export async function openPgliteCrm(): Promise<CrmFixture> {
  const db = await createPglite(CRM_SCHEMA + CRM_CONTACTS);
  return {
    mapping: crmMapping,
    tables: CRM_TABLES,
    pool: () => db,
    // Several statements go through exec (no parameters); one with parameters through query.
    exec: async (sql, params) => (params === undefined ? ((await db.exec(sql)).at(-1)?.rows ?? []) : (await db.query(sql, params)).rows) as Record<string, unknown>[],
    close: () => db.close(),
  };
}
