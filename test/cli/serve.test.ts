import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer, sampleLabels } from '../../src/index.js';
import { spawnServe, stopServes, waitForOutput as waitFor } from '../support/serve-process.js';

// Text logs: the readable lines these tests read (stdout is a pipe here, where JSON is the default).
const serve = (args: string[], env: Record<string, string> = {}) => spawnServe(['--log-format', 'text', ...args], { env });

afterEach(stopServes);

describe('priority-routing-crm serve', () => {
  it('prints the two URLs for Hybrid Chat, answers the seed requests, logs masked lines and stops on SIGTERM', async () => {
    const run = serve(['--port', '0', '--base-path', '/cim']);
    const [, customerUrl] = await waitFor(run, /^ {2}CIM_CUSTOMER_QUERY_URL=(http:\/\/127\.0\.0\.1:\d+\/cim\/customer\?query=phone:\{refId\})$/m);
    const [, labelsUrl] = await waitFor(run, /^ {2}CIM_LABELS_API_PATH=(http:\/\/127\.0\.0\.1:\d+\/cim\/label)$/m);
    expect(run.stdout()).toContain('sample data: 7 customers, 5 labels');

    expect(await (await fetch(customerUrl!.replace('{refId}', '1111'))).json()).toStrictEqual(sampleCustomer);
    expect(await (await fetch(labelsUrl!)).json()).toStrictEqual(sampleLabels);
    await fetch(customerUrl!.replace('{refId}', '+923001234567'));
    await waitFor(run, /GET \/customer 200 [\d.]+ms \+92\*{6}4567$/m);
    expect(run.stdout()).not.toContain('923001234567');

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
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = serve(args);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(message);
  });

  it('prints help and the version', async () => {
    const help = serve(['--help']);
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain('--base-path <path>');
    const version = serve(['--version']);
    expect(await version.exit).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+/);
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
    ['missing', 'missing.json', /cannot read --data .*missing\.json: ENOENT/],
    ['not JSON', 'text.json', /is not valid JSON/],
  ])('exits 1 for a %s file', async (_case, name, message) => {
    if (name === 'text.json') await writeFile(join(dir, name), 'customers: []');
    const run = serve(['--data', join(dir, name)]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(message);
  });
});
