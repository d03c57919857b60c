import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/listen.js';
import { nodeArgs } from '../support/programs.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus.js';
import { CLI_MAIN, cleanEnv } from '../support/serve-process.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A GET that must be answered within 5 s (a stalled serve never answers). */
async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

/**
 * `serve` whose stdout is a pipe (a FIFO) that nobody reads until `drain()`: what a stalled log
 * shipper or `serve | less` left alone gives it. The pipe holds 64 KiB.
 */
async function serveIntoUnreadPipe(format: 'json' | 'text') {
  const folder = await mkdtemp(join(tmpdir(), 'prc-unread-stdout-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const fifo = join(folder, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  cleanups.push(() => closeSync(reader));
  const writer = openSync(fifo, constants.O_WRONLY);
  const port = await closedPort();
  const child = spawn(process.execPath, [...nodeArgs(CLI_MAIN), 'serve', '--port', String(port), '--log-format', format], { env: cleanEnv(), stdio: ['ignore', writer, 'pipe'] });
  closeSync(writer);
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
    if ((await get(`${origin}/healthz`).catch(() => undefined))?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let stdout = '';
  const chunk = Buffer.alloc(1 << 16);
  /** Reads what the pipe holds now; false once it is empty. */
  const readSome = () => {
    try {
      const read = readSync(reader, chunk);
      stdout += chunk.toString('utf8', 0, read);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      return false;
    }
  };
  /** Reads the pipe until `done` holds of what was read and what serve wrote on stderr, then what it still holds. */
  const drain = async (done: (output: { stdout: string; stderr: string }) => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done({ stdout, stderr })) {
      if (Date.now() > deadline) throw new Error(`not seen in 10 s; stderr: ${stderr}`);
      if (!readSome()) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    while (readSome());
    return { stdout, stderr };
  };
  return { origin, drain };
}

// Each request line holds the path as requested: 8 KB paths fill the pipe and the 1 MiB that may
// wait behind it in some 140 requests.
const LONG_PATH = `/x${'a'.repeat(8000)}`;
const REQUESTS = 200;

describe('serve with a stdout nobody reads', () => {
  it.each(['json', 'text'] as const)(
    '%s logs: every request is still answered; request lines past 1 MiB waiting are dropped, counted in prc_log_lines_dropped_total, and once stdout is read again a warning says how many',
    async (format) => {
      const { origin, drain } = await serveIntoUnreadPipe(format);
      for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}${LONG_PATH}`)).status).toBe(404);
      expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(200);
      expect((await get(`${origin}/healthz`)).status).toBe(200);
      const dropped = sampleValue(parsePrometheusText((await get(`${origin}/metrics`)).body), 'prc_log_lines_dropped_total', {});
      expect(dropped).toBeGreaterThan(0);

      // Read again, stdout takes the waiting lines, then serve says what it dropped (JSON: on stdout; text: on stderr, with its warnings).
      const warned = format === 'json' ? /"droppedLines":(\d+),"msg":"log lines dropped: stdout was not taking them \(1 MiB waited\)"}\n/ : /warning: log lines dropped: stdout was not taking them \(1 MiB waited\) droppedLines=(\d+)\n/;
      const output = await drain(({ stdout, stderr }) => warned.test(format === 'json' ? stdout : stderr));
      const reported = Number(warned.exec(format === 'json' ? output.stdout : output.stderr)?.[1]);
      expect(reported).toBe(dropped);
      // Nothing lost unsaid, and no line cut: the request lines written and those reported dropped are every request.
      const lines = output.stdout.split('\n').filter((line) => line !== '');
      const written = format === 'json' ? lines.map((line) => JSON.parse(line) as { msg: string }).filter((line) => line.msg === 'request') : lines.filter((line) => / GET \//.test(line));
      expect(written.length + reported).toBe(REQUESTS + 1);
      expect(sampleValue(parsePrometheusText((await get(`${origin}/metrics`)).body), 'prc_log_lines_dropped_total', {})).toBe(reported);
    },
    60_000,
  );
});
