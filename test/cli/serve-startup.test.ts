import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cleanEnv } from '../support/serve-process.js';
import { nodeArgs } from '../support/programs.js';

const REPORTER = new URL('../support/report-loaded-packages.mjs', import.meta.url).pathname;
const HEAVY = ['pino', 'prom-client', 'cockatiel', 'stream-json'];

/** Runs `priority-routing-crm …` and returns which of the heavy packages it loaded; `stop` sends SIGTERM once stdout shows it. */
function loadedPackages(args: string[], stop?: RegExp): Promise<{ code: number | null; loaded: string[] }> {
  const child = spawn(process.execPath, ['--import', REPORTER, ...nodeArgs(CLI_MAIN), ...args], {
    env: cleanEnv({ PRC_TEST_WATCH_PACKAGES: HEAVY.join(',') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let stopped = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    // Once: a second SIGTERM after the graceful stop would kill the process.
    if (!stopped && stop?.test(out)) stopped = child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve) =>
    child.once('close', (code) => resolve({ code, loaded: JSON.parse(/loaded packages: (.*)/.exec(err)?.[1] ?? 'null') as string[] })),
  );
}

describe('serve loads the logger, the metrics and the breaker only when it really serves', () => {
  it.each([[['serve', '--help']], [['serve', '--version']], [['serve', '--print-config']], [['check', '--help']]])('%j loads none of them', async (args) => {
    expect(await loadedPackages(args)).toEqual({ code: 0, loaded: [] });
  });

  it('serve with JSON logs loads pino and prom-client; on the sample data no parser for --data files and no breaker library', async () => {
    const { code, loaded } = await loadedPackages(['serve', '--port', '0', '--log-format', 'json'], /"listening"/);
    expect(code).toBe(0);
    expect(loaded.sort()).toEqual(['pino', 'prom-client']);
  });

  // Issue 21.5: start-up. Text logs are written without pino; the breaker (cockatiel) guards a
  // database or a CRM only, and memory data never fails.
  it('serve with text logs on the sample data loads only prom-client (metrics are on by default)', async () => {
    expect(await loadedPackages(['serve', '--port', '0', '--log-format', 'text'], /Press Ctrl\+C/)).toEqual({ code: 0, loaded: ['prom-client'] });
  });
});
