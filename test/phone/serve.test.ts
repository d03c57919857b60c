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
      let url: string | undefined;
      while (url === undefined) {
        if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}: ${run.output.stderr}`);
        url = /CIM_CUSTOMER_QUERY_URL=(\S+)/.exec(run.output.stdout)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
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
