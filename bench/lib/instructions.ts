import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endsWithBench } from './lifetime.js';

/** A process to count: its script and arguments, how to know it is ready, its warm-up and one batch of work. */
export interface Counted {
  /** The script Node runs (a `bench/children/*.ts` file through tsx, or `dist/cli.js`) and its arguments. */
  argv: readonly string[];
  /** Resolves, once the child can take work, with what the batches need (such as its port); `stdout` is the file of {@link stdoutToFile}. */
  ready(child: ChildProcess, stdout: string): Promise<unknown>;
  /**
   * The child's stdout goes to a file instead of a pipe: for a child that prints a line per
   * request (`serve` with its log), whose writes to a pipe wait (and retry, counted) whenever the
   * reader falls behind, which depends on how busy the machine is; a file never makes it wait.
   */
  stdoutToFile?: boolean;
  /** Unmarked work until the counts settle: JIT tiers, inline caches, the heap's shape. */
  warmUp(child: ChildProcess, ready: unknown): Promise<void>;
  /** One batch of `size` requests, bracketed exactly by the marks of `bench/children/count-marks.ts`. */
  batch(child: ChildProcess, ready: unknown): Promise<void>;
  /** Releases what the warm-up opened (a client's kept-alive connections), before the child is stopped. */
  done?(ready: unknown): void;
  /** Requests per batch. */
  size: number;
}

/** Batches counted in each process, each alone. */
export const COUNTED_BATCHES = 3;

const marks = fileURLToPath(new URL('../children/count-marks.ts', import.meta.url));

/**
 * V8 flags that make the count repeatable (each is explained in bench/README.md): one thread
 * (no background compiler or GC helpers whose share of the work depends on timing), a GC
 * schedule that does not depend on timing or on the machine's memory, fixed hash and random
 * seeds (hash-table layouts, `Math.random`), and `gc()` for the minor GC before each batch.
 */
export const V8_FLAGS = ['--single-threaded', '--predictable-gc-schedule', '--hash-seed=42', '--random-seed=42', '--expose-gc'] as const;

/**
 * callgrind: `--zero-before`/`--dump-before` on the two libuv functions the marks call, so each
 * counted batch is one dump file holding the instructions between its marks; JIT code is written
 * to the heap, so `--smc-check=all-non-file` keeps valgrind's translations of it current; no
 * gdbserver (a killed child would leave its pipes behind).
 */
const callgrindArgs = (outFile: string) => [
  '--tool=callgrind',
  `--callgrind-out-file=${outFile}`,
  '--zero-before=uv_loadavg',
  '--dump-before=uv_get_free_memory',
  '--smc-check=all-non-file',
  '--vgdb=no',
  '--separate-threads=yes', // one file per thread: only the main thread's is read
];

/**
 * Instructions per request executed by a child under valgrind's callgrind (no hardware counters
 * needed): after its warm-up, {@link COUNTED_BATCHES} batches each counted alone. Returns the
 * count of each batch divided by its size.
 */
export async function instructionsPerRequest(counted: Counted): Promise<number[]> {
  const directory = await mkdtemp(join(tmpdir(), 'prc-callgrind-'));
  const stdoutFile = join(directory, 'stdout.txt');
  const stdout = counted.stdoutToFile === true ? openSync(stdoutFile, 'w') : 'pipe';
  const child = endsWithBench(
    spawn('valgrind', [...callgrindArgs(join(directory, 'callgrind.out')), process.execPath, ...V8_FLAGS, '--import', 'tsx', '--import', marks, ...counted.argv], {
      stdio: ['ignore', stdout, 'pipe', 'ipc'],
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );
  if (typeof stdout === 'number') closeSync(stdout);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${counted.argv.join(' ')} exited (${String(code ?? signal)}) under callgrind:\n${stderr}`);
  });
  exited.catch(() => {});
  let ready: unknown;
  try {
    ready = await Promise.race([counted.ready(child, stdoutFile), exited]);
    await Promise.race([counted.warmUp(child, ready), exited]);
    for (let batch = 0; batch < COUNTED_BATCHES; batch++) await Promise.race([counted.batch(child, ready), exited]);
    return (await dumpedCounts(directory)).map((count) => count / counted.size);
  } finally {
    if (ready !== undefined) counted.done?.(ready);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    }
    if (process.env.PRC_KEEP_CALLGRIND === undefined) await rm(directory, { recursive: true, force: true });
    else console.error(`callgrind files kept in ${directory}`);
  }
}

/**
 * The main thread's instructions in each dump (`callgrind.out.1-01`, `.2-01`, …) in order, from
 * its `summary:` line. Only the main thread counts: with `--single-threaded` V8 does all its work
 * there, and the other threads (tsx's module-hook thread, libuv's pool) run on their own timers,
 * whose work in a batch depends on how long it took (a first version summed every thread, and a
 * batch moved 5× between runs).
 */
async function dumpedCounts(directory: string): Promise<number[]> {
  const dumps = (await readdir(directory))
    .map((file) => ({ file, part: Number(/\.(\d+)-01$/.exec(file)?.[1]) }))
    .filter(({ part }) => Number.isInteger(part))
    .sort((a, b) => a.part - b.part);
  if (dumps.length !== COUNTED_BATCHES) throw new Error(`callgrind wrote ${dumps.length} dumps, expected ${COUNTED_BATCHES}: was a batch marked twice?`);
  return Promise.all(
    dumps.map(async ({ file }) => {
      const summary = /^summary: (\d+)/m.exec(await readFile(join(directory, file), 'utf8'));
      if (summary === null) throw new Error(`no summary line in callgrind's ${file}`);
      return Number(summary[1]);
    }),
  );
}

/** Sends `message` to a child and waits for its next message. */
export async function ask(child: ChildProcess, message: unknown): Promise<unknown> {
  const answer = once(child, 'message');
  child.send(message as object);
  return (await answer)[0];
}

/** Whether valgrind is installed (`apt-get install valgrind` on Debian). */
export const hasValgrind = (): boolean => spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
