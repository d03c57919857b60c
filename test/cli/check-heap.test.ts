import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckReportSchema } from '../../src/checker/index.js';
import { runCli } from '../support/cli.js';
import { listen } from '../support/listen.js';

// The figure itself (peak RSS against a connector sending the largest body the 1 MiB limit lets
// through) is measured by bench/check-memory.ts; this pins that `check` asks V8 to collect early,
// which took that figure from 262-307 MB to 173-181 MB (goal: under 256 MB).
const setFlagsFromString = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:v8')>()), setFlagsFromString }));

afterEach(() => {
  setFlagsFromString.mockClear();
});

describe('check keeps its heap small whatever a connector sends', () => {
  it('asks V8 to optimize for size before any body is read', async () => {
    const { checkCommand } = await import('../../src/cli/check.js');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await checkCommand.main(['--help'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(setFlagsFromString).toHaveBeenCalledWith('--optimize-for-size');
  });
});

describe('check memory does not grow with the number of phones', () => {
  // Every answer is 1 MiB of arrays nested 524,288 deep (30 MB once parsed). Kept for every
  // phone until the end, 12 phones need 360 MB of heap (before issue 20.2: out of memory at
  // 160 MB); judged and let go one by one, they fit in 96 MB. V8 ends a process that runs out
  // of heap (exit 134): the exit code and the report tell.
  it('checks 12 phones against a hostile connector within a 128 MB heap', async () => {
    const nested = `${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}`;
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(nested));
    const { origin, close } = await listen(server);
    try {
      const phones = Array.from({ length: 12 }, (_, i) => ['--phone', String(1111 + i)]).flat();
      const args = ['check', '--customer-url', `${origin}/customer?query=phone:{refId}`, '--labels-url', `${origin}/label`, ...phones, '--weights', 'Gold=8', '--format', 'json', '--timeout', '60000'];
      const run = await runCli(args, {}, ['--max-old-space-size=128']);
      expect(run.stderr).not.toMatch(/heap out of memory/);
      expect(run.code).toBe(1);
      const report = CheckReportSchema.parse(JSON.parse(run.stdout));
      expect(report.checks.find((check) => check.id === 'customer.schema')!.detail).toBe('12 violations of the contract (strict)');
    } finally {
      await close();
    }
  }, 120_000);
});
