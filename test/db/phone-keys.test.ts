/**
 * `db indexes --phone-keys` (issue 21.4): one table of normalised phone keys, kept right by
 * triggers, that the repository finds and uses; `--drop-phone-keys` removes it. On the real
 * servers of scripts/db-servers.sh.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlRepository, parseSqlMapping, type SqlClient } from '../../src/repositories/sql/index.js';
import { runCli } from '../support/cli.js';
import { bulkCustomersSql, bulkMobileDigits } from '../support/crm-bulk.js';
import { createScratchDatabase, type Engine, type ScratchDatabase } from '../support/db-servers.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { COUNTRY_FOUND, COUNTRY_MAPPING, COUNTRY_NOT_FOUND, COUNTRY_SCHEMA } from '../support/sql-country-cases.js';
import { context, query } from '../support/sql-repository-cases.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'prc-phone-keys-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** `db indexes --apply <flags>` on the real server, as an operator would run it. */
async function dbIndexes(url: string, mapping: unknown, flags: string[]): Promise<string> {
  const file = join(folder, `mapping-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(mapping));
  const result = await runCli(['db', 'indexes', '--apply', ...flags, '--mapping', file], { DATABASE_URL: url });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** The statements a repository sends, recorded on the way to the server (pg Pool or mysql2 Pool). */
function recording(engine: Engine, client: SqlClient) {
  const sent: string[] = [];
  if (engine === 'postgres') {
    const pool = client as pg.Pool;
    const proxy = new Proxy(pool, {
      get(target, property) {
        if (property === 'connect') {
          return async () => {
            const connection = await target.connect();
            const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
            (connection as unknown as { query: unknown }).query = (first: unknown, ...rest: unknown[]) => {
              sent.push(typeof first === 'string' ? first : (first as { text: string }).text);
              return query(first, ...rest);
            };
            return connection;
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { client: proxy as unknown as SqlClient, sent };
  }
  const pool = client as mysql.Pool;
  const wrapped = {
    pool: (pool as unknown as { pool: unknown }).pool,
    getConnection: async () => {
      const connection = await pool.getConnection();
      return new Proxy(connection, {
        get(target, property) {
          if (property === 'execute' || property === 'query') {
            return (text: string, params: unknown[]) => (sent.push(text), (target[property] as (t: string, p: unknown[]) => unknown)(text, params));
          }
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
  return { client: wrapped as unknown as SqlClient, sent };
}

const ids = (rows: Array<Record<string, unknown>>) => rows.map((row) => `${String(row.customer_id)}:${String(row.phone_key)}`).sort();

/** What the key table should hold: the digits of every phone column of every row, recomputed from the columns. */
function expectedKeysSql(engine: Engine, contacts: string): string {
  const digits = (column: string) => (engine === 'postgres' ? `regexp_replace(${column}, '[^0-9]', '', 'g')` : `REGEXP_REPLACE(${column}, '[^0-9]', '')`);
  const parts = ['mobile', 'phone', 'work_phone'].map((column) => `SELECT id AS customer_id, ${digits(column)} AS phone_key FROM ${contacts}`);
  return `SELECT DISTINCT customer_id, phone_key FROM (${parts.join(' UNION ALL ')}) v WHERE phone_key <> ''`;
}

const ROWS = 20_000;

/** Every `table` entry of MariaDB's EXPLAIN FORMAT=JSON, wherever it is nested. */
function mariaTables(value: unknown): Array<{ table_name: string; access_type: string; key?: string }> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key === 'table' && typeof inner === 'object' && inner !== null && 'access_type' in inner ? [inner as { table_name: string; access_type: string }] : []),
    ...mariaTables(inner),
  ]);
}

for (const engine of ['postgres', 'mariadb'] as const) {
  describe(`db indexes --phone-keys on ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let db: CrmDatabase;
    let keysTable: string;
    beforeAll(async () => {
      db = await createCrmDatabase(engine);
      await db.exec(bulkCustomersSql(engine, db.tables, ROWS));
      keysTable = engine === 'postgres' ? 'crm.prc_phone_keys' : `${db.scratch.name}.prc_phone_keys`;
    });
    afterAll(() => db?.close());

    const keyRows = async () => ids(await db.exec(`SELECT customer_id, phone_key FROM ${keysTable}`));
    const expectedKeys = async () => ids(await db.exec(expectedKeysSql(engine, db.tables.contacts)));

    it('creates the table, filled with the digits of every phone column; the repository finds it, uses it, and EXPLAIN shows its index', async () => {
      const plain = createSqlRepository({ client: db.pool(), mapping: db.mapping });
      // Before: the phone columns.
      expect(await plain.describeLookup()).toBe('phone columns');

      const printed = await dbIndexes(db.scratch.url, db.mapping, ['--phone-keys']);
      expect(printed).toContain('-- changes: a table prc_phone_keys(customer_id, phone_key)');
      expect(printed).toContain(`-- created ${keysTable}`);
      const rows = await keyRows();
      expect(rows.length).toBeGreaterThan(ROWS);
      expect(rows).toStrictEqual(await expectedKeys());

      // Run again: nothing to do.
      expect(await dbIndexes(db.scratch.url, db.mapping, ['--phone-keys'])).toContain(`-- already present: ${keysTable}`);

      const { client, sent } = recording(engine, db.pool());
      const repository = createSqlRepository({ client, mapping: db.mapping });
      expect(await repository.describeLookup()).toBe(`phone keys in ${keysTable}`);
      const found = await repository.findCustomerByPhone(query(`+${bulkMobileDigits(4245)}`), context());
      expect(found).toMatchObject({ _id: String(4245 + 3), first_name: 'Customer4245', labels: [String(1 + ((4245 + 3) % 3))] });
      const lookup = sent.find((text) => text.includes('phone_key IN'));
      expect(lookup).toBeDefined();
      expect(lookup).not.toMatch(/regexp_replace|_digits/i);

      const { text, params } = (await import('../../src/repositories/sql/queries.js')).customerLookup(
        engine === 'postgres' ? 'postgres' : 'mysql',
        parseSqlMapping(db.mapping),
        ['923001234567', '03001234567'],
        new Map(),
        keysTable,
      );
      await db.exec(engine === 'postgres' ? `ANALYZE ${keysTable}` : `ANALYZE TABLE ${keysTable}`);
      const [plan] = await db.exec(engine === 'postgres' ? `EXPLAIN (FORMAT JSON) ${text}` : `EXPLAIN FORMAT=JSON ${text}`, params);
      const document = JSON.stringify(engine === 'postgres' ? plan!['QUERY PLAN'] : JSON.parse(String(Object.values(plan!)[0])));
      if (engine === 'postgres') {
        expect(document).toContain('"Index Name":"prc_phone_keys_key"');
        expect(document).not.toContain('"Node Type":"Seq Scan"');
      } else {
        // The key table by its primary key (phone_key, customer_id), the customers by theirs; no
        // full scan of a real table (only of the two-row set the subquery materialises).
        const tables = mariaTables(JSON.parse(document)).filter((table) => !table.table_name.startsWith('<'));
        expect(tables.find((table) => table.table_name === 'k')).toMatchObject({ key: 'PRIMARY', access_type: 'range' });
        expect(tables.find((table) => table.table_name === 'c')).toMatchObject({ key: 'PRIMARY', access_type: 'eq_ref' });
        expect(tables.map((table) => table.access_type), document).not.toContain('ALL');
      }
    });

    it('keeps the table right through inserts, updates (of a phone, of another column) and deletes', async () => {
      const repository = createSqlRepository({ client: db.pool(), mapping: db.mapping });
      const find = async (phone: string) => (await repository.findCustomerByPhone(query(phone), context()))?._id ?? null;
      await db.exec(`INSERT INTO ${db.tables.contacts} (mobile, phone, first_name) VALUES ('+1 (555) 010-0001', '+44 20 7946 0000', 'New')`);
      const [inserted] = await db.exec(`SELECT id FROM ${db.tables.contacts} WHERE first_name = 'New'`);
      const id = String(inserted!.id);
      expect(await find('+15550100001')).toBe(id);
      expect(await find('442079460000')).toBe(id);

      await db.exec(`UPDATE ${db.tables.contacts} SET mobile = '+1 555 010 0002' WHERE id = ${id}`);
      expect(await find('+15550100001')).toBeNull();
      expect(await find('+15550100002')).toBe(id);
      await db.exec(`UPDATE ${db.tables.contacts} SET last_name = 'Renamed' WHERE id = ${id}`);
      expect(await find('+15550100002')).toBe(id);
      await db.exec(`UPDATE ${db.tables.contacts} SET phone = NULL, work_phone = '' WHERE id = ${id}`);
      expect(await find('442079460000')).toBeNull();

      await db.exec(`DELETE FROM ${db.tables.contact_tags} WHERE contact_id = 7`);
      await db.exec(`DELETE FROM ${db.tables.contacts} WHERE id IN (${id}, 7)`);
      expect(await find('+15550100002')).toBeNull();
      expect(await find(`+${bulkMobileDigits(4)}`)).toBeNull();
      expect(await keyRows()).toStrictEqual(await expectedKeys());
    });

    it('--drop-phone-keys removes the table and its triggers; lookups go back to the phone columns and writes go on', async () => {
      const printed = await dbIndexes(db.scratch.url, db.mapping, ['--drop-phone-keys']);
      expect(printed).toContain(`-- dropped ${keysTable}`);
      const schema = engine === 'postgres' ? 'crm' : db.scratch.name;
      const [left] = await db.exec(
        engine === 'postgres'
          ? `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${schema}' AND c.relname LIKE 'prc_phone_keys%')
               + (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'prc_phone_keys%') + (SELECT count(*) FROM pg_proc WHERE proname LIKE 'prc_phone_keys%') AS n`
          : `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${schema}' AND TABLE_NAME LIKE 'prc\\_phone\\_keys%')
               + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '${schema}') AS n`,
      );
      expect(Number(left!.n)).toBe(0);
      await db.exec(`INSERT INTO ${db.tables.contacts} (mobile, first_name) VALUES ('+1 555 010 0003', 'After')`);
      const repository = createSqlRepository({ client: db.pool(), mapping: db.mapping });
      expect(await repository.describeLookup()).toBe('phone columns');
      expect((await repository.findCustomerByPhone(query('+15550100003'), context()))?.first_name).toBe('After');
    });
  });

  describe(`the phone-key table answers as the phone columns do, every spelling of sql-country-cases.ts, on ${engine}`, () => {
    let scratch: ScratchDatabase;
    let client: SqlClient & { end(): Promise<void> };
    beforeAll(async () => {
      scratch = await createScratchDatabase(engine);
      for (const statement of COUNTRY_SCHEMA) await scratch.exec(statement);
      client = engine === 'postgres' ? new pg.Pool({ connectionString: scratch.url, max: 2 }) : mysql.createPool({ uri: scratch.url, connectionLimit: 2 });
    });
    afterAll(async () => {
      await client?.end();
      await scratch?.drop();
    });

    it('finds the same customer (or none) for each, with and without customers.country', async () => {
      const { country: _country, ...withoutCountry } = COUNTRY_MAPPING.customers;
      const mappings = [COUNTRY_MAPPING, { ...COUNTRY_MAPPING, customers: withoutCountry }];
      const asked = [...COUNTRY_FOUND.map(([phone]) => phone), ...COUNTRY_NOT_FOUND.map(([phone]) => phone)];
      const answers = async (mapping: unknown) => {
        const repository = createSqlRepository({ client, mapping, defaultCountry: 'PK' });
        const found: Array<string | null> = [];
        for (const phone of asked) found.push((await repository.findCustomerByPhone(query(phone), context()))?._id ?? null);
        return { lookup: await repository.describeLookup(), found };
      };
      for (const mapping of mappings) {
        const columns = await answers(mapping);
        expect(columns.lookup).toBe('phone columns');
        await dbIndexes(scratch.url, mapping, ['--phone-keys']);
        const keys = await answers(mapping);
        expect(keys.lookup).toBe('phone keys in prc_phone_keys');
        expect(keys.found).toStrictEqual(columns.found);
        await dbIndexes(scratch.url, mapping, ['--drop-phone-keys']);
      }
      // The cases themselves hold with the country column.
      expect((await answers(COUNTRY_MAPPING)).found.slice(0, COUNTRY_FOUND.length)).toStrictEqual(COUNTRY_FOUND.map(([, id]) => id));
    });
  });
}
