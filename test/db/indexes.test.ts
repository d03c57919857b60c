import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKeys } from '../../src/contract/phone-keys.js';
import { createSqlRepository, phoneIndexes, parseSqlMapping } from '../../src/repositories/sql/index.js';
import { customerLookup } from '../../src/repositories/sql/queries.js';
import { runCli } from '../support/cli.js';
import { bulkCustomersSql, bulkMobileDigits } from '../support/crm-bulk.js';
import type { Engine } from '../support/db-servers.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { context, query } from '../support/sql-repository-cases.js';

const ROWS = 100_000;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'prc-indexes-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** `db indexes --apply` on the real server, as an operator would run it. */
async function applyIndexes(db: CrmDatabase): Promise<string> {
  const file = join(folder, `${db.engine}.json`);
  await writeFile(file, JSON.stringify(db.mapping));
  const result = await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: db.scratch.url });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgPlanNode[];
}
const pgNodes = (node: PgPlanNode): PgPlanNode[] => [node, ...(node.Plans ?? []).flatMap(pgNodes)];

describe(`PostgreSQL, ${ROWS.toLocaleString('en-US')} customers`, () => {
  let db: CrmDatabase;
  beforeAll(async () => {
    db = await createCrmDatabase('postgres');
    await db.exec(bulkCustomersSql('postgres', db.tables, ROWS));
  });
  afterAll(() => db?.close());

  const plan = async (keys: string[]) => {
    const { text, params } = customerLookup('postgres', parseSqlMapping(db.mapping), keys);
    const [row] = await db.exec(`EXPLAIN (FORMAT JSON) ${text}`, params);
    const document = row?.['QUERY PLAN'] as Array<{ Plan: PgPlanNode }>;
    return pgNodes(document[0]!.Plan);
  };

  it('with the DDL from `db indexes`, EXPLAIN of the lookup shows index scans only, one per phone column and the label join', async () => {
    const keys = phoneKeys(`+${bulkMobileDigits(4242)}`, {});
    // Without the indexes the lookup reads the whole table: the check below can fail.
    expect((await plan(keys)).map((node) => node['Node Type'])).toContain('Seq Scan');

    const printed = await applyIndexes(db);
    for (const index of phoneIndexes('postgres', parseSqlMapping(db.mapping))) expect(printed).toContain(`-- created ${index.name}`);
    await db.exec('ANALYZE crm.contacts; ANALYZE crm.contact_tags');

    const nodes = await plan(keys);
    const scans = nodes.filter((node) => node['Node Type'].endsWith('Scan'));
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(scans.every((node) => /Index/.test(node['Node Type']) || node['Node Type'] === 'Bitmap Heap Scan')).toBe(true);
    expect(new Set(scans.map((node) => node['Index Name']).filter(Boolean))).toStrictEqual(
      new Set(['prc_crm_contacts_mobile', 'prc_crm_contacts_phone', 'prc_crm_contacts_work_phone', 'prc_crm_contact_tags_contact_id']),
    );

    const repository = createSqlRepository({ client: db.pool(), mapping: db.mapping });
    const found = await repository.findCustomerByPhone(query(`+${bulkMobileDigits(4242)}`), context());
    expect(found).toMatchObject({ _id: String(4242 + 3), first_name: 'Customer4242', labels: [] });
    expect((await repository.findCustomerByPhone(query(`+${bulkMobileDigits(4245)}`), context()))?.labels).toEqual([String(1 + ((4245 + 3) % 3))]);
  });
});

interface MariaTable {
  table_name?: string;
  access_type?: string;
  key?: string;
}

/** Every `table` entry of MariaDB's EXPLAIN FORMAT=JSON, wherever it is nested. */
function mariaTables(value: unknown): MariaTable[] {
  if (Array.isArray(value)) return value.flatMap(mariaTables);
  if (typeof value !== 'object' || value === null) return [];
  const found: MariaTable[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'table' && typeof inner === 'object' && inner !== null && 'access_type' in inner) found.push(inner as MariaTable);
    found.push(...mariaTables(inner));
  }
  return found;
}

describe(`MariaDB, ${ROWS.toLocaleString('en-US')} customers`, () => {
  let db: CrmDatabase;
  beforeAll(async () => {
    db = await createCrmDatabase('mariadb' satisfies Engine);
    await db.exec(bulkCustomersSql('mariadb', db.tables, ROWS));
  });
  afterAll(() => db?.close());

  it('with the generated columns and indexes from `db indexes`, the statement the repository sends is an index lookup', async () => {
    const pool = db.pool() as mysql.Pool;
    const explain = async (text: string, params: unknown[]) => {
      const [rows] = await pool.query<mysql.RowDataPacket[]>(`EXPLAIN FORMAT=JSON ${text}`, params);
      return mariaTables(JSON.parse(String(Object.values(rows[0]!)[0])));
    };
    // Without them the lookup reads the whole table: the check below can fail.
    const before = customerLookup('mysql', parseSqlMapping(db.mapping), phoneKeys(`+${bulkMobileDigits(4245)}`, {}));
    expect((await explain(before.text, before.params)).map((table) => table.access_type)).toContain('ALL');

    await applyIndexes(db);
    // What the repository really sends: record it on the way to the server.
    const sent: Array<{ text: string; params: unknown[] }> = [];
    const recording = {
      pool: (pool as unknown as { pool: unknown }).pool,
      getConnection: async () => {
        const connection = await pool.getConnection();
        return new Proxy(connection, {
          get(target, property) {
            if (property === 'execute') return (text: string, params: unknown[]) => (sent.push({ text, params }), target.execute(text, params as never));
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    };
    const repository = createSqlRepository({ client: recording, mapping: db.mapping });
    const found = await repository.findCustomerByPhone(query(`+${bulkMobileDigits(4245)}`), context());
    expect(found).toMatchObject({ _id: String(4245 + 3), first_name: 'Customer4245', labels: [String(1 + ((4245 + 3) % 3))] });

    const lookup = sent.find((statement) => statement.text.includes('_digits'));
    expect(lookup?.text).toContain('`mobile_digits` IN (?)');
    const tables = await explain(lookup!.text, lookup!.params);
    expect(tables.length).toBeGreaterThanOrEqual(2);
    // No full scan ("ALL") of any table; the customers by their phone indexes, the labels by theirs.
    expect(tables.map((table) => table.access_type)).not.toContain('ALL');
    // The customers by their phone indexes (an index merge of one range per column), the labels
    // by the index InnoDB made for the join table's foreign key, which `db indexes` recognises
    // by definition and does not duplicate.
    expect(JSON.stringify(tables)).toContain('prc_');
    expect(tables.map((table) => table.key)).toContain('contact_id');
  });
});
