import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlRepository } from '../../src/repositories/sql/index.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { context, query } from '../support/sql-repository-cases.js';

// The lookup runs as a named prepared statement on a pg Pool's connection, so that PostgreSQL
// parses and plans it once per connection instead of on every lookup (bench: `npm run bench:db`).
describe('createSqlRepository on a PostgreSQL pg Pool', () => {
  let db: CrmDatabase;
  beforeAll(async () => {
    db = await createCrmDatabase('postgres');
  });
  afterAll(() => db?.close());

  it('prepares the lookup once per connection and answers from it on every later lookup', async () => {
    const pool = db.pool({ max: 1 }) as unknown as { query(text: string): Promise<{ rows: Array<{ name: string; statement: string }> }> };
    const repository = createSqlRepository({ client: pool as never, mapping: db.mapping });
    expect((await repository.findCustomerByPhone(query('+923001234567'), context()))?._id).toBe('1');
    expect(await repository.findCustomerByPhone(query('+15550000000'), context())).toBeNull();
    expect((await repository.findCustomerByPhone(query('0092 321 7654321'), context()))?._id).toBe('2');
    // The pool's one connection: what it holds prepared.
    const { rows } = await pool.query('SELECT name, statement FROM pg_prepared_statements');
    const lookups = rows.filter((row) => row.statement.includes('regexp_replace'));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.name).toMatch(/^prc_[0-9a-f]{16}$/);
  });

  it('two copies of the library sharing one pool (its ESM and CommonJS builds, two versions) never give one statement name to two texts', async () => {
    const pool = db.pool({ max: 1 });
    // Two fresh instances of the module, each with its own table of statement names.
    type Client = typeof import('../../src/repositories/sql/client.js');
    // @ts-expect-error: a query suffix (another module instance), which TypeScript cannot resolve
    const first = (await import('../../src/repositories/sql/client.js?first-copy')) as Client;
    // @ts-expect-error: as above
    const second = (await import('../../src/repositories/sql/client.js?second-copy')) as Client;
    const [a, b] = [first.createRunner(pool), second.createRunner(pool)];
    // The same pooled connection runs both: a name given to two texts would be refused there.
    for (const round of [1, 2]) {
      expect(await a.run('SELECT $1::text AS a', [`a${round}`], undefined, true)).toStrictEqual([{ a: `a${round}` }]);
      expect(await b.run('SELECT $1::text AS b', [`b${round}`], undefined, true)).toStrictEqual([{ b: `b${round}` }]);
    }
  });

  it('keeps answering after a DDL change to the table the statement was prepared on', async () => {
    const pool = db.pool({ max: 1 });
    const repository = createSqlRepository({ client: pool, mapping: db.mapping });
    expect((await repository.findCustomerByPhone(query('+923001234567'), context()))?._id).toBe('1');
    await db.exec(`ALTER TABLE ${db.tables.contacts} ALTER COLUMN phone TYPE text`);
    expect((await repository.findCustomerByPhone(query('+923001234567'), context()))?._id).toBe('1');
    expect((await repository.findCustomerByPhone(query('0092 321 7654321'), context()))?._id).toBe('2');
  });
});

// MySQL/MariaDB: values travel as server-side prepared statements (mysql2's `execute`, cached per
// connection), never spliced into the text on the client as mysql2's `query` does.
describe('createSqlRepository on a MariaDB mysql2 Pool', () => {
  let db: CrmDatabase;
  beforeAll(async () => {
    db = await createCrmDatabase('mariadb');
  });
  afterAll(() => db?.close());

  it('runs each lookup and the label list as a server-side prepared statement (execute, never query), prepared once per connection, with every value type intact', async () => {
    const pool = db.pool({ max: 1 }) as unknown as { query(text: string): Promise<[Array<{ Variable_name: string; Value: string }>]> };
    // The pool's one connection: its own counters (read with query, so not counted themselves).
    const counters = async () => {
      const [rows] = await pool.query("SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')");
      return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
    };
    const repository = createSqlRepository({ client: pool as never, mapping: db.mapping });
    // Integer ids as strings, a DATETIME(3) and a TIMESTAMP(3) as ISO dates, labels from JSON_ARRAYAGG.
    expect(await repository.findCustomerByPhone(query('+923001234567'), context())).toMatchObject({
      _id: '1',
      labels: ['1', '3'],
      phone1: '+92 300-1234567',
      createdAt: '2020-06-18T09:32:53.823Z',
      updatedAt: '2020-06-18T09:32:53.823Z',
    });
    expect(await repository.listLabels(context())).toHaveLength(3);
    // Both statements are prepared on this connection now (and the catalog read once): from here on
    // every lookup and label list is one COM_STMT_EXECUTE, and nothing is prepared again.
    const before = await counters();
    expect((await repository.findCustomerByPhone(query('+92 300 1234567'), context()))?._id).toBe('1');
    expect(await repository.findCustomerByPhone(query('+923009999999'), context())).toBeNull();
    expect((await repository.findCustomerByPhone(query('923001234567'), context()))?._id).toBe('1');
    expect((await repository.listLabels(context())).map((label) => label.name)).toStrictEqual(['Gold', 'Silver', 'Vip']);
    expect(await repository.listLabels(context())).toHaveLength(3);
    const after = await counters();
    expect(after.Com_stmt_execute! - before.Com_stmt_execute!).toBe(5);
    expect(after.Com_stmt_prepare! - before.Com_stmt_prepare!).toBe(0);
  });
  it('reads a JSON label column, an epoch-seconds date and a DECIMAL version through execute() as it did through query()', async () => {
    await db.exec(`ALTER TABLE ${db.tables.contacts} ADD COLUMN tag_json JSON, ADD COLUMN seen_at BIGINT, ADD COLUMN rev DECIMAL(10, 0)`);
    await db.exec(`UPDATE ${db.tables.contacts} SET tag_json = '["1", 3]', seen_at = 1592472773, rev = 7 WHERE id = 1`);
    const { customerLabels: _join, ...mapping } = db.mapping;
    const repository = createSqlRepository({
      client: db.pool({ max: 1 }),
      mapping: { ...mapping, customers: { ...mapping.customers, labelIds: 'tag_json', createdAt: 'seen_at', version: 'rev' } },
    });
    expect(await repository.findCustomerByPhone(query('+923001234567'), context())).toMatchObject({
      _id: '1',
      labels: ['1', '3'],
      createdAt: '2020-06-18T09:32:53.000Z',
      __v: 7,
    });
    expect((await repository.findCustomerByPhone(query('1111'), context()))?.labels).toEqual([]);
  });
});
