import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, startCli, waitForOutput } from '../support/cli.js';
import { type Engine, urlWith } from '../support/db-servers.js';
import { closedPort } from '../support/listen.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';

let folder: string;
const running: CliRun[] = [];
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'prc-db-cli-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

async function mappingFile(name: string, mapping: unknown): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(mapping));
  return file;
}

// `serve --database` and `db check` as child processes against the real servers; MariaDB under
// both of its URL schemes.
// serve takes the password beside a password-less URL, from each variable it reads.
describe.each<[Engine, string, string]>([
  ['postgres', 'postgres:', 'PGPASSWORD'],
  ['postgres', 'postgresql:', 'PRC_DATABASE_PASSWORD'],
  ['mariadb', 'mysql:', 'MYSQL_PWD'],
  ['mariadb', 'mariadb:', 'PRC_DATABASE_PASSWORD'],
])('%s as %s// (password in %s)', (engine, scheme, passwordVariable) => {
  let db: CrmDatabase;
  let url: string;
  let password: string;
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    const parsed = new URL(db.scratch.url);
    password = decodeURIComponent(parsed.password);
    url = db.scratch.url.replace(/^[a-z]+:/, scheme);
  });
  afterAll(() => db?.close());

  it('serve --database answers the contract requests from the database with the password given beside the URL, and stops on SIGTERM', async () => {
    const withoutPassword = urlWith(new URL(url), { password: '' });
    const args = ['serve', '--log-format', 'text', '--port', '0', '--base-path', '/cim', '--database', withoutPassword, '--mapping', await mappingFile(`${engine}.json`, db.mapping)];
    const run = startCli(args, { [passwordVariable]: password });
    running.push(run);
    const [, customerUrl] = await waitForOutput(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(\S+)$/m);
    const [, labelsUrl] = await waitForOutput(run, /^ {2}CIM_LABELS_API_PATH=(\S+)$/m);
    expect(run.stdout()).toContain(`${scheme}//${new URL(url).username}@${new URL(url).host}/${db.scratch.name}`);

    const customer = await fetch(customerUrl!.replace('{refId}', '+923001234567'));
    expect(customer.status).toBe(200);
    expect(await customer.json()).toMatchObject({ _id: '1', labels: ['1', '3'], phone1: '+92 300-1234567', createdAt: '2020-06-18T09:32:53.823Z' });
    expect((await fetch(customerUrl!.replace('{refId}', '5555'))).status).toBe(404);
    const labels = (await (await fetch(labelsUrl!)).json()) as Array<{ name: string }>;
    expect(labels.map((label) => label.name)).toEqual(['Gold', 'Silver', 'Vip']);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(password);
  });

  it('db check exits 0 on a mapping that matches the schema, indexes that serve the lookups and rows that meet the contract', async () => {
    const file = await mappingFile(`${engine}.json`, db.mapping);
    expect((await runCli(['db', 'indexes', '--apply', '--mapping', file], { DATABASE_URL: url })).code).toBe(0);
    const result = await runCli(['db', 'check', '--mapping', file], { DATABASE_URL: url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no problem found');
    expect(result.stdout).not.toContain(password);
  });

  it('serve --database exits 1 at start naming the missing column and the missing table', async () => {
    const mapping = {
      ...db.mapping,
      customers: { ...db.mapping.customers, phones: ['mobile', 'phone', 'fax'] },
      customerLabels: { ...db.mapping.customerLabels, table: `${db.tables.contact_tags}_gone` },
    };
    const result = await runCli(['serve', '--port', '0', '--mapping', await mappingFile('missing.json', mapping)], { DATABASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`customers.phones[2]: column "fax" not found in ${db.tables.contacts}`);
    expect(result.stderr).toContain(`customerLabels.table: table or view "${db.tables.contact_tags}_gone" not found`);
    expect(result.stdout).not.toMatch(/CIM_CUSTOMER_QUERY_URL/);
    expect(result.stdout + result.stderr).not.toContain(password);
  });

  it('serve --database exits 1 with the host, never the password, when nothing listens there (--database-wait 0) or the password is wrong (not retried)', async () => {
    const port = await closedPort();
    const nobody = urlWith(new URL(url), {}).replace(/:\d+\//, `:${port}/`);
    const closed = await runCli(['serve', '--port', '0', '--database-wait', '0', '--mapping', await mappingFile(`${engine}.json`, db.mapping)], { DATABASE_URL: nobody });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port}`);
    expect(closed.stdout + closed.stderr).not.toContain(password);

    const wrong = 'Wrong-Pw-7731';
    // A wrong password is not worth the default --database-wait: exit 1 at once.
    const refused = await runCli(['serve', '--port', '0', '--mapping', await mappingFile(`${engine}.json`, db.mapping)], { DATABASE_URL: urlWith(new URL(url), { password: wrong }) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot connect to the database at ${new URL(url).host}`);
    expect(refused.stdout + refused.stderr).not.toContain(wrong);
    expect(refused.stdout + refused.stderr).not.toContain(password);
  });

  it('serve --database and db check exit 1 at once, saying where a password goes, when the server asks for one and none was given', async () => {
    const withoutPassword = urlWith(new URL(url), { password: '' });
    const mapping = await mappingFile(`${engine}.json`, db.mapping);
    // Not retried for the default --database-wait (60 s), and no socket the driver left open keeps the process.
    for (const args of [['serve', '--port', '0', '--mapping', mapping], ['db', 'check', '--mapping', mapping]]) {
      const run = startCli(args, { DATABASE_URL: withoutPassword, PGPASSWORD: undefined, MYSQL_PWD: undefined, PRC_DATABASE_PASSWORD: undefined });
      running.push(run);
      expect(await run.exit, args.join(' ')).toBe(1);
      expect(run.stderr()).toContain(
        `cannot connect to the database at ${new URL(url).host}: the database asks for a password and none was given: put it in the URL in the environment (DATABASE_URL), or set it in PRC_DATABASE_PASSWORD (or PGPASSWORD / MYSQL_PWD)`,
      );
      expect(run.stdout() + run.stderr()).not.toContain(password);
    }
  }, 30_000);
});
