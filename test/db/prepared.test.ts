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
    expect(lookups[0]!.name).toMatch(/^prc_lookup_\d+$/);
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
