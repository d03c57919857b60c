/**
 * The hand-written connector the SQL repository is held against: parse the query, one SQL
 * statement on the same indexes (`db indexes`), the row as the contract's JSON. What a developer
 * would write for one CRM schema, with nothing to configure and no checks, and, as a developer
 * who cares about speed would, PREPARED: a named `pg` statement (parsed and planned once per
 * connection) and `mysql2`'s `execute` (a server-side prepared statement, cached per
 * connection). The unprepared form (`prepared: false`, text and values each time) is kept for
 * the row that says what preparing is worth.
 */

/** A `pg` Pool or `mysql2/promise` Pool, as far as the baseline needs. */
export interface BaselinePool {
  query(text: string | { name: string; text: string; values: unknown[] }, params?: unknown[]): Promise<unknown>;
  execute?(text: string, params: unknown[]): Promise<unknown>;
}

/** The schema-qualified tables of the CRM schema (test/support/sql-backends.ts). */
export interface BaselineTables {
  contacts: string;
  contact_tags: string;
}

const pgDigits = (column: string) => `regexp_replace(c.${column}, '[^0-9]', '', 'g') = $1`;

/** The statement: PostgreSQL's expression indexes, MariaDB's generated `<column>_digits` columns. */
export function baselineSql(engine: 'postgres' | 'mariadb', tables: BaselineTables): string {
  const columns = 'c.id, c.mobile, c.phone, c.work_phone, c.first_name, c.last_name, c.email, c.created_at, c.updated_at';
  if (engine === 'postgres') {
    return `SELECT ${columns}, (SELECT json_agg(t.tag_id) FROM ${tables.contact_tags} t WHERE t.contact_id = c.id) AS labels
      FROM ${tables.contacts} c WHERE ${['mobile', 'phone', 'work_phone'].map(pgDigits).join(' OR ')}`;
  }
  return `SELECT ${columns}, (SELECT JSON_ARRAYAGG(t.tag_id) FROM ${tables.contact_tags} t WHERE t.contact_id = c.id) AS labels
    FROM ${tables.contacts} c WHERE c.mobile_digits = ? OR c.phone_digits = ? OR c.work_phone_digits = ?`;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

/** Answers `/customer?query=phone:…` with status and body, as a hand-written server would. */
export function baselineLookup(engine: 'postgres' | 'mariadb', pool: BaselinePool, tables: BaselineTables, { prepared = true } = {}) {
  const text = baselineSql(engine, tables);
  const run = (digits: string): Promise<unknown> => {
    if (engine === 'postgres') return prepared ? pool.query({ name: 'baseline_lookup', text, values: [digits] }) : pool.query(text, [digits]);
    const values = [digits, digits, digits];
    return prepared ? pool.execute!(text, values) : pool.query(text, values);
  };
  return async (url: string): Promise<{ status: number; body: string }> => {
    const query = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('query') ?? '';
    const digits = query.slice('phone:'.length).replace(/\D/g, '');
    const result = await run(digits);
    const rows = (engine === 'postgres' ? (result as { rows: Record<string, unknown>[] }).rows : (result as [Record<string, unknown>[]])[0]) ?? [];
    const row = rows[0];
    if (row === undefined) return { status: 404, body: '{"status":404}' };
    const labels = typeof row.labels === 'string' ? (JSON.parse(row.labels) as unknown[]) : ((row.labels as unknown[] | null) ?? []);
    return {
      status: 200,
      body: JSON.stringify({
        _id: String(row.id),
        labels: labels.map(String),
        phone1: row.mobile ?? '',
        phone2: row.phone ?? '',
        phone3: row.work_phone ?? '',
        phone4: '',
        phone5: '',
        first_name: row.first_name ?? '',
        last_name: row.last_name ?? '',
        email: row.email ?? '',
        created_by: '',
        updated_by: '',
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        __v: 0,
      }),
    };
  };
}
