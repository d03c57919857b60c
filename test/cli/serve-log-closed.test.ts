import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cleanups, droppedLines, get, type LogPipe, logPipe, serveOnPipes } from '../support/log-pipes.js';
import { nodeArgs } from '../support/programs.js';
import { CLI_MAIN, cleanEnv, SERVE_FIXTURE } from '../support/serve-process.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const REQUESTS = 20;

/** Waits (10 s at most) until `done` holds, while `child` runs. */
async function until(child: ChildProcess, done: () => boolean | Promise<boolean>, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`not seen in 10 s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fifo = (pipe: LogPipe | undefined) => pipe as LogPipe;
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('serve whose log reader closed the pipe (serve | head -1, a log shipper restarted)', () => {
  it.each(['json', 'text'] as const)(
    '%s logs, stdout closed: serve keeps answering, counts the lost lines in prc_log_lines_dropped_total and says so once on stderr',
    async (format) => {
      const { child, origin, stdout, read } = await serveOnPipes(cleanups, { stdout: 'fifo', stderr: 'pipe' }, ['--log-format', format]);
      // As `head -1` does: read the first line, then close the pipe.
      await fifo(stdout).drain(() => fifo(stdout).text().includes('\n'));
      fifo(stdout).closeReader();

      for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(200);
      const notice = /stdout is closed: its log lines are dropped from now on \(prc_log_lines_dropped_total counts them\); serving goes on/;
      await until(child, () => notice.test(read.stderr()), read.stderr);
      for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(200);
      expect((await get(`${origin}/healthz`)).status).toBe(200);
      expect((await get(`${origin}/readyz`)).status).toBe(200);
      // Every request line since the pipe closed is lost, and counted (once its batch is written: 50 ms).
      await until(child, async () => ((await droppedLines(origin)) ?? 0) >= 2 * REQUESTS, () => 'prc_log_lines_dropped_total');
      expect(child.exitCode).toBeNull();
      expect(count(read.stderr(), notice)).toBe(1);
      expect(read.stderr()).toMatch(format === 'json' ? /^\{"level":"warn","time":"[^"]+","code":"EPIPE","msg":"stdout is closed: [^"]+"\}\n$/ : /^\S+ warning: stdout is closed: .* code=EPIPE\n$/);
      // And it still stops as told, its stop lines lost with the rest.
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exit).toBe(0);
    },
    60_000,
  );

  it('text logs, stderr closed: failures are dropped and counted, serve keeps answering, and says so once in the request log', async () => {
    const { child, origin, stderr, read } = await serveOnPipes(cleanups, { stdout: 'pipe', stderr: 'fifo' }, ['--log-format', 'text'], { entry: SERVE_FIXTURE, env: { FIXTURE_CUSTOMERS_FAIL: '1' } });
    fifo(stderr).closeReader();

    // Each lookup fails (500), and its failure line goes to stderr.
    for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(500);
    const notice = /warning: stderr is closed: its log lines are dropped from now on \(prc_log_lines_dropped_total counts them\); serving goes on code=EPIPE\n/;
    await until(child, () => notice.test(read.stdout()), read.stdout);
    expect((await get(`${origin}/label`)).status).toBe(200);
    await until(child, async () => ((await droppedLines(origin)) ?? 0) >= REQUESTS, () => 'prc_log_lines_dropped_total');
    expect(child.exitCode).toBeNull();
    expect(count(read.stdout(), notice)).toBe(1);
    // The request lines go on.
    await until(child, () => / GET \/label 200 /.test(read.stdout()), read.stdout);
  }, 60_000);

  it('text logs, stdout and stderr both closed: serve keeps answering, silently, and counts every line lost', async () => {
    const { child, origin, stdout, stderr } = await serveOnPipes(cleanups, { stdout: 'fifo', stderr: 'fifo' }, ['--log-format', 'text'], { entry: SERVE_FIXTURE, env: { FIXTURE_CUSTOMERS_FAIL: '1' } });
    fifo(stdout).closeReader();
    fifo(stderr).closeReader();

    // A request line (stdout) and a failure line (stderr) for each.
    for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(500);
    await until(child, async () => ((await droppedLines(origin)) ?? 0) >= 2 * REQUESTS, () => 'prc_log_lines_dropped_total');
    for (let index = 0; index < REQUESTS; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(500);
    expect((await get(`${origin}/healthz`)).status).toBe(200);
    await until(child, async () => ((await droppedLines(origin)) ?? 0) >= 4 * REQUESTS, () => 'prc_log_lines_dropped_total');
    expect(child.exitCode).toBeNull();
  }, 60_000);

  it('a start refused (a wrong option) with stderr already closed still exits 2, not the 1 of a crash on EPIPE', async () => {
    const pipe = await logPipe(cleanups);
    pipe.closeReader();
    const child = spawn(process.execPath, [...nodeArgs(CLI_MAIN), 'serve', '--port', 'eighty'], { env: cleanEnv(), stdio: ['ignore', 'ignore', pipe.writer] });
    closeSync(pipe.writer);
    const exit = await new Promise((resolve) => child.once('exit', resolve));
    expect(exit).toBe(2);
  });
});
