import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer, sampleDataSet, sampleLabels } from '../../src/index.js';
import { readDataFile } from '../../src/cli/serve/data-file.js';
import { spawnServe, stopServes, waitForOutput as waitFor } from '../support/serve-process.js';

const serve = (args: string[]) => spawnServe(['--log-format', 'text', ...args]);
const toError = (message: string) => new Error(message);
const jsonLines = (entries: unknown[]) => `${entries.map((entry) => JSON.stringify(entry)).join('\n')}\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prc-data-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(stopServes);

describe('serve --data: JSON Lines', () => {
  it('serves a .jsonl file of {"customer": …} and {"label": …} lines over HTTP', async () => {
    const file = join(dir, 'crm.jsonl');
    const customer = { ...sampleCustomer, phone1: '+923210000000' };
    await writeFile(file, jsonLines([...sampleLabels.map((label) => ({ label })), { customer }]).replace('\n', '\r\n\n'));
    const run = serve(['--port', '0', '--data', file]);
    const [, tryUrl] = await waitFor(run, /^Try: curl '(\S+)'$/m);
    expect(run.stdout()).toContain('crm.jsonl: 1 customers, 5 labels');
    expect(await (await fetch(tryUrl!)).json()).toStrictEqual(customer);
    expect(await (await fetch(tryUrl!.replace(/customer\?.*$/, 'label'))).json()).toStrictEqual(sampleLabels);
  });

  it('reads .ndjson the same way and names the line of a record that breaks the contract', async () => {
    const file = join(dir, 'bad.ndjson');
    await writeFile(file, jsonLines([{ label: sampleLabels[0] }, { customer: sampleCustomer }, { customer: { ...sampleCustomer, _id: 'x2', createdAt: '18/06/2020' } }]));
    const run = serve(['--data', file]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/--data \S*bad\.ndjson: invalid data set: 1 problem\n {2}customers\[1\]\.createdAt: expected an ISO 8601 date-time.* \(line 3\)$/m);
  });

  it.each([
    ['a line that is not JSON', '{"label": {"_id": 1}}\n{"customer": ', /bad\.jsonl line 2: not valid JSON at column 14: expected a value/],
    ['a line that is not JSON, without quoting it', '{"customer": {"email": "ayesha@example.pk" "_id": "a"}}\n', /bad\.jsonl line 1: not valid JSON at column 44: expected "," between two properties or elements$/],
    ['a line with another key', `${JSON.stringify({ label: sampleLabels[0] })}\n\n{"customers": []}\n`, /bad\.jsonl line 3: expected \{"customer": \{…\}\} or \{"label": \{…\}\}, got keys \["customers"\]/],
    ['a bare array', '[1, 2]\n', /bad\.jsonl line 1: expected .*, got an array/],
    ['an empty file (an export that wrote nothing)', '', /bad\.jsonl is empty: expected one \{"customer": \{…\}\} or \{"label": \{…\}\} per line$/],
    ['a file of blank lines', '\n\r\n  \n', /bad\.jsonl is empty: /],
  ])('names the file and line of %s', async (_case, text, message) => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, text);
    await expect(readDataFile(file, toError)).rejects.toThrow(message);
  });
});

describe('serve --data: a JSON document, streamed', () => {
  it('reads what JSON.parse reads, byte order mark included', async () => {
    const file = join(dir, 'same.json');
    await writeFile(file, `\uFEFF${JSON.stringify(sampleDataSet, null, 2)}`);
    const { data } = await readDataFile(file, toError);
    expect(data).toStrictEqual(JSON.parse(JSON.stringify(sampleDataSet)));
  });

  it('names the line and column where the JSON breaks, and exits 1 without a stack', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "customers": [\n    {"_id": "a",, "x": 1}\n  ]\n}\n');
    await expect(readDataFile(file, toError)).rejects.toThrow(/--data \S*broken\.json is not valid JSON at line 3, column \d+: /);
    const run = serve(['--data', file]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/is not valid JSON at line 3/);
    expect(run.stderr()).not.toMatch(/^\s+at /m);
  });

  it('says an empty file is empty', async () => {
    const file = join(dir, 'empty.json');
    await writeFile(file, '');
    await expect(readDataFile(file, toError)).rejects.toThrow(/empty\.json is not valid JSON/);
    await writeFile(file, ' \n\t\n');
    await expect(readDataFile(file, toError)).rejects.toThrow(/empty\.json is not valid JSON: the file is empty$/);
  });

  it('says a file cut short ends early, and where, never that it is empty', async () => {
    const file = join(dir, 'cut.json');
    const whole = JSON.stringify(sampleDataSet, null, 2);
    const cut = whole.slice(0, whole.indexOf('"labels"'));
    await writeFile(file, cut);
    const lines = cut.split('\n');
    await expect(readDataFile(file, toError)).rejects.toThrow(
      `--data ${file} is not valid JSON: it ends at line ${lines.length}, column ${lines.at(-1)!.length + 1} before the JSON is complete (was it cut short?)`,
    );
  });

  it('names the position once, without the parser\'s own prefix', async () => {
    const file = join(dir, 'trailing.json');
    await writeFile(file, '{"customers": [], "labels": []} x');
    await expect(readDataFile(file, toError)).rejects.toThrow(new RegExp(`^--data \\S*trailing\\.json is not valid JSON at line 1, column 33: unexpected characters$`));
  });

  it('a file holding null stops serve (exit 1) naming what a data set is, never serving the sample data', async () => {
    const file = join(dir, 'null.json');
    await writeFile(file, 'null\n');
    const run = serve(['--port', '0', '--data', file]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain(`--data ${file}: invalid data set: 1 problem\n  expected { customers: [...], labels: [...] }, got null`);
    expect(run.stdout()).toBe('');
  });
});
