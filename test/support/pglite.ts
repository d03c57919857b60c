import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { AddressInfo } from 'node:net';

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

/** The mapping of {@link CRM_SCHEMA}, as a `--mapping` file would hold it. */
export const crmMapping = {
  customers: {
    table: 'crm.contacts',
    id: 'id',
    phones: ['mobile', 'phone', 'work_phone'],
    firstName: 'first_name',
    lastName: 'last_name',
    email: 'email',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  labels: { table: 'crm.tags', id: 'id', name: 'name', color: 'color', createdAt: 'created_at', updatedAt: 'updated_at' },
  customerLabels: { table: 'crm.contact_tags', customerId: 'contact_id', labelId: 'tag_id' },
};

/** An in-memory PostgreSQL (PGlite) with `sql` run on it. */
export async function createPglite(sql: string = CRM_SCHEMA): Promise<PGlite> {
  const db = await PGlite.create();
  await db.exec(sql);
  return db;
}

/**
 * `db` served over the PostgreSQL wire protocol on 127.0.0.1 (a free port), so that commands
 * taking a `postgres://` URL reach it through the real `pg` driver.
 */
export async function servePglite(db: PGlite): Promise<{ url: (password?: string) => string; port: number; stop(): Promise<void> }> {
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port,
    url: (password = 'secret-pw') => `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
