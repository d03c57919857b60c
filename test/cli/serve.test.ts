import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer, sampleLabels } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { spawnServe, stopServes, waitForOutput as waitFor } from '../support/serve-process.js';

// Text logs: the readable lines these tests read (stdout is a pipe here, where JSON is the default).
const serve = (args: string[], env: Record<string, string> = {}) => spawnServe(['--log-format', 'text', ...args], { env });

afterEach(stopServes);

describe('priority-routing-crm serve', () => {
  it('prints the two URLs for Hybrid Chat, answers the seed requests, logs masked lines and stops on SIGTERM', async () => {
    const run = serve(['--port', '0', '--base-path', '/cim']);
    const [, customerUrl] = await waitFor(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(http:\/\/127\.0\.0\.1:\d+\/cim\/customer\?query=phone:\{refId\})$/m);
    const [, labelsUrl] = await waitFor(run, /^ {2}CIM_LABELS_API_PATH=(http:\/\/127\.0\.0\.1:\d+\/cim\/label)$/m);
    // The banner says what is served and how to serve the CRM's data instead; on loopback no warning.
    expect(run.stdout()).toMatch(
      /^priority-routing-crm connector listening on http:\/\/127\.0\.0\.1:\d+ \(sample data: 7 customers, 5 labels; your CRM's data with --database <url> --mapping <file> or --data <file\.json>\)$/m,
    );

    expect(await (await fetch(customerUrl!.replace('{refId}', '1111'))).json()).toStrictEqual(sampleCustomer);
    expect(await (await fetch(labelsUrl!)).json()).toStrictEqual(sampleLabels);
    await fetch(customerUrl!.replace('{refId}', '+923001234567'));
    await waitFor(run, /GET \/cim\/customer 200 [\d.]+ms \+92\*{6}4567$/m);
    expect(run.stdout()).not.toContain('923001234567');

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
  });

  it('warns when the sample data is served on an address other machines reach, naming --database and --data', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface: the warning comes at start, then the listen fails, so nothing is exposed.
    const run = serve(['--port', '0', '--host', '192.0.2.1']);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(
      /^\S+ warning: serving the embedded sample data \(7 customers, 5 labels\) on 192\.0\.2\.1, an address other machines can reach: Hybrid Chat would find none of your customers\. Serve your CRM's data with --database <url> --mapping <file> or --data <file\.json> \(or DATABASE_URL and PRC_MAPPING, PRC_DATA\)$/m,
    );
    expect(run.stderr()).toMatch(/cannot listen on 192\.0\.2\.1: EADDRNOTAVAIL/);
  });

  it('a --host name that does not resolve is refused at start (exit 2) naming --host, before any warning', async () => {
    const run = serve(['--port', '0', '--host', 'nosuchhost.invalid']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/^priority-routing-crm: --host nosuchhost\.invalid: no such host name \((ENOTFOUND|EAI_NONAME)\): give an address of this machine/);
    expect(run.stderr()).not.toContain('sample data');
    expect(run.stdout()).toBe('');
  });

  it('the paste-ready block has IS_CIM_INTEGRATED=true and says what to do when Hybrid Chat runs elsewhere', async () => {
    const run = serve(['--port', '0']);
    await waitFor(run, /Press Ctrl\+C/);
    expect(run.stdout()).toMatch(/^ {2}CIM_LABELS_API_PATH=\S+\n {2}IS_CIM_INTEGRATED=true$/m);
    expect(run.stdout()).toMatch(/Hybrid Chat on another machine cannot reach 127\.0\.0\.1: start with --host 0\.0\.0\.0 and use this machine's address/);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('logs each request with the path as requested: base path included, and for a 404', async () => {
    const run = serve(['--port', '0', '--base-path', '/cim']);
    const [, origin] = await waitFor(run, /listening on (http:\/\/127\.0\.0\.1:\d+) /);
    await fetch(`${origin}/cim/label`);
    await fetch(`${origin}/label`);
    await waitFor(run, /GET \/cim\/label 200 [\d.]+ms$/m);
    await waitFor(run, /GET \/label 404 [\d.]+ms$/m);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('stops on SIGINT too, and honours PORT', async () => {
    const run = serve([], { PORT: '0' });
    await waitFor(run, /listening on http:\/\/127\.0\.0\.1:\d+ /);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'eighty'], /--port must be a port number/],
    [['--port', '70000'], /--port must be a port number/],
    [['--base-path', '/a?b'], /--base-path must be a plain path/],
    [['--labels-ttl', '-1'], /--labels-ttl needs a value; write one that starts with "-" as --labels-ttl=-…$/m],
    [['--labels-ttl=-1'], /--labels-ttl must be a whole number of milliseconds, got "-1"/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = serve(args);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(message);
  });

  it('prints help and the version', async () => {
    const help = serve(['--help']);
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain('--base-path <path>');
    expect(help.stdout()).toMatch(/^Serves the connector: .* over your CRM's\ndata \(--database <url> with --mapping <file>, or --data <file\.json>\), or, with neither, over\nthe embedded sample data/m);
    const version = serve(['--version']);
    expect(await version.exit).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('priority-routing-crm --help', () => {
  it('says "connector" and names --database beside --data for serve', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}priority-routing-crm serve \[options\] +serve the connector over --database <url> --mapping <file>\n +or --data <file\.json> \(the sample data without them\)$/m);
    expect(stdout).not.toMatch(/reference connector/);
  });
});

describe('serve --data', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prc-serve-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the file and names the bad record and field of a broken one (exit 1)', async () => {
    const good = join(dir, 'good.json');
    const vendor = { ...sampleCustomer, _id: 'v1', phone1: '+92 321 0000000' };
    await writeFile(good, JSON.stringify({ customers: [vendor], labels: sampleLabels }));
    const run = serve(['--port', '0', '--data', good]);
    const [, customerUrl] = await waitFor(run, /CIM_CUSTOMER_QUERY_URL=(\S+)/);
    expect(await (await fetch(customerUrl!.replace('{refId}', '923210000000'))).json()).toStrictEqual(vendor);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ customers: [sampleCustomer, { ...sampleCustomer, phone1: '9', updatedAt: 'yesterday' }], labels: [] }));
    const broken = serve(['--data', bad]);
    expect(await broken.exit).toBe(1);
    expect(broken.stderr()).toContain('customers[1].updatedAt: expected an ISO 8601 date-time');
  });

  it.each([
    ['on phone1', { phone1: '+923210000000' }, '%2B923210000000'],
    ['on phone2 only (phone1 empty)', { phone1: '', phone2: '+923210000002' }, '%2B923210000002'],
  ])('the banner tries a number that is in the data served: %s', async (_case, phones, encoded) => {
    const file = join(dir, 'own.json');
    await writeFile(file, JSON.stringify({ customers: [{ ...sampleCustomer, ...phones }], labels: sampleLabels }));
    const run = serve(['--port', '0', '--data', file]);
    const [, tryUrl] = await waitFor(run, /^Try: curl '(\S+)'$/m);
    expect(tryUrl).toMatch(new RegExp(`query=phone:${encoded}$`));
    expect((await fetch(tryUrl!)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify({ customers: [sampleCustomer], labels: sampleLabels })}`);
    const run = serve(['--port', '0', '--data', file]);
    await waitFor(run, /bom\.json: 1 customers, 5 labels/);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('reports every problem of a file in one run', async () => {
    const file = join(dir, 'many.json');
    await writeFile(file, JSON.stringify({ customers: [{ ...sampleCustomer, createdAt: '2020-06-18T14:32:53.823+05:00' }], labels: [sampleLabels[0], { ...sampleLabels[0], name: '' }] }));
    const run = serve(['--data', file]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('labels[1].name: ');
    expect(run.stderr()).toContain(`labels[1]._id: duplicate label id "${sampleLabels[0]!._id}": labels[0] has it too`);
    expect(run.stderr()).toContain('customers[0].createdAt: expected an ISO 8601 date-time in UTC, ending in Z');
    expect(run.stderr()).toContain('(in UTC: 2020-06-18T09:32:53.823Z)');
  });

  it.each([
    ['missing', 'missing.json', /cannot read --data .*missing\.json: ENOENT \(no such file\)/],
    ['folder', 'folder.json', /cannot read --data .*folder\.json: EISDIR \(a folder, not a file\)/],
    ['top-level array', 'array.json', /expected \{ customers: \[\.\.\.\], labels: \[\.\.\.\] \}, got an array of 1/],
    ['not JSON', 'text.json', /is not valid JSON/],
  ])('exits 1 for a %s file', async (_case, name, message) => {
    if (name === 'text.json') await writeFile(join(dir, name), 'customers: []');
    if (name === 'array.json') await writeFile(join(dir, name), JSON.stringify([sampleCustomer]));
    if (name === 'folder.json') await mkdir(join(dir, name), { recursive: true });
    const run = serve(['--data', join(dir, name)]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(message);
  });
});
