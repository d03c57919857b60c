import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, parseCustomerQuery } from '../../src/index.js';
import { phoneKeys } from '../../src/contract/phone-keys.js';
import {
  checkSqlDatabase,
  createSqlRepository,
  DEFAULT_LABEL_COLOR,
  parseSqlMapping,
  phoneIndexes,
  SqlMappingError,
  type SqlRepository,
} from '../../src/repositories/sql/index.js';
import { customerLookup } from '../../src/repositories/sql/queries.js';
import { CRM_CONTACTS, CRM_SCHEMA, createPglite, crmMapping, openPgliteCrm } from '../support/pglite.js';
import { describeSqlRepository } from '../support/sql-repository-cases.js';
import { phoneCases } from '../support/phone-numbers.js';

const context = () => ({ signal: new AbortController().signal });
const query = (phone: string) => {
  const parsed = parseCustomerQuery(`phone:${phone}`);
  if (!parsed.ok) throw new Error(parsed.issues[0]?.message);
  return parsed.value;
};

/** A client that records every statement it is sent. */
/** Tests that start their own PGlite: its WebAssembly start takes seconds on a loaded machine. */
const PGLITE_START_MS = 60_000;

function recording(db: PGlite) {
  const statements: string[] = [];
  return {
    statements,
    client: { query: (text: string, params?: unknown[]) => (statements.push(text), db.query(text, params)) },
  };
}

describe('the SQL mapping', () => {
  it('accepts the issue example and returns it typed', () => {
    expect(parseSqlMapping(crmMapping).customers.phones).toEqual(['mobile', 'phone', 'work_phone']);
  });

  it.each([
    [{ ...crmMapping, customers: { ...crmMapping.customers, phones: [] } }, 'customers.phones'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, phones: ['a', 'b', 'c', 'd', 'e', 'f'] } }, 'customers.phones'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, phones: ['mobile', 'x"; DROP TABLE crm.contacts; --'] } }, 'customers.phones[1]'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, table: 'crm.contacts; DELETE FROM crm.tags' } }, 'customers.table'],
    [{ ...crmMapping, labels: { ...crmMapping.labels, name: 'name`' } }, 'labels.name'],
    [{ ...crmMapping, labels: { ...crmMapping.labels, id: '1id' } }, 'labels.id'],
    [{ ...crmMapping, labels: { ...crmMapping.labels, table: 'a.b.c' } }, 'labels.table'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, email: 42 } }, 'customers.email'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, phone: ['mobile'] } }, 'customers.phone'],
    [{ ...crmMapping, customers: { ...crmMapping.customers, labelIds: 'tag_ids' } }, 'customers.labelIds'],
    [{ customers: crmMapping.customers }, 'labels'],
  ])('refuses a bad mapping and names the key (%#)', (mapping, key) => {
    let error: unknown;
    try {
      parseSqlMapping(mapping);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlMappingError);
    expect((error as SqlMappingError).problems.map((problem) => problem.key)).toContain(key);
    expect((error as Error).message).toContain(`  ${key}: `);
  });

  it('names a misspelt key', () => {
    expect(() => parseSqlMapping({ ...crmMapping, customers: { ...crmMapping.customers, phone: ['mobile'] } })).toThrow(/phone/);
  });

  it('suggests the key an unknown one was meant to be (first_name → firstName), or lists the known ones', () => {
    const problems = (mapping: unknown) => {
      try {
        parseSqlMapping(mapping);
      } catch (error) {
        return (error as SqlMappingError).problems;
      }
      throw new Error('accepted');
    };
    expect(problems({ ...crmMapping, customers: { ...crmMapping.customers, first_name: 'first_name', phone: ['mobile'] } })).toStrictEqual([
      { key: 'customers.first_name', message: 'unknown key; did you mean "firstName"?' },
      { key: 'customers.phone', message: 'unknown key; did you mean "phones"?' },
    ]);
    expect(problems({ ...crmMapping, lables: {} })).toStrictEqual([{ key: 'lables', message: 'unknown key; did you mean "labels"?' }]);
    expect(problems({ ...crmMapping, labels: { ...crmMapping.labels, colour_hex: 'c' } })[0]?.message).toBe(
      'unknown key; expected one of table, id, name, color, createdAt, updatedAt, createdBy, updatedBy, version',
    );
  });

  it("names a missing section or key and what to write there, never zod's raw \"Invalid input\"", () => {
    let message = '';
    try {
      parseSqlMapping({ customers: { table: 'crm.contacts' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      [
        'invalid mapping:',
        '  customers.id: missing: add "id": "<column>" (the column of the customer\'s id)',
        '  customers.phones: missing: add "phones": ["<column>", …] (1 to 5 columns of phone numbers)',
        '  labels: missing: add "labels": { "table": "crm.tags", "id": "id", "name": "name" } (the table or view of the labels, its id and name columns)',
      ].join('\n'),
    );
    expect(() => parseSqlMapping([])).toThrow('(mapping): expected an object with "customers" and "labels"');
  });

  it('is checked by createSqlRepository before any statement is sent', async () => {
    const db = await createPglite('');
    const { client, statements } = recording(db);
    expect(() => createSqlRepository({ client, mapping: { ...crmMapping, labels: {} } })).toThrow(SqlMappingError);
    expect(statements).toEqual([]);
    await db.close();
  }, PGLITE_START_MS);
});

describeSqlRepository('createSqlRepository over PostgreSQL (PGlite)', openPgliteCrm);

describe('createSqlRepository over PGlite, as a recording client sees it', () => {
  let db: PGlite;
  let repository: SqlRepository;
  let statements: string[];

  beforeAll(async () => {
    db = await createPglite(CRM_SCHEMA + CRM_CONTACTS);
    const recorded = recording(db);
    statements = recorded.statements;
    repository = createSqlRepository({ client: recorded.client, mapping: crmMapping });
  }, PGLITE_START_MS);
  afterAll(() => db.close());

  it('detects the PostgreSQL dialect from the client', () => {
    expect(repository.dialect).toBe('postgres');
  });

  it('sends only SELECT statements, with the number as a bound parameter', async () => {
    // The connector refuses such a query with a 400; a vendor calling the repository directly does not.
    const hostile = `1'); DROP TABLE crm.contacts; --`;
    expect(await repository.findCustomerByPhone({ ...query('1'), phone: hostile }, context())).toBeNull();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement).toMatch(/^SELECT /);
      expect(statement).not.toContain('DROP');
    }
    expect((await db.query('SELECT count(*)::int AS n FROM crm.contacts')).rows).toEqual([{ n: 3 }]);
  });

  it('compares the digits of each phone column with the key list, the form an expression index serves', () => {
    expect(statements.find((statement) => statement.includes('regexp_replace'))).toContain(
      `regexp_replace(c."mobile", '[^0-9]', '', 'g') IN ($1) OR regexp_replace(c."phone", '[^0-9]', '', 'g') IN ($1)`,
    );
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    await expect(repository.findCustomerByPhone(query('923001234567'), { signal: controller.signal })).rejects.toThrow('timed out');
  });
});

describe('phoneKeys matching', () => {
  it('finds a customer stored under any key phoneKeys gives, whatever punctuation it was typed with', async () => {
    const asked = '+92 300 1234567';
    const keys = phoneKeys(asked, { defaultCountry: 'PK' });
    expect(keys.length).toBeGreaterThan(0);
    const db = await createPglite();
    // Each key stored as typed by a person: spaced, dashed, parenthesised, in a different column.
    const spellings = keys.map((key) => `(${key.slice(0, 2)}) ${key.slice(2, 5)}-${key.slice(5)}`);
    for (const [index, spelling] of spellings.entries()) {
      const column = ['mobile', 'phone', 'work_phone'][index % 3]!;
      await db.query(`INSERT INTO crm.contacts (${column}) VALUES ($1)`, [spelling]);
    }
    const repository = createSqlRepository({ client: db, mapping: crmMapping, defaultCountry: 'PK' });
    const found = await repository.findCustomerByPhone(query(asked), context());
    // The first key (E.164 digits) wins over the others.
    expect(found?._id).toBe('1');
    await db.close();
  }, PGLITE_START_MS);
});

describe('defaultCountry: every spelling of a number, stored and asked (PGlite)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createPglite();
  });
  afterAll(() => db.close());

  /** The customer stored under `stored` only, in the mobile column, as a person typed it. */
  const storeOnly = async (stored: string) => {
    await db.exec('DELETE FROM crm.contacts');
    await db.query(`INSERT INTO crm.contacts (mobile, first_name) VALUES ($1, 'Stored')`, [stored]);
  };
  const askable = (phone: string) => parseCustomerQuery(`phone:${phone}`).ok;

  it.each(phoneCases.map((c) => [`${c.country} +${c.e164}`, c] as const))('%s: found in every spelling whatever the stored one, never by another number', async (_name, c) => {
    const repository = createSqlRepository({ client: db, mapping: crmMapping, defaultCountry: c.country });
    for (const stored of c.spellings) {
      await storeOnly(stored);
      const misses: string[] = [];
      for (const asked of c.spellings) {
        if ((await repository.findCustomerByPhone(query(asked), context()))?.phone1 !== stored) misses.push(asked);
      }
      expect(misses, `stored as ${stored}`).toStrictEqual([]);
      const falseMatches: string[] = [];
      for (const other of c.others.filter(askable)) {
        if ((await repository.findCustomerByPhone(query(other), context())) !== null) falseMatches.push(other);
      }
      expect(falseMatches, `stored as ${stored}`).toStrictEqual([]);
    }
  });

  it("uses the connector's defaultCountry (query.phoneKeys) when the repository has none of its own", async () => {
    await storeOnly('(0300) 123 4567');
    const connector = createConnector({ repository: createSqlRepository({ client: db, mapping: crmMapping }), defaultCountry: 'PK' });
    for (const asked of ['+92 300 1234567', '0092 300 1234567', '923001234567']) {
      const answer = await connector.handle({ url: `/customer?query=phone:${encodeURIComponent(asked)}` });
      expect([asked, answer.status]).toStrictEqual([asked, 200]);
    }
    expect((await connector.handle({ url: '/customer?query=phone:%2B443001234567' })).status).toBe(404);
  });

  it('without defaultCountry compares digits only, as before: the national form is not the international one', async () => {
    await storeOnly('0300-1234567');
    const repository = createSqlRepository({ client: db, mapping: crmMapping });
    expect((await repository.findCustomerByPhone(query('03001234567'), context()))?.phone1).toBe('0300-1234567');
    expect(await repository.findCustomerByPhone(query('+92 300 1234567'), context())).toBeNull();
    const pk = createSqlRepository({ client: db, mapping: crmMapping, defaultCountry: 'PK' });
    expect((await pk.findCustomerByPhone(query('+92 300 1234567'), context()))?.phone1).toBe('0300-1234567');
  });
});

describe('mapping variants', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createPglite(`
      CREATE TABLE people (
        "Id" uuid PRIMARY KEY, "Tel" text, tag_ids int[], tag_names text[], tag_json jsonb, tag_text text,
        made timestamp, changed date, epoch_s bigint, epoch_text text, rev int
      );
      CREATE TABLE "order" (code text PRIMARY KEY, title text, hue text);
      -- The phone index db check asks for (a mixed-case column, under a name of the vendor's own).
      CREATE INDEX people_tel_digits ON people ((regexp_replace("Tel", '[^0-9]', '', 'g')));
      INSERT INTO "order" VALUES ('g', 'Gold', '#3cb44b'), ('s', 'Silver', NULL);
      INSERT INTO people VALUES
        ('00000000-0000-0000-0000-000000000001', '1111', '{1,2}', '{g,s}', '["g", 7]', '["s"]',
         '2020-06-18 09:32:53.823', '2020-06-18', 1592472773, '2020-06-18T09:32:53.823+05:00', 4),
        ('00000000-0000-0000-0000-000000000002', '2222', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    `);
  });
  afterAll(() => db.close());

  const people = (extra: Record<string, unknown>) => ({
    customers: { table: 'people', id: 'Id', phones: ['Tel'], ...extra },
    labels: { table: 'order', id: 'code', name: 'title', color: 'hue' },
  });

  it.each([
    ['tag_ids', ['1', '2']],
    ['tag_names', ['g', 's']],
    ['tag_json', ['g', '7']],
    ['tag_text', ['s']],
  ])('reads labels from the array or JSON column %s as strings', async (column, labels) => {
    const repository = createSqlRepository({ client: db, mapping: people({ labelIds: column }) });
    expect((await repository.findCustomerByPhone(query('1111'), context()))?.labels).toEqual(labels);
    expect((await repository.findCustomerByPhone(query('2222'), context()))?.labels).toEqual([]);
  });

  it.each([
    ['made', '2020-06-18T09:32:53.823Z'],
    ['changed', '2020-06-18T00:00:00.000Z'],
    ['epoch_s', '2020-06-18T09:32:53.000Z'],
    ['epoch_text', '2020-06-18T04:32:53.823Z'],
  ])('turns the %s column into ISO 8601 UTC with milliseconds', async (column, iso) => {
    const repository = createSqlRepository({ client: db, mapping: people({ createdAt: column, updatedAt: column }) });
    const customer = await repository.findCustomerByPhone(query('1111'), context());
    expect([customer?.createdAt, customer?.updatedAt]).toEqual([iso, iso]);
    expect((await repository.findCustomerByPhone(query('2222'), context()))?.createdAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('checkSqlDatabase refuses a sample size that is not a whole number before sending anything', async () => {
    const { client, statements } = recording(db);
    await expect(checkSqlDatabase({ client, mapping: people({}), sampleSize: -1 })).rejects.toThrow(/sampleSize must be a whole number/);
    await expect(checkSqlDatabase({ client, mapping: people({}), sampleSize: Number.NaN })).rejects.toThrow(RangeError);
    expect(statements).toEqual([]);
    expect(await checkSqlDatabase({ client, mapping: people({ labelIds: 'tag_names', createdAt: 'made', version: 'rev' }), sampleSize: 10 })).toEqual([]);
  });

  it('checkSqlDatabase names customer label ids that no label has', async () => {
    expect(await checkSqlDatabase({ client: db, mapping: people({ labelIds: 'tag_json' }) })).toEqual([
      { key: 'customers row "00000000-0000-0000-0000-000000000001"', message: 'labels: "7" is not the id of any label in order' },
    ]);
  });

  it('fills every unmapped optional field with the empty value, reads a version column, and quotes mixed-case and reserved names', async () => {
    const repository = createSqlRepository({ client: db, mapping: people({ version: 'rev' }) });
    const customer = await repository.findCustomerByPhone(query('1111'), context());
    expect(customer).toStrictEqual({
      _id: '00000000-0000-0000-0000-000000000001',
      labels: [],
      phone1: '1111',
      phone2: '',
      phone3: '',
      phone4: '',
      phone5: '',
      first_name: '',
      last_name: '',
      email: '',
      created_by: '',
      updated_by: '',
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
      __v: 4,
    });
    expect((await repository.findCustomerByPhone(query('2222'), context()))?.__v).toBe(0);
    expect(await repository.listLabels(context())).toEqual([
      expect.objectContaining({ _id: 'g', name: 'Gold', color_code: '#3cb44b', created_by: '', __v: 0 }),
      expect.objectContaining({ _id: 's', name: 'Silver', color_code: DEFAULT_LABEL_COLOR }),
    ]);
  });
});

describe('what the mapping cannot express, a view can', () => {
  it('serves labels kept as a comma-separated string and a phone split over two columns, through the view docs/sql.md shows', async () => {
    // The CREATE VIEW statement exactly as the guide prints it, so the guide cannot drift from what works.
    const guide = await readFile(new URL('../../docs/sql.md', import.meta.url), 'utf8');
    const view = /^ *CREATE VIEW crm\.connector_contacts AS[\s\S]*?;$/m.exec(guide)?.[0];
    expect(view, 'the CREATE VIEW example in docs/sql.md').toBeDefined();
    const db = await createPglite(`
      CREATE SCHEMA crm;
      CREATE TABLE crm.contacts (id int, country_code text, mobile text, phone bigint, tag_list text, tenant_id int, deleted boolean,
                                 created_at timestamptz, updated_at timestamptz);
      CREATE TABLE crm.tags (id int, name text);
      INSERT INTO crm.tags VALUES (1, 'Gold'), (2, 'Vip');
      INSERT INTO crm.contacts VALUES (1, '92', '3001234567', 441234, '1,2', 1, false, now(), now()),
                                      (2, '92', '3009999999', NULL, '2', 2, false, now(), now());
      ${view}
    `);
    const repository = createSqlRepository({
      client: db,
      mapping: {
        customers: { table: 'crm.connector_contacts', id: 'id', phones: ['mobile', 'phone'], labelIds: 'tag_ids', createdAt: 'created_at', updatedAt: 'updated_at' },
        labels: { table: 'crm.tags', id: 'id', name: 'name' },
      },
    });
    expect(await repository.findCustomerByPhone(query('+92 300 1234567'), context())).toMatchObject({ _id: '1', labels: ['1', '2'], phone2: '441234' });
    expect((await repository.findCustomerByPhone(query('441234'), context()))?._id).toBe('1');
    // The other tenant's customer is outside the view.
    expect(await repository.findCustomerByPhone(query('923009999999'), context())).toBeNull();
    await db.close();
  }, PGLITE_START_MS);
});

describe('the MySQL/MariaDB dialect (statements as sent; run against real servers in test/db)', () => {
  const mapping = parseSqlMapping(crmMapping);

  it('quotes names with backticks, binds the keys once per phone column, and compares the expression MySQL 8 indexes', () => {
    const { text, params } = customerLookup('mysql', mapping, ['923001234567', '03001234567']);
    expect(text).toContain("CAST(REGEXP_REPLACE(c.`mobile`, '[^0-9]', '') AS CHAR(64)) IN (?, ?) OR CAST(REGEXP_REPLACE(c.`phone`, '[^0-9]', '') AS CHAR(64)) IN (?, ?)");
    expect(text).toContain('FROM `crm`.`contacts` c WHERE');
    expect(text).toContain('FROM `crm`.`contact_tags` t WHERE t.`contact_id` = c.`id`');
    expect(params).toEqual(['923001234567', '03001234567', '923001234567', '03001234567', '923001234567', '03001234567']);
    expect(text).toMatch(/^SELECT /);
  });

  it("compares MariaDB's generated digits columns where they exist", () => {
    const { text } = customerLookup('mysql', mapping, ['1111'], new Map([['mobile', 'mobile_digits']]));
    expect(text).toContain("c.`mobile_digits` IN (?) OR CAST(REGEXP_REPLACE(c.`phone`, '[^0-9]', '') AS CHAR(64)) IN (?)");
  });

  it('gives each engine its index DDL over the same expression the lookup sends', () => {
    const [mysql] = phoneIndexes('mysql', mapping);
    expect(mysql?.statement).toBe("CREATE INDEX `prc_crm_contacts_mobile` ON `crm`.`contacts` ((CAST(REGEXP_REPLACE(`mobile`, '[^0-9]', '') AS CHAR(64))))");
    const [mariadb] = phoneIndexes('mariadb', mapping);
    expect(mariadb?.statement).toBe(
      "ALTER TABLE `crm`.`contacts` ADD COLUMN IF NOT EXISTS `mobile_digits` VARCHAR(64) AS (REGEXP_REPLACE(`mobile`, '[^0-9]', '')) VIRTUAL INVISIBLE, ADD INDEX IF NOT EXISTS `prc_crm_contacts_mobile` (`mobile_digits`)",
    );
    expect(phoneIndexes('mariadb', mapping).at(-1)?.statement).toBe('CREATE INDEX `prc_crm_contact_tags_contact_id` ON `crm`.`contact_tags` (`contact_id`)');
  });
});
