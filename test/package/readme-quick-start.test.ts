// The README's quick start, run: its SQL views over a vendor's tables in PostgreSQL (PGlite), its
// queries as its repository sends them, with its connector options. A customer stored as
// `0300-1234567` must be found by the `923001234567` Hybrid Chat sends.
import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, type CustomerRecord, type CustomerRepository, type LabelRecord } from '../../src/index.js';
import { createPglite } from '../support/pglite.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('\n## Quick start for a CRM vendor\n');
const quickStart = readme.slice(start, readme.indexOf('\n## ', start + 1));
/** The body of the section's first fenced block in `language`. */
const block = (language: string) => {
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(quickStart);
  expect(match, `a ${language} block in the quick start`).not.toBeNull();
  return match![1]!;
};
const code = block('ts');
const views = block('sql');
/** The SQL text of the README's `pool.query<Type>('…'` call for this row type. */
const queryOf = (type: string) => new RegExp(`pool\\.query<${type}>\\('([^']+)'`).exec(code)![1]!;

// A vendor's own tables, as the views in the README expect them; numbers as people typed them.
const VENDOR_TABLES = `
  CREATE TABLE contacts (id serial PRIMARY KEY, mobile text, first_name text, last_name text, email text,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL, color text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE contact_tags (contact_id int NOT NULL REFERENCES contacts(id), tag_id int NOT NULL REFERENCES tags(id));
  INSERT INTO tags (name, color, created_at, updated_at) VALUES ('Gold', '#3cb44b', '2020-06-18T09:31:01.328Z', '2020-06-18T09:31:01.328Z');
  INSERT INTO contacts (mobile, first_name, last_name, email, created_at, updated_at)
    VALUES ('0300-1234567', 'Ayesha', 'Khan', NULL, '2020-06-18T09:32:53.823Z', '2020-06-18T09:32:53.823Z');
  INSERT INTO contact_tags VALUES (1, 1);
`;

let db: PGlite;
beforeAll(async () => {
  db = await createPglite(VENDOR_TABLES + views);
});
afterAll(() => db?.close());

describe("the README's quick start", () => {
  it('queries by phoneKeys with defaultCountry, so 923001234567 finds the customer stored as 0300-1234567', async () => {
    expect(code).toMatch(/async findCustomerByPhone\(\{ phoneKeys \}\)/);
    const country = /defaultCountry: '([A-Z]{2})'/.exec(code)?.[1];
    expect(country).toBe('PK');
    const repository: CustomerRepository = {
      // As the README's repository does it, with PGlite in place of the pg pool.
      findCustomerByPhone: async ({ phoneKeys }) => (await db.query<CustomerRecord>(queryOf('CrmContact'), [phoneKeys])).rows[0] ?? null,
      listLabels: async () => (await db.query<LabelRecord>(queryOf('CrmTag'))).rows,
    };
    const connector = createConnector({ repository, basePath: '/cim', defaultCountry: country as 'PK' });

    const found = await connector.fetch(new Request('http://crm.test/cim/customer?query=phone:923001234567'));
    expect(found.status).toBe(200);
    expect(await found.json()).toStrictEqual({
      _id: '1', labels: ['1'], phone1: '0300-1234567', phone2: '', phone3: '', phone4: '', phone5: '',
      first_name: 'Ayesha', last_name: 'Khan', email: '', created_by: '', updated_by: '',
      createdAt: '2020-06-18T09:32:53.823Z', updatedAt: '2020-06-18T09:32:53.823Z', __v: 0,
    });
    // The label list passes the contract check too (200, not 502).
    const labels = await connector.fetch(new Request('http://crm.test/cim/label'));
    expect(labels.status).toBe(200);
    expect(await labels.json()).toMatchObject([{ _id: '1', name: 'Gold', color_code: '#3cb44b' }]);
  });

  it('normalizedPhone alone would not have found it: the number is stored in its national spelling', async () => {
    const { rows } = await db.query(queryOf('CrmContact'), [['923001234567']]);
    expect(rows).toStrictEqual([]);
  });
});
