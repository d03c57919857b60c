import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The bench's children (minutes of work each under valgrind) end with the bench, however it ends.
const parentScript = fileURLToPath(new URL('../support/bench-parent.ts', import.meta.url));

/** Running, and not a zombie waiting for whoever adopted it to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(50)) if (!alive(pid)) return true;
  return !alive(pid);
}

let started: number[] = [];
afterEach(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  started = [];
});

/** The stand-in bench and its two children's pids (IPC with count-marks, then plain). */
async function startBench(mode: 'wait' | 'crash'): Promise<{ bench: ChildProcess; counted: number; plain: number; stderr: () => string }> {
  const bench = spawn(process.execPath, ['--import', 'tsx', parentScript, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bench.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  const [line] = (await once(bench.stdout.setEncoding('utf8'), 'data')) as [string];
  const [counted, plain] = line.trim().split(' ').map(Number) as [number, number];
  started.push(counted, plain);
  expect(alive(counted) && alive(plain)).toBe(true);
  return { bench, counted, plain, stderr: () => err };
}

describe('bench children end with the bench', () => {
  it('a counted child (IPC, count-marks preloaded) exits when the bench is killed with SIGKILL', async () => {
    const { bench, counted } = await startBench('wait');
    bench.kill('SIGKILL');
    await once(bench, 'exit');
    expect(await goneWithin(counted, 10_000)).toBe(true);
  });

  it('SIGTERM and SIGINT to the bench kill every child it registered, and it exits as the signal would', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const { bench, counted, plain } = await startBench('wait');
      const exited = once(bench, 'exit');
      bench.kill(signal);
      expect((await exited)[0]).toBe(code);
      expect(await goneWithin(plain, 5000)).toBe(true);
      expect(await goneWithin(counted, 5000)).toBe(true);
    }
  });

  it('a crash of the bench (an uncaught error) kills every child it registered', async () => {
    const { bench, counted, plain, stderr } = await startBench('crash');
    const [code] = await once(bench, 'exit');
    expect(code).toBe(1);
    expect(stderr()).toContain('the bench crashed');
    expect(await goneWithin(plain, 5000)).toBe(true);
    expect(await goneWithin(counted, 5000)).toBe(true);
  });
});
