/**
 * The SQL repository's behaviour, written once and run on every engine: PGlite in `npm test`
 * (pglite.ts), real PostgreSQL and MariaDB in `npm run test:db` (sql-backends.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerSchema, LabelListSchema, parseCustomerQuery } from '../../src/index.js';
import { phoneKeys } from '../../src/contract/phone-keys.js';
import { startReferenceServer } from '../../src/reference/server.js';
import { createSqlRepository, DEFAULT_LABEL_COLOR, type SqlClient, type SqlRepository } from '../../src/repositories/sql/index.js';
import { expectProblem } from './problems.js';
import { takeStderr } from './quiet-stderr.js';

/** What the cases need from an engine: the CRM schema loaded, a client, admin SQL. */
export interface CrmFixture {
  mapping: { customers: { table: string; [key: string]: unknown }; [key: string]: unknown };
  tables: Record<'contacts' | 'tags' | 'contact_tags', string>;
  pool(): SqlClient;
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A repository call's context that never aborts. */
export const context = () => ({ signal: new AbortController().signal });

/** The parsed query for `phone:<phone>`. */
export function query(phone: string) {
  const parsed = parseCustomerQuery(`phone:${phone}`);
  if (!parsed.ok) throw new Error(parsed.issues[0]?.message);
  return parsed.value;
}

/** Registers the shared cases in a `describe` named `title`. */
export function describeSqlRepository(title: string, open: () => Promise<CrmFixture>): void {
  describe(title, () => {
    let db: CrmFixture;
    let repository: SqlRepository;
    beforeAll(async () => {
      db = await open();
      repository = createSqlRepository({ client: db.pool(), mapping: db.mapping });
    });
    afterAll(() => db?.close());

    it('finds a customer by any spelling of a number, on any phone column, with ids and dates as the contract wants', async () => {
      const customer = await repository.findCustomerByPhone(query('923001234567'), context());
      expect(customer).toStrictEqual({
        _id: '1',
        labels: ['1', '3'],
        phone1: '+92 300-1234567',
        phone2: '',
        phone3: '',
        phone4: '',
        phone5: '',
        first_name: 'Gold',
        last_name: 'Customer',
        email: 'gold@example.com',
        created_by: '',
        updated_by: '',
        createdAt: '2020-06-18T09:32:53.823Z',
        updatedAt: '2020-06-18T09:32:53.823Z',
        __v: 0,
      });
      expect(CustomerSchema.safeParse(customer).success).toBe(true);
      for (const asked of ['+92 300 1234567', '92-300-1234567', '(92) 3001234567']) {
        expect((await repository.findCustomerByPhone(query(asked), context()))?._id).toBe('1');
      }
      expect((await repository.findCustomerByPhone(query('0092 321 7654321'), context()))?.phone2).toBe('0092 (321) 765 4321');
      expect((await repository.findCustomerByPhone(query('+44 20 7946 0958'), context()))?._id).toBe('3');
    });

    it('answers null for an unknown number or one that shares only a suffix, and no labels for a customer without any', async () => {
      expect(await repository.findCustomerByPhone(query('999'), context())).toBeNull();
      expect(await repository.findCustomerByPhone(query('3001234567'), context())).toBeNull();
      expect((await repository.findCustomerByPhone(query('00923217654321'), context()))?.labels).toEqual([]);
    });

    it('lists labels in the contract shape, with the default colour and the epoch where the row has none', async () => {
      const labels = await repository.listLabels(context());
      expect(LabelListSchema.safeParse(labels).success).toBe(true);
      expect(labels.map((label) => [label._id, label.name, label.color_code, label.createdAt])).toEqual([
        ['1', 'Gold', '#3cb44b', '2020-06-18T09:31:01.328Z'],
        ['2', 'Silver', '#a9a9a9', '2020-06-18T09:31:12.990Z'],
        ['3', 'Vip', DEFAULT_LABEL_COLOR, '1970-01-01T00:00:00.000Z'],
      ]);
    });

    it('binds the number as a parameter: a hostile query finds nothing and changes nothing', async () => {
      const hostile = `1'); DROP TABLE ${db.tables.contacts}; --`;
      // The query parser refuses such a value; a repository called directly still gets it.
      expect(await repository.findCustomerByPhone({ ...query('1'), phone: hostile }, context())).toBeNull();
      const [row] = await db.exec(`SELECT count(*) AS n FROM ${db.tables.contacts}`);
      expect(Number(row?.n)).toBe(3);
    });

    it('prefers the row holding the first of phoneKeys when several rows match different keys', async () => {
      const asked = '+92 333 5550001';
      const keys = phoneKeys(asked, { defaultCountry: 'PK' });
      const pk = createSqlRepository({ client: db.pool(), mapping: db.mapping, defaultCountry: 'PK' });
      // Each key typed by a person, in a different column, inserted last-key-first so that the
      // lowest id holds the worst key.
      const spelt = keys.map((key, index) => [['mobile', 'phone', 'work_phone'][index % 3]!, `(${key.slice(0, 2)}) ${key.slice(2, 5)}-${key.slice(5)}`] as const);
      const ids: string[] = [];
      for (const [column, spelling] of [...spelt].reverse()) {
        await db.exec(`INSERT INTO ${db.tables.contacts} (${column}) VALUES ('${spelling}')`);
        const [row] = await db.exec(`SELECT max(id) AS id FROM ${db.tables.contacts}`);
        ids.unshift(String(row?.id));
      }
      try {
        expect((await pk.findCustomerByPhone(query(asked), context()))?._id).toBe(ids[0]);
      } finally {
        await db.exec(`DELETE FROM ${db.tables.contacts} WHERE id > 3`);
      }
    });

    describe('behind the connector, over HTTP', () => {
      it('answers the contract requests from the database', async () => {
        const server = await startReferenceServer({ repository, basePath: '/cim' });
        try {
          const customer = await fetch(server.customerQueryUrl.replace('{refId}', '+923001234567'));
          expect(customer.status).toBe(200);
          expect(await customer.json()).toMatchObject({ _id: '1', labels: ['1', '3'], phone1: '+92 300-1234567' });
          expect((await fetch(server.customerQueryUrl.replace('{refId}', '5555'))).status).toBe(404);
          const labels = await fetch(server.labelsUrl);
          expect((await labels.json()).map((label: { name: string }) => label.name)).toEqual(['Gold', 'Silver', 'Vip']);
        } finally {
          await server.close();
        }
      });

      it('answers 500 problem+json without the SQL when the mapping names a column the table lacks, and serves the next request', async () => {
        const mapping = { ...db.mapping, customers: { ...db.mapping.customers, email: 'no_such_column' } };
        const server = await startReferenceServer({ repository: createSqlRepository({ client: db.pool(), mapping }) });
        try {
          const response = await fetch(server.customerQueryUrl.replace('{refId}', '1111'));
          expect(await expectProblem(response, 'crmFailure')).not.toMatch(/SELECT|no_such_column/);
          expect((await fetch(server.labelsUrl)).status).toBe(200);
          // The cause goes to the operator's log (the default one: stderr), not to the caller.
          expect(takeStderr()).toStrictEqual([expect.stringMatching(/^priority-routing-crm: 500 exception on \/customer; phone \*\*11; .*no_such_column/)]);
        } finally {
          await server.close();
        }
      });

      it('answers 502 naming the field when a row breaks the contract (a view with a null id)', async () => {
        const view = `${db.tables.contacts}_broken`;
        await db.exec(`CREATE VIEW ${view} AS SELECT CAST(NULL AS INTEGER) AS id, mobile FROM ${db.tables.contacts}`);
        const errors: unknown[] = [];
        const server = await startReferenceServer({
          repository: createSqlRepository({ client: db.pool(), mapping: { ...db.mapping, customers: { table: view, id: 'id', phones: ['mobile'] } } }),
          onError: (event) => errors.push(event),
        });
        try {
          await expectProblem(await fetch(server.customerQueryUrl.replace('{refId}', '1111')), 'invalidCrmData');
          expect(JSON.stringify(errors)).toContain('_id');
          expect((await fetch(server.labelsUrl)).status).toBe(200);
        } finally {
          await server.close();
        }
      });
    });
  });
}
