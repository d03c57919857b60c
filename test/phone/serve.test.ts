import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer } from '../../src/index.js';
import { nodeArgs } from '../support/programs.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Starts `serve` with these arguments; `lines` collects stdout, `exit` resolves with the exit code. */
function startServe(args: readonly string[]) {
  const child = spawn(process.execPath, [...nodeArgs(MAIN), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exit };
}

describe('serve --default-country', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'prc-phone-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it.each(['XX', 'Pakistan', ''])('is a usage error (exit 2) for %j, naming the option', async (code) => {
    const run = startServe(['--port', '0', '--default-country', code]);
    expect(await run.exit).toBe(2);
    expect(run.output.stderr).toContain(`--default-country must be an ISO 3166-1 alpha-2 country code such as PK, GB or US, got ${JSON.stringify(code)}`);
  });

  it('matches a national-form record with the + form Hybrid Chat sends, and stops on SIGTERM', async () => {
    const file = join(folder, 'data.json');
    await writeFile(file, JSON.stringify({ customers: [{ ...sampleCustomer, phone1: '0300-1234567' }], labels: [] }));
    const run = startServe(['--port', '0', '--quiet', '--log-format', 'text', '--data', file, '--default-country', 'PK']);
    try {
      const url = await customerQueryUrl(run);
      for (const refId of ['+923001234567', '0092%20300%201234567', '923001234567']) {
        const response = await fetch(url.replace('{refId}', refId));
        expect(response.status, refId).toBe(200);
        expect((await response.json())._id).toBe(sampleCustomer._id);
      }
      expect((await fetch(url.replace('{refId}', '+443001234567'))).status).toBe(404);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exit).toBe(0);
  });
});

describe('serve --data --country-field', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'prc-country-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("reads each customer's number in the country its field names, defaultCountry for the rest", async () => {
    const file = join(folder, 'data.json');
    const customers = [
      { ...sampleCustomer, _id: 'uk', phone1: '07911 123456', country: 'GB' },
      { ...sampleCustomer, _id: 'pk', phone1: '0300-1234567', country: '' },
    ];
    await writeFile(file, JSON.stringify({ customers, labels: [] }));
    const run = startServe(['--port', '0', '--quiet', '--log-format', 'text', '--data', file, '--default-country', 'PK', '--country-field', 'country']);
    try {
      const url = await customerQueryUrl(run);
      for (const [refId, id] of [['447911123456', 'uk'], ['923001234567', 'pk']] as const) {
        const response = await fetch(url.replace('{refId}', refId));
        expect(response.status, refId).toBe(200);
        expect((await response.json())._id).toBe(id);
      }
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exit).toBe(0);
  });

  it('refuses the data (exit 1, as for any invalid data) when the field names no country, naming the record', async () => {
    const file = join(folder, 'bad.json');
    await writeFile(file, JSON.stringify({ customers: [{ ...sampleCustomer, phone1: '07911 123456', country: 'Britain' }], labels: [] }));
    const run = startServe(['--port', '0', '--data', file, '--country-field', 'country']);
    expect(await run.exit).toBe(1);
    expect(run.output.stderr).toContain('customers[0].country: expected an ISO 3166-1 alpha-2 country code (GB) or a calling code (44, +44), got "Britain"');
  });

  it('is a usage error (exit 2) with --database, pointing at the mapping', async () => {
    const run = startServe(['--port', '0', '--database', 'postgres://127.0.0.1:1/x', '--mapping', 'm.json', '--country-field', 'country']);
    expect(await run.exit).toBe(2);
    expect(run.output.stderr).toContain('--country-field is for --data; with --database, map customers.country in the --mapping file');
  });
});

/** The CIM_CUSTOMER_QUERY_URL a started `serve` prints, once it is listening. */
async function customerQueryUrl(run: ReturnType<typeof startServe>): Promise<string> {
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}: ${run.output.stderr}`);
    const url = /CIM_CUSTOMER_QUERY_URL=(\S+)/.exec(run.output.stdout)?.[1];
    if (url !== undefined) return url;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
