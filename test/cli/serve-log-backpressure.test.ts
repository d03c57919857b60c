import { afterEach, describe, expect, it } from 'vitest';
import { type Cleanups, droppedLines, get, serveOnPipes } from '../support/log-pipes.js';
import { SERVE_FIXTURE } from '../support/serve-process.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `serve` whose stdout is a pipe (a FIFO) that nobody reads until `drain()`: what a stalled log
 * shipper or `serve | less` left alone gives it. The pipe holds 64 KiB.
 */
async function serveIntoUnreadPipe(format: 'json' | 'text') {
  const { origin, stdout, read } = await serveOnPipes(cleanups, { stdout: 'fifo', stderr: 'pipe' }, ['--log-format', format]);
  const pipe = stdout as NonNullable<typeof stdout>;
  /** Reads the pipe until `done` holds of what was read and what serve wrote on stderr, then what it still holds. */
  const drain = async (done: (output: { stdout: string; stderr: string }) => boolean) => {
    await pipe.drain(() => done({ stdout: pipe.text(), stderr: read.stderr() }));
    return { stdout: pipe.text(), stderr: read.stderr() };
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
      const dropped = await droppedLines(origin);
      expect(dropped).toBeGreaterThan(0);

      // Read again, stdout takes the waiting lines, then serve says what it dropped (JSON: on stdout; text: on stderr, with its warnings).
      const warned = format === 'json' ? /"droppedLines":(\d+),"msg":"log lines dropped: stdout was not taking them \(1 MiB waited\)"}\n/ : /warning: log lines dropped: stdout was not taking them \(1 MiB waited\) droppedLines=(\d+)\n/;
      const output = await drain(({ stdout, stderr }) => warned.test(format === 'json' ? stdout : stderr));
      const reported = Number(warned.exec(format === 'json' ? output.stdout : output.stderr)?.[1]);
      // At least what /metrics counted then: the last batch of request lines (50 ms) may have been dropped since.
      expect(reported).toBeGreaterThanOrEqual(dropped as number);
      // Nothing lost unsaid, and no line cut: the request lines written and those reported dropped are every request.
      const lines = output.stdout.split('\n').filter((line) => line !== '');
      const written = format === 'json' ? lines.map((line) => JSON.parse(line) as { msg: string }).filter((line) => line.msg === 'request') : lines.filter((line) => / GET \//.test(line));
      expect(written.length + reported).toBe(REQUESTS + 1);
      expect(await droppedLines(origin)).toBe(reported);
    },
    60_000,
  );
});

describe('serve with a stderr nobody reads', () => {
  // Each failure line quotes the CRM's error (32 KiB here, an error page): the 8 MiB that may wait
  // behind the full pipe hold some 250 of them.
  const FAILURES = 300;

  it('text logs: every request is still answered; failure lines past 8 MiB waiting are dropped, counted in prc_log_lines_dropped_total, and once stderr is read again a warning says how many', async () => {
    const { origin, stderr } = await serveOnPipes(cleanups, { stdout: 'pipe', stderr: 'fifo' }, ['--log-format', 'text'], {
      entry: SERVE_FIXTURE,
      env: { FIXTURE_CUSTOMERS_FAIL: '1', FIXTURE_CUSTOMERS_FAIL_DETAIL: String(32 * 1024) },
    });
    const pipe = stderr as NonNullable<typeof stderr>;
    for (let index = 0; index < FAILURES; index++) expect((await get(`${origin}/customer?query=phone:1111`)).status).toBe(500);
    expect((await get(`${origin}/healthz`)).status).toBe(200);
    const dropped = await droppedLines(origin);
    expect(dropped).toBeGreaterThan(0);

    const warned = /warning: log lines dropped: stderr was not taking them \(8 MiB waited\) droppedLines=(\d+)\n/;
    const output = await pipe.drain(() => warned.test(pipe.text()));
    const reported = Number(warned.exec(output)?.[1]);
    expect(reported).toBe(dropped);
    // Nothing lost unsaid, and no line cut: the failure lines written and those reported dropped are every failure.
    const written = output.split('\n').filter((line) => / error exception on \/customer \(500\): Error: CRM is down\.{32768}$/.test(line));
    expect(written.length + reported).toBe(FAILURES);
    expect(await droppedLines(origin)).toBe(reported);
  }, 60_000);
});
