import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServerCert, makeTestCa } from '../support/openssl.js';
import { CLI_MAIN, cleanEnv } from '../support/serve-process.js';
import { nodeArgs } from '../support/programs.js';

const REPORTER = new URL('../support/report-loaded-packages.mjs', import.meta.url).pathname;
const HEAVY = ['pino', 'prom-client', 'cockatiel', 'stream-json', 'node:tls', 'node:https', 'node:zlib'];

/**
 * Runs `priority-routing-crm …` and returns which of the heavy packages it loaded; once stdout
 * matches `stop`, GETs `visit` (a path on the origin it printed) if given, then sends SIGINT (no drain delay).
 */
function loadedPackages(args: string[], stop?: RegExp, visit?: string): Promise<{ code: number | null; loaded: string[] }> {
  const child = spawn(process.execPath, ['--import', REPORTER, ...nodeArgs(CLI_MAIN), ...args], {
    env: cleanEnv({ PRC_TEST_WATCH_PACKAGES: HEAVY.join(',') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let stopped = false;
  const finish = async () => {
    if (visit !== undefined) {
      const origin = /listening on (https?:\/\/[^\s(]+)/.exec(out)?.[1];
      const response = await fetch(`${origin}${visit}`);
      expect(response.status).toBe(200);
      await response.text();
    }
    child.kill('SIGINT');
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    // Once: a second signal after the graceful stop would kill the process.
    if (!stopped && stop?.test(out) === true) {
      stopped = true;
      void finish();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve) =>
    child.once('close', (code) => resolve({ code, loaded: JSON.parse(/loaded packages: (.*)/.exec(err)?.[1] ?? 'null') as string[] })),
  );
}

describe('serve loads the logger, the metrics library and the breaker only when they are used', () => {
  it.each([[['serve', '--help']], [['serve', '--version']], [['serve', '--print-config']], [['check', '--help']]])('%j loads none of them', async (args) => {
    expect(await loadedPackages(args)).toEqual({ code: 0, loaded: [] });
  });

  it('serve with JSON logs loads pino; on the sample data no parser for --data files, no breaker library and no prom-client before /metrics is scraped', async () => {
    const { code, loaded } = await loadedPackages(['serve', '--port', '0', '--log-format', 'json'], /"listening"/);
    expect(code).toBe(0);
    expect(loaded).toEqual(['pino']);
  });

  // Issue 21.5: start-up. Text logs are written without pino; the breaker (cockatiel) guards a
  // database or a CRM only, and memory data never fails; prom-client (metrics are on by
  // default) is loaded by the first scrape of /metrics; node:https and node:tls only for TLS.
  it('serve with text logs on the sample data loads none of them', async () => {
    expect(await loadedPackages(['serve', '--port', '0', '--log-format', 'text'], /Press Ctrl\+C/)).toEqual({ code: 0, loaded: [] });
  });

  it('serve with --tls-cert loads node:tls and node:https', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prc-startup-tls-'));
    try {
      const { cert, key } = await makeServerCert(dir, await makeTestCa(dir), 'server');
      const { code, loaded } = await loadedPackages(['serve', '--port', '0', '--log-format', 'text', '--tls-cert', cert, '--tls-key', key], /Press Ctrl\+C/);
      expect(code).toBe(0);
      expect(loaded.sort()).toEqual(['node:https', 'node:tls']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the first GET /metrics loads prom-client, but not its Pushgateway (node:https, node:tls, node:zlib), which serve never uses', async () => {
    const { code, loaded } = await loadedPackages(['serve', '--port', '0', '--log-format', 'text'], /Press Ctrl\+C/, '/metrics');
    expect(code).toBe(0);
    expect(loaded).toEqual(['prom-client']);
  });
});
