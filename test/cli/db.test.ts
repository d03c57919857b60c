import type { PGlite } from '@electric-sql/pglite';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, startCli, waitForOutput } from '../support/cli.js';
import { createPglite, crmMapping, servePglite } from '../support/pglite.js';
import { closedPort } from '../support/listen.js';
import { parseSqlMapping } from '../../src/repositories/sql/mapping.js';
import { dropPhoneKeysPlan, phoneKeysPlan } from '../../src/repositories/sql/phone-keys.js';

const PASSWORD = 'pw-Zq81';

let db: PGlite;
let served: Awaited<ReturnType<typeof servePglite>>;
let folder: string;
let url: string;
const running: CliRun[] = [];

async function mappingFile(name: string, mapping: unknown): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(mapping));
  return file;
}

beforeAll(async () => {
  db = await createPglite();
  await db.exec(`
    INSERT INTO crm.contacts (mobile, phone, first_name) VALUES ('+92 300-1234567', NULL, 'Gold'), ('1111', '0092-321-7654321', 'Other');
    INSERT INTO crm.contact_tags VALUES (1, 1);
    CREATE VIEW crm.bad_tags AS SELECT id, CASE WHEN id = 2 THEN '' ELSE name END AS name, 'red'::text AS color FROM crm.tags;
  `);
  served = await servePglite(db);
  url = served.url(PASSWORD);
  folder = await mkdtemp(join(tmpdir(), 'prc-db-'));
});
afterAll(async () => {
  await served.stop();
  await db.close();
  await rm(folder, { recursive: true, force: true });
});
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

describe('priority-routing-crm db check', () => {
  it('exits 1 naming each column no index serves and the db indexes command; 0 once indexes of any name serve them, with the rows really sampled; masks the password', async () => {
    const file = await mappingFile('ok.json', crmMapping);
    const before = await runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    expect(before.stdout).toBe(
      [
        `db check: ${file} against postgres://postgres:***@127.0.0.1:${served.port}/postgres, PostgreSQL`,
        ...['mobile', 'phone', 'work_phone'].map(
          (column, index) =>
            `  ✗ customers.phones[${index}]: no index serves the phone lookup on "${column}" of crm.contacts: every lookup reads the whole table; create it with "priority-routing-crm db indexes"`,
        ),
        '  ✗ customerLabels.customerId: no index on "contact_id" of crm.contact_tags: the labels of each customer found are read by a whole-table scan; create it with "priority-routing-crm db indexes"',
        `  fix: priority-routing-crm db indexes --mapping ${file} prints the DDL for review; add --apply to run it`,
        '4 problems',
        '',
      ].join('\n'),
    );

    // The vendor's own indexes, under names of its own: a primary key leading with the join
    // table's customer column, expression indexes spelt with casts.
    await db.exec(`
      CREATE INDEX vendor_mobile ON crm.contacts ((regexp_replace(mobile, '[^0-9]'::text, ''::text, 'g'::text)));
      CREATE INDEX vendor_phone ON crm.contacts USING btree (regexp_replace((phone)::text, '[^0-9]', '', 'g'));
      CREATE INDEX vendor_work_phone ON crm.contacts ((regexp_replace("work_phone", '[^0-9]', '', 'g')));
      ALTER TABLE crm.contact_tags ADD CONSTRAINT vendor_contact_tags_pkey PRIMARY KEY (contact_id, tag_id);`);
    try {
      const result = await runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`postgres://postgres:***@127.0.0.1:${served.port}/postgres, PostgreSQL`);
      // The table holds 2 customers: not the 100 asked for.
      expect(result.stdout).toContain('  ✓ no problem found (2 customer rows sampled)\n');
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);

      const indexes = await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: url });
      expect(indexes.code).toBe(0);
      expect(indexes.stdout).toContain('-- already served by vendor_mobile: prc_crm_contacts_mobile is not needed');
      expect(indexes.stdout).toContain('-- already served by vendor_contact_tags_pkey: prc_crm_contact_tags_contact_id is not needed');
      expect(indexes.stdout).not.toContain('CREATE INDEX');
    } finally {
      await db.exec('DROP INDEX crm.vendor_mobile, crm.vendor_phone, crm.vendor_work_phone; ALTER TABLE crm.contact_tags DROP CONSTRAINT vendor_contact_tags_pkey');
    }
  });

  it('with the phone-key table of db indexes --phone-keys, asks for no phone column index; checks the table instead: its keys against the sample, its trigger, the mapping it was built for', async () => {
    const file = await mappingFile('ok.json', crmMapping);
    const mapping = parseSqlMapping(crmMapping);
    await db.exec(phoneKeysPlan('postgres', mapping).statements.join(';\n'));
    await db.exec('ALTER TABLE crm.contact_tags ADD CONSTRAINT vendor_contact_tags_pkey PRIMARY KEY (contact_id, tag_id)');
    const dbCheck = () => runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
    try {
      const ok = await dbCheck();
      expect(ok.stderr).toBe('');
      expect(ok.stdout).not.toContain('no index serves');
      expect(ok.stdout).toContain('  ✓ no problem found (2 customer rows sampled)\n');
      expect(ok.code).toBe(0);

      // Keys lost (a bulk load with the triggers off): the sampled customer's keys are not its digits.
      await db.exec(`DELETE FROM crm.prc_phone_keys WHERE customer_id = 2`);
      const stale = await dbCheck();
      expect(stale.code).toBe(1);
      expect(stale.stdout).toContain(
        '  ✗ crm.prc_phone_keys: the keys of 1 of 2 sampled customers (such as "2") are not the digits of their phone columns: the table is out of step (were its triggers off, or rows loaded around them?) and lookups miss or mismatch them: rebuild it with "priority-routing-crm db indexes --phone-keys --apply" (or remove it with --drop-phone-keys --apply)\n',
      );

      // A disabled trigger: lookups go back to the phone columns, which need their indexes again.
      await db.exec(phoneKeysPlan('postgres', mapping).statements.join(';\n'));
      await db.exec('ALTER TABLE crm.contacts DISABLE TRIGGER prc_phone_keys');
      const disabled = await dbCheck();
      expect(disabled.code).toBe(1);
      expect(disabled.stdout).toContain('  ✗ crm.prc_phone_keys: its trigger prc_phone_keys on crm.contacts is disabled, so changes to the customers do not reach it and lookups do not use it: rebuild it with');
      expect(disabled.stdout).toContain('  ✗ customers.phones[0]: no index serves the phone lookup on "mobile"');
      await db.exec('ALTER TABLE crm.contacts ENABLE TRIGGER prc_phone_keys');

      await db.exec(`COMMENT ON TABLE crm.prc_phone_keys IS 'priority-routing-crm phone keys of crm.contacts by id: mobile'`);
      const other = await dbCheck();
      expect(other.code).toBe(1);
      expect(other.stdout).toContain('  ✗ crm.prc_phone_keys: it was built for another mapping (other table, id or phone columns), so lookups do not use it: rebuild it with');
    } finally {
      await db.exec(dropPhoneKeysPlan('postgres', mapping).statements.join(';\n'));
      await db.exec('ALTER TABLE crm.contact_tags DROP CONSTRAINT vendor_contact_tags_pkey');
    }
  });

  it('a mapping with customers.country and no --default-country: db check fails as serve refuses to start (exit 2, before connecting), both naming --default-country; with it, db check passes and serve starts', async () => {
    const file = await mappingFile('country.json', { ...crmMapping, customers: { ...crmMapping.customers, country: 'country' } });
    // Otherwise nothing to report: the phone columns and the join table have their indexes.
    await db.exec(`
      ALTER TABLE crm.contacts ADD COLUMN country text;
      UPDATE crm.contacts SET country = 'PK' WHERE id = 1;
      CREATE INDEX vendor_mobile ON crm.contacts ((regexp_replace(mobile, '[^0-9]', '', 'g')));
      CREATE INDEX vendor_phone ON crm.contacts ((regexp_replace(phone, '[^0-9]', '', 'g')));
      CREATE INDEX vendor_work_phone ON crm.contacts ((regexp_replace(work_phone, '[^0-9]', '', 'g')));
      ALTER TABLE crm.contact_tags ADD CONSTRAINT vendor_contact_tags_pkey PRIMARY KEY (contact_id, tag_id);`);
    try {
      const advice = 'is mapped, so the numbers of customers whose "country" is empty are read in a default country, and none is set: ';
      const check = await runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
      expect(check.stderr).toBe('');
      expect(check.stdout).toContain(
        `  ✗ customers.country: "country" ${advice}give serve --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK), and db check the same flag\n`,
      );
      expect(check.stdout).toMatch(/^1 problem$/m);
      expect(check.code).toBe(1);

      // What db check failed on is what stops serve: a wrong option (exit 2), before connecting, so at once.
      const serve = await runCli(['serve', '--port', '0', '--mapping', file], { DATABASE_URL: url });
      expect(serve.code).toBe(2);
      expect(serve.stdout).toBe('');
      expect(serve.stderr).toBe(
        `priority-routing-crm: --mapping ${file}: customers.country "country" ${advice}start with --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK; PRC_DEFAULT_COUNTRY in the environment)\nRun "priority-routing-crm serve --help" for usage.\n`,
      );

      const withCountry = await runCli(['db', 'check', '--mapping', file, '--default-country', 'PK'], { DATABASE_URL: url });
      expect(withCountry.stdout).toContain('  ✓ no problem found (2 customer rows sampled)\n');
      expect(withCountry.code).toBe(0);
      const run = startCli(['serve', '--port', '0', '--log-format', 'text', '--mapping', file], { DATABASE_URL: url, PRC_DEFAULT_COUNTRY: 'PK' });
      running.push(run);
      await waitForOutput(run, /CIM_CUSTOMER_QUERY_URL=/);
    } finally {
      await db.exec(`
        DROP INDEX crm.vendor_mobile, crm.vendor_phone, crm.vendor_work_phone;
        ALTER TABLE crm.contact_tags DROP CONSTRAINT vendor_contact_tags_pkey;
        ALTER TABLE crm.contacts DROP COLUMN country;`);
    }
  });

  it('exits 1 naming every missing table, missing column and unusable type', async () => {
    const mapping = {
      ...crmMapping,
      customers: { ...crmMapping.customers, phones: ['mobile', 'phone', 'fax'], version: 'first_name' },
      customerLabels: { table: 'crm.contact_labels', customerId: 'contact_id', labelId: 'tag_id' },
    };
    const result = await runCli(['db', 'check', '--mapping', await mappingFile('bad.json', mapping)], { DATABASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('customers.phones[2]: column "fax" not found in crm.contacts');
    expect(result.stdout).toContain('customers.version: column "first_name" of crm.contacts is text; expected an integer column');
    expect(result.stdout).toContain('customerLabels.table: table or view "crm.contact_labels" not found');
    expect(result.stdout).toMatch(/^3 problems$/m);
  });

  it('exits 1 naming each sampled row that breaks the contract', async () => {
    const mapping = { ...crmMapping, labels: { table: 'crm.bad_tags', id: 'id', name: 'name', color: 'color' } };
    const result = await runCli(['db', 'check', '--mapping', await mappingFile('rows.json', mapping)], { DATABASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('labels row "2": name:');
    expect(result.stdout).toContain('labels row "1": color_code: expected a colour as #RRGGBB');
  });

  it('exits 1 with the host and without the password when the database is unreachable', async () => {
    const port = await closedPort();
    const result = await runCli(['db', 'check', '--mapping', await mappingFile('ok.json', crmMapping)], { DATABASE_URL: `postgres://crm:${PASSWORD}@127.0.0.1:${port}/crm` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port}`);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('a one-character password leaves the message as the driver wrote it, not starred wherever its character appears', async () => {
    const port = await closedPort();
    const result = await runCli(['db', 'check', '--mapping', await mappingFile('ok.json', crmMapping)], { DATABASE_URL: `postgres://crm:1@127.0.0.1:${port}/crm` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(result.stderr).not.toContain('***');
  });

  it('exits 1 naming the key of a bad mapping file', async () => {
    const mapping = { ...crmMapping, customers: { ...crmMapping.customers, table: 'crm.contacts; DROP TABLE crm.tags' } };
    const result = await runCli(['db', 'check', '--mapping', await mappingFile('hostile.json', mapping)], { DATABASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('customers.table: expected a table or view name');
  });

  it.each([
    [['db'], /db needs a subcommand/],
    [['db', 'drop'], /unknown db subcommand "drop"/],
    [['db', 'check', '--mapping', 'm.json'], /give --database/],
    [['db', 'check', '--database', 'postgres://x@127.0.0.1/x'], /give --mapping/],
    [['db', 'check', '--database', 'redis://u@127.0.0.1/0', '--mapping', 'PLACEHOLDER'], /unsupported database URL scheme "redis:"/],
    [['db', 'check', '--database', `postgres://crm:${PASSWORD}@127.0.0.1/crm`, '--mapping', 'PLACEHOLDER'], /--database holds a password, which ps shows on the command line: set DATABASE_URL \(or PRC_DATABASE\)/],
    [['db', 'indexes', '--database', `mysql://crm@127.0.0.1/crm?password=${PASSWORD}`, '--mapping', 'PLACEHOLDER'], /--database holds a password/],
    [['db', 'check', '--database', `postgres://crm:${PASSWORD}#1@127.0.0.1/crm`, '--mapping', 'PLACEHOLDER'], /--database holds a password/],
    [['db', 'check', '--database', 'postgres://crm@127.0.0.1/crm#x@other', '--mapping', 'PLACEHOLDER'], /--database: the database URL cannot be read: a character of its user name or password must be percent-encoded/],
    [['db', 'check', '--apply', '--database', 'postgres://x@127.0.0.1/x', '--mapping', 'm.json'], /--apply is for db indexes/],
    [['db', 'check', '--engine', 'mysql', '--mapping', 'PLACEHOLDER'], /--engine is for db indexes/],
    [['db', 'check', '--default-country', 'XX', '--database', 'postgres://x@127.0.0.1/x', '--mapping', 'PLACEHOLDER'], /--default-country must be an ISO 3166-1 alpha-2 country code/],
    [['db', 'indexes', '--default-country', 'PK', '--database', 'postgres://x@127.0.0.1/x', '--mapping', 'PLACEHOLDER'], /--default-country is for db check/],
  ])('exits 2 for %j', async (args, message) => {
    const file = await mappingFile('usage.json', crmMapping);
    const result = await runCli(args.map((arg) => (arg === 'PLACEHOLDER' ? file : arg)), { DATABASE_URL: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain(PASSWORD);
  });
});

describe('priority-routing-crm db: a wrong option', () => {
  it('points at db --help, which lists the options of db, not at the top-level help', async () => {
    const result = await runCli(['db', 'check', '--sampel', '5'], { DATABASE_URL: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`priority-routing-crm: Unknown option '--sampel'\nRun "priority-routing-crm db --help" for usage.\n`);
  });
});

describe('priority-routing-crm db indexes', () => {
  it('prints an expression index per phone column and one on the join table, --apply creates them, and a second run finds them', async () => {
    const file = await mappingFile('ok.json', crmMapping);
    const printed = await runCli(['db', 'indexes', '--mapping', file], { DATABASE_URL: url });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "prc_crm_contacts_mobile" ON "crm"."contacts" ((regexp_replace("mobile", '[^0-9]', '', 'g')));`,
    );
    expect(printed.stdout).toContain(`ON "crm"."contacts" ((regexp_replace("work_phone", '[^0-9]', '', 'g')));`);
    expect(printed.stdout).toContain(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "prc_crm_contact_tags_contact_id" ON "crm"."contact_tags" ("contact_id");`);
    expect((await db.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE 'prc_%'`)).rows).toEqual([]);

    const applied = await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: url });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('-- created prc_crm_contacts_phone');
    const names = (await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE indexname LIKE 'prc_%' ORDER BY 1`)).rows;
    expect(names.map((row) => row.indexname)).toEqual([
      'prc_crm_contact_tags_contact_id',
      'prc_crm_contacts_mobile',
      'prc_crm_contacts_phone',
      'prc_crm_contacts_work_phone',
    ]);

    const again = await runCli(['db', 'indexes', '--mapping', file], { PRC_DATABASE: url, DATABASE_URL: 'postgres://127.0.0.1:1/not-this-one' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('-- already present: prc_crm_contacts_mobile');
    expect(again.stdout).not.toContain('CREATE INDEX');
  });
});

describe('priority-routing-crm db indexes --engine', () => {
  it('prints the DDL of the engine named without connecting, even with DATABASE_URL unreachable', async () => {
    const file = await mappingFile('ok.json', crmMapping);
    const result = await runCli(['db', 'indexes', '--engine', 'mariadb', '--mapping', file], { DATABASE_URL: `mysql://x:${PASSWORD}@127.0.0.1:1/x` });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "ALTER TABLE `crm`.`contacts` ADD COLUMN IF NOT EXISTS `work_phone_digits` VARCHAR(64) AS (REGEXP_REPLACE(`work_phone`, '[^0-9]', '')) VIRTUAL INVISIBLE, ADD INDEX IF NOT EXISTS `prc_crm_contacts_work_phone` (`work_phone_digits`);",
    );
    expect(result.stdout).toContain('CREATE INDEX `prc_crm_contact_tags_contact_id` ON `crm`.`contact_tags` (`contact_id`);');
  });

  it('--phone-keys adds the phone-key table, its indexes and the triggers that keep it, after the per-column indexes', async () => {
    const file = await mappingFile('ok.json', crmMapping);
    const result = await runCli(['db', 'indexes', '--engine', 'postgres', '--phone-keys', '--mapping', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "prc_crm_contacts_mobile"');
    expect(result.stdout).toContain('CREATE UNIQUE INDEX IF NOT EXISTS "prc_phone_keys_key" ON "crm"."prc_phone_keys" (phone_key, customer_id);');
    expect(result.stdout).toContain(
      'CREATE OR REPLACE TRIGGER "prc_phone_keys" AFTER INSERT OR DELETE OR UPDATE OF "id", "mobile", "phone", "work_phone" ON "crm"."contacts" FOR EACH ROW EXECUTE FUNCTION "crm"."prc_phone_keys_sync"();',
    );
    const dropped = await runCli(['db', 'indexes', '--engine', 'mariadb', '--drop-phone-keys', '--mapping', file]);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain('DROP TRIGGER IF EXISTS `crm`.`prc_phone_keys_au`;');
    expect(dropped.stdout).toContain('DROP TABLE IF EXISTS `crm`.`prc_phone_keys`;');
  });

  it.each([
    [['--engine', 'oracle'], /--engine must be one of postgres, mysql, mariadb/],
    [['--engine', 'mysql', '--apply'], /--apply needs --database/],
    [['--engine', 'mysql', '--database', 'mysql://x@127.0.0.1/x'], /either --database or --engine/],
    [['--engine', 'mysql', '--phone-keys'], /--phone-keys is for PostgreSQL and MariaDB/],
    [['--engine', 'postgres', '--phone-keys', '--drop-phone-keys'], /either --phone-keys or --drop-phone-keys/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await runCli(['db', 'indexes', ...args, '--mapping', await mappingFile('ok.json', crmMapping)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('priority-routing-crm serve --database', () => {
  it('serves customers and labels from the database over HTTP, with the password masked in the banner', async () => {
    const run = startCli(['serve', '--port', '0', '--log-format', 'text', '--base-path', '/cim', '--mapping', await mappingFile('ok.json', crmMapping)], { PRC_DATABASE: url });
    running.push(run);
    const [, customerUrl] = await waitForOutput(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(\S+)$/m);
    const [, labelsUrl] = await waitForOutput(run, /^ {2}CIM_LABELS_API_PATH=(\S+)$/m);
    expect(run.stdout()).toContain(`postgres://postgres:***@127.0.0.1:${served.port}/postgres, PostgreSQL`);

    const customer = await fetch(customerUrl!.replace('{refId}', '+923001234567'));
    expect(customer.status).toBe(200);
    expect(await customer.json()).toMatchObject({ _id: '1', labels: ['1'], phone1: '+92 300-1234567', first_name: 'Gold' });
    expect((await fetch(customerUrl!.replace('{refId}', '00923217654321'))).status).toBe(200);
    expect((await fetch(customerUrl!.replace('{refId}', '5555'))).status).toBe(404);
    const labels = (await (await fetch(labelsUrl!)).json()) as Array<{ name: string }>;
    expect(labels.map((label) => label.name)).toEqual(['Gold', 'Silver', 'Vip']);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
  });

  it('logs the driver\'s own reason, password redacted, when the database is down before the first label read', async () => {
    const down = await createPglite();
    const downServer = await servePglite(down);
    try {
      const run = startCli(['serve', '--port', '0', '--log-format', 'json', '--mapping', await mappingFile('ok.json', crmMapping)], { DATABASE_URL: downServer.url(PASSWORD) });
      running.push(run);
      const [, labelsUrl] = await waitForOutput(run, /"CIM_LABELS_API_PATH":"([^"]+)"/);
      await downServer.stop();
      expect((await fetch(labelsUrl!)).status).toBeGreaterThanOrEqual(500);
      const [line] = await waitForOutput(run, /^\{.*"msg":"label refresh failing; no list to serve".*$/m);
      const logged = JSON.parse(line) as { reason: string };
      expect(logged.reason).toContain(`ECONNREFUSED 127.0.0.1:${downServer.port}`);
      expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
      run.child.kill('SIGTERM');
      await run.exit;
    } finally {
      await down.close();
    }
  });

  it('takes the URL from DATABASE_URL when --mapping is given', async () => {
    const run = startCli(['serve', '--port', '0', '--log-format', 'text', '--mapping', await mappingFile('ok.json', crmMapping)], { DATABASE_URL: url });
    running.push(run);
    const [, customerUrl] = await waitForOutput(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(\S+)$/m);
    expect((await fetch(customerUrl!.replace('{refId}', '1111'))).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('exits 1 at start naming the missing column', async () => {
    const mapping = { ...crmMapping, labels: { ...crmMapping.labels, color: 'colour' } };
    const result = await runCli(['serve', '--port', '0', '--mapping', await mappingFile('missing.json', mapping)], { DATABASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('labels.color: column "colour" not found in crm.tags');
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('exits 1 at start with the host, never the password, when the database is unreachable and --database-wait is 0', async () => {
    const port = await closedPort();
    const result = await runCli(['serve', '--port', '0', '--database-wait', '0', '--mapping', await mappingFile('ok.json', crmMapping)], {
      DATABASE_URL: `mysql://crm:${PASSWORD}@127.0.0.1:${port}/crm`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port}`);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it.each([
    [['--database', 'postgres://x@127.0.0.1/x'], /: --database needs --mapping/],
    [['--mapping', 'm.json'], /: --mapping needs --database/],
    [['--database', 'postgres://x@127.0.0.1/x', '--mapping', 'm.json', '--data', 'd.json'], /give --data or --database, not both/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await runCli(['serve', '--port', '0', ...args], { DATABASE_URL: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['postgres://', /DATABASE_URL: the database URL has no host: give one/],
    ['postgres://h:abc/db', /DATABASE_URL: the database URL's port \(after the host's ":"\) is not a number: give one such as 5432/],
    ['mysql://crm:pw@h:70000/db', /the database URL's port \(after the host's ":"\) is out of range/],
  ])('DATABASE_URL=%s is refused at start (exit 2), saying what is wrong with it', async (url, message) => {
    const result = await runCli(['serve', '--port', '0', '--database-wait', '0', '--mapping', await mappingFile('ok.json', crmMapping)], { DATABASE_URL: url });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('percent-encoded');
  });

  it('names DATABASE_URL as the source when the URL came from the environment', async () => {
    const result = await runCli(['serve', '--port', '0'], { DATABASE_URL: 'postgres://x@127.0.0.1/x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--database (DATABASE_URL) needs --mapping');
  });
});

describe('serve --database with the database down at start (--database-wait)', () => {
  const lines = (run: CliRun, msg: string) =>
    run
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line.msg === 'string' && line.msg.startsWith(msg));

  it('listens at once with /readyz and lookups 503, logs each try, and serves once the database comes up', async () => {
    const port = await closedPort();
    const run = startCli(['serve', '--port', '0', '--log-format', 'json', '--database-wait', '60000', '--mapping', await mappingFile('ok.json', crmMapping)], {
      DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    });
    running.push(run);
    const [, origin] = await waitForOutput(run, /"url":"([^"]+)".*"msg":"listening"/);
    const [, customerUrl] = await waitForOutput(run, /"CIM_CUSTOMER_QUERY_URL":"([^"]+)"/);
    expect(run.stdout()).toContain('not connected yet: retrying for up to 60000 ms, as --database-wait allows');
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${origin}/readyz`);
    expect(notReady.status).toBe(503);
    // More lookups than the breaker's threshold: they must not leave it open once connected.
    for (let i = 0; i < 6; i++) {
      const lookup = await fetch(customerUrl!.replace('{refId}', '1111'));
      expect(lookup.status).toBe(503);
      expect(lookup.headers.get('retry-after')).toBe('1');
    }
    await waitForOutput(run, /database not reachable \(try 2\)/);
    const tries = lines(run, 'database not reachable');
    expect(tries[0]).toMatchObject({ level: 'warn', databaseWaitMs: 60000 });
    expect(String(tries[0]!.reason)).toContain(`cannot connect to the database at 127.0.0.1:${port}`);

    const late = await createPglite();
    await late.exec(`INSERT INTO crm.contacts (mobile, first_name) VALUES ('1111', 'Late')`);
    const lateServer = await servePglite(late, port);
    try {
      await waitForOutput(run, /"msg":"database connected"/);
      expect(run.stdout()).not.toContain('circuit breaker open');
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const found = await fetch(customerUrl!.replace('{refId}', '1111'));
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ first_name: 'Late' });
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
    } finally {
      await lateServer.stop();
      await late.close();
    }
    expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
  }, 60_000);

  it('exits 1 naming the host, never the password, once --database-wait has passed, after logging each try', async () => {
    const port = await closedPort();
    const result = await runCli(['serve', '--port', '0', '--log-format', 'json', '--database-wait', '1500', '--mapping', await mappingFile('ok.json', crmMapping)], {
      DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port}`);
    expect(result.stderr).toContain('still unreachable after --database-wait 1500 ms');
    expect(result.stdout.match(/database not reachable \(try \d+\)/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});
