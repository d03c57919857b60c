import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, startCli, waitForOutput } from '../support/cli.js';
import { type Engine, serverExec, uniqueName, urlWith } from '../support/db-servers.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { createRunner } from '../../src/repositories/sql/client.js';
import { parseSqlMapping } from '../../src/repositories/sql/mapping.js';
import { phoneKeysPlan, runPhoneKeysPlan } from '../../src/repositories/sql/phone-keys.js';

let folder: string;
const running: CliRun[] = [];
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'prc-db-check-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

// `db check`, `db indexes` and `serve` against the real servers, as an operator runs them on a
// vendor's schema: indexes of the vendor's own, a user with column grants, national numbers.
describe.each<Engine>(['postgres', 'mariadb'])('on %s', (engine) => {
  let db: CrmDatabase;
  let file: string;
  const roles: string[] = [];
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    file = join(folder, `${engine}.json`);
    await writeFile(file, JSON.stringify(db.mapping));
  });
  afterAll(async () => {
    await db?.close();
    for (const role of roles) await serverExec(engine, engine === 'postgres' ? `DROP ROLE IF EXISTS ${role}` : `DROP USER IF EXISTS '${role}'@'127.0.0.1'`);
  });

  const dbCheck = (...extra: string[]) => runCli(['db', 'check', '--mapping', file, ...extra], { DATABASE_URL: db.scratch.url });

  it('db check fails on phone columns no index serves and names db indexes; --apply adds only those (the join table keeps its primary key alone); then db check passes, counting the rows it read', async () => {
    // The vendor's join table has a primary key that leads with the customer column: it serves.
    await db.exec(`ALTER TABLE ${db.tables.contact_tags} ADD PRIMARY KEY (contact_id, tag_id)`);
    const before = await dbCheck();
    expect(before.code).toBe(1);
    ['mobile', 'phone', 'work_phone'].forEach((column, index) =>
      expect(before.stdout).toContain(
        `  ✗ customers.phones[${index}]: no index serves the phone lookup on "${column}" of ${db.tables.contacts}: every lookup reads the whole table; create it with "priority-routing-crm db indexes"\n`,
      ),
    );
    expect(before.stdout).not.toContain('customerLabels.customerId');
    expect(before.stdout).toContain(`  fix: priority-routing-crm db indexes --mapping ${file} prints the DDL for review; add --apply to run it\n`);

    const applied = await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: db.scratch.url });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^-- already served by \S+: prc_\w+_contact_tags_contact_id is not needed$/m);
    const joinIndexes = await db.exec(
      engine === 'postgres'
        ? "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'crm' AND tablename = 'contact_tags'"
        : `SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${db.scratch.name}' AND TABLE_NAME = 'contact_tags'`,
    );
    expect(joinIndexes.map((row) => String(row.name)).filter((name) => name.startsWith('prc_'))).toEqual([]);

    const after = await dbCheck();
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    // The table has 3 customers; the sample asked for 100.
    expect(after.stdout).toContain('  ✓ no problem found (3 customer rows sampled)\n');

    const again = await runCli(['db', 'indexes', '--mapping', file], { DATABASE_URL: db.scratch.url });
    expect(again.stdout).not.toMatch(/^(CREATE|ALTER)/m);
  });

  it('a column this user may not read is "permission denied" with the GRANT to run, in db check and at serve start, not "not found"', async () => {
    const role = uniqueName('columns');
    const password = uniqueName('pw');
    roles.push(role);
    const readable = 'id, mobile, phone, work_phone, first_name, last_name, created_at, updated_at';
    if (engine === 'postgres') {
      await db.exec(
        `CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT USAGE ON SCHEMA crm TO ${role}; GRANT SELECT ON crm.tags, crm.contact_tags TO ${role}; GRANT SELECT (${readable}) ON crm.contacts TO ${role}`,
      );
    } else {
      const user = `'${role}'@'127.0.0.1'`;
      await db.exec(
        `CREATE USER ${user} IDENTIFIED BY '${password}'; GRANT SELECT ON ${db.tables.tags} TO ${user}; GRANT SELECT ON ${db.tables.contact_tags} TO ${user}; GRANT SELECT (${readable}) ON ${db.tables.contacts} TO ${user}`,
      );
    }
    const url = urlWith(new URL(db.scratch.url), { user: role, password });
    const to = engine === 'postgres' ? role : `'${role}'@'127.0.0.1'`;
    const expected = `customers.email: column "email" of ${db.tables.contacts}: permission denied for this database user; as an administrator, run: GRANT SELECT (email) ON ${db.tables.contacts} TO ${to}`;

    const check = await runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`  ✗ ${expected}\n`);
    expect(check.stdout).not.toContain('not found');

    const serve = await runCli(['serve', '--port', '0', '--mapping', file], { DATABASE_URL: url });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(`  ${expected}\n`);
  });

  it('national numbers in the sample with no default country: db check warns (count, masked example, flag), --default-country silences it, serve warns at start', async () => {
    await db.exec(`INSERT INTO ${db.tables.contacts} (mobile, phone, first_name) VALUES ('0300-1112223', '(0321) 4445556', 'National')`);
    try {
      const warning =
        `2 of 6 phone numbers in the 4 sampled rows of ${db.tables.contacts} look national (such as 03******2223: a trunk prefix 0 and no country code) ` +
        "and no default country is set, so Hybrid Chat's international numbers (+<country code>…) will not find them: ";
      const check = await dbCheck();
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`  ! warning: ${warning}give serve --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK), and db check the same flag\n`);
      expect(check.stdout).toContain('  ✓ no problem found (4 customer rows sampled, 1 warning)\n');
      expect(check.stdout).not.toContain('1112223');

      const withCountry = await dbCheck('--default-country', 'PK');
      expect(withCountry.code).toBe(0);
      expect(withCountry.stdout).not.toContain('warning');

      const run = startCli(['serve', '--port', '0', '--log-format', 'text', '--mapping', file], { DATABASE_URL: db.scratch.url });
      running.push(run);
      await waitForOutput(run, /CIM_CUSTOMER_QUERY_URL=/);
      expect(run.stderr()).toContain(
        `warning: ${warning.replace('the 4 sampled rows', '4 sampled rows')}start with --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK; PRC_DEFAULT_COUNTRY in the environment)\n`,
      );
    } finally {
      await db.exec(`DELETE FROM ${db.tables.contacts} WHERE first_name = 'National'`);
    }
  });

  it('customers.country mapped and no --default-country: db check fails (exit 1) on what stops serve at start (exit 2), both naming --default-country; with it, db check passes', async () => {
    await db.exec(`ALTER TABLE ${db.tables.contacts} ADD COLUMN country ${engine === 'postgres' ? 'text' : 'varchar(8)'}`);
    const countryFile = join(folder, `${engine}-country.json`);
    await writeFile(countryFile, JSON.stringify({ ...db.mapping, customers: { ...db.mapping.customers, country: 'country' } }));
    const problem = '"country" is mapped, so the numbers of customers whose "country" is empty are read in a default country, and none is set: ';
    try {
      const check = await runCli(['db', 'check', '--mapping', countryFile], { DATABASE_URL: db.scratch.url });
      expect(check.stdout).toContain(`  ✗ customers.country: ${problem}give serve --default-country <CC>`);
      expect(check.stdout).toMatch(/^1 problem$/m);
      expect(check.code).toBe(1);

      const serve = await runCli(['serve', '--port', '0', '--mapping', countryFile], { DATABASE_URL: db.scratch.url });
      expect(serve.stderr).toContain(`priority-routing-crm: --mapping ${countryFile}: customers.country ${problem}start with --default-country <CC>`);
      expect(serve.code).toBe(2);

      const withCountry = await runCli(['db', 'check', '--mapping', countryFile, '--default-country', 'PK'], { DATABASE_URL: db.scratch.url });
      expect(withCountry.stdout).toContain('  ✓ no problem found (3 customer rows sampled)\n');
      expect(withCountry.code).toBe(0);
    } finally {
      await db.exec(`ALTER TABLE ${db.tables.contacts} DROP COLUMN country`);
    }
  });
});

// `db indexes --phone-keys` built alone (no per-column index): lookups use the table, so db
// check asks for no phone column index and checks the table instead.
describe.each<Engine>(['postgres', 'mariadb'])('db check with the phone-key table on %s', (engine) => {
  let db: CrmDatabase;
  let file: string;
  let keys: string;
  const build = async () => runPhoneKeysPlan(createRunner(db.pool({ max: 1 })), phoneKeysPlan(engine, parseSqlMapping(db.mapping)));
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    file = join(folder, `${engine}-phone-keys.json`);
    await writeFile(file, JSON.stringify(db.mapping));
    keys = engine === 'postgres' ? 'crm.prc_phone_keys' : `${db.scratch.name}.prc_phone_keys`;
    await db.exec(`ALTER TABLE ${db.tables.contact_tags} ADD PRIMARY KEY (contact_id, tag_id)`);
    await build();
  });
  afterAll(() => db?.close());
  const dbCheck = (url = db.scratch.url) => runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
  const REBUILD = 'rebuild it with "priority-routing-crm db indexes --phone-keys --apply" (or remove it with --drop-phone-keys --apply)';

  it('passes without per-column phone indexes; a serving user that may not read the table (PostgreSQL) or see its triggers (MariaDB) is told so', async () => {
    const check = await dbCheck();
    expect(check.stderr).toBe('');
    expect(check.stdout).not.toContain('no index serves');
    expect(check.stdout).toContain('  ✓ no problem found (3 customer rows sampled)\n');
    expect(check.code).toBe(0);

    const reader = await db.selectOnlyUrl();
    const asReader = await dbCheck(reader);
    expect(asReader.stderr).toBe('');
    if (engine === 'postgres') {
      expect(asReader.code).toBe(0);
      // A serving user granted SELECT on the CRM's tables but not on the key table.
      await db.exec(`REVOKE SELECT ON crm.prc_phone_keys FROM ${new URL(reader).username}`);
      const denied = await dbCheck(reader);
      expect(denied.code).toBe(1);
      expect(denied.stdout).toMatch(/^ {2}✗ crm\.prc_phone_keys: this database user may not read it, so lookups do not use it \(serve's user needs the same\); as an administrator, run: GRANT SELECT ON crm\.prc_phone_keys TO reader_\w+$/m);
      // …and the lookups fall back to the phone columns, which have no index.
      expect(denied.stdout).toContain('  ✗ customers.phones[0]: no index serves the phone lookup on "mobile"');
    } else {
      expect(asReader.code).toBe(0);
      expect(asReader.stdout).toMatch(
        new RegExp(`^ {2}! warning: ${keys.replace('.', '\\.')}: the triggers that keep it right cannot be checked: MariaDB shows them only to a user with the TRIGGER privilege on ${db.tables.contacts.replace('.', '\\.')}, which 'reader_\\w+'@'127\\.0\\.0\\.1' lacks; run db check as the user that ran "db indexes --phone-keys"$`, 'm'),
      );
      expect(asReader.stdout).not.toContain('no index serves');
    }
  });

  it('a trigger dropped or disabled, and keys out of step with the sampled customers, are problems that say to rebuild', async () => {
    try {
      if (engine === 'postgres') {
        await db.exec(`ALTER TABLE ${db.tables.contacts} DISABLE TRIGGER prc_phone_keys`);
        const disabled = await dbCheck();
        expect(disabled.code).toBe(1);
        expect(disabled.stdout).toContain(`  ✗ ${keys}: its trigger prc_phone_keys on ${db.tables.contacts} is disabled, so changes to the customers do not reach it and lookups do not use it: ${REBUILD} (which enables it)\n`);
      } else {
        await db.exec(`DROP TRIGGER ${db.scratch.name}.prc_phone_keys_au`);
        const dropped = await dbCheck();
        expect(dropped.code).toBe(1);
        expect(dropped.stdout).toContain(`  ✗ ${keys}: trigger prc_phone_keys_au on ${db.tables.contacts} missing, so changes to the customers do not all reach it, yet lookups use it: ${REBUILD}\n`);
      }
      await build();
      expect((await dbCheck()).code).toBe(0);

      await db.exec(`DELETE FROM ${keys} WHERE customer_id = 3`);
      const stale = await dbCheck();
      expect(stale.code).toBe(1);
      expect(stale.stdout).toContain(
        `  ✗ ${keys}: the keys of 1 of 3 sampled customers (such as "3") are not the digits of their phone columns: the table is out of step (were its triggers off, or rows loaded around them?) and lookups miss or mismatch them: ${REBUILD}\n`,
      );
    } finally {
      await build();
    }
  });
});

describe('db indexes --apply on MariaDB', () => {
  let db: CrmDatabase;
  let file: string;
  beforeAll(async () => {
    db = await createCrmDatabase('mariadb');
    file = join(folder, 'mariadb-invisible.json');
    await writeFile(file, JSON.stringify(db.mapping));
  });
  afterAll(() => db?.close());

  it("adds the generated columns INVISIBLE: the vendor's SELECT * and INSERT … VALUES without a column list keep working, and lookups use the columns", async () => {
    const applied = await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: db.scratch.url });
    expect(applied.code).toBe(0);
    const digits = await db.exec(`SELECT COLUMN_NAME AS name, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db.scratch.name}' AND TABLE_NAME = 'contacts' AND COLUMN_NAME LIKE '%_digits'`);
    expect(digits.map((row) => row.name).sort()).toEqual(['mobile_digits', 'phone_digits', 'work_phone_digits']);
    await db.exec(`INSERT INTO ${db.tables.contacts} VALUES (NULL, '+92 300 5550001', NULL, NULL, 'Positional', 'Insert', NULL, DEFAULT, DEFAULT)`);
    const [row] = await db.exec(`SELECT * FROM ${db.tables.contacts} WHERE first_name = 'Positional'`);
    expect(Object.keys(row!)).toEqual(['id', 'mobile', 'phone', 'work_phone', 'first_name', 'last_name', 'email', 'created_at', 'updated_at']);
    // …and the repository finds it through the indexed generated column.
    const run = startCli(['serve', '--port', '0', '--log-format', 'text', '--mapping', file], { DATABASE_URL: db.scratch.url });
    running.push(run);
    const [, customerUrl] = await waitForOutput(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(\S+)$/m);
    const found = await fetch(customerUrl!.replace('{refId}', '+923005550001'));
    expect(await found.json()).toMatchObject({ first_name: 'Positional' });
  });
});
