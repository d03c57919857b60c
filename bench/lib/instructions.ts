import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { endsWithBench } from './lifetime.js';
import { processCpuMicros } from './task-cpu.js';

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
 * What the child's `node` loads before its script: for a TypeScript script (`bench/children/*.ts`)
 * tsx and the marks; for plain JavaScript (`serve`'s `dist/cli.js`) only the marks, bundled to
 * JavaScript in `directory`, and no tsx: `serve` as shipped runs without tsx's module hooks (a
 * thread of their own that every `import()` of `serve`'s lazy start-up waited on).
 */
export async function preloads(script: string, directory: string): Promise<string[]> {
  if (script.endsWith('.ts')) return ['--import', 'tsx', '--import', marks];
  const outfile = join(directory, 'count-marks.mjs');
  await build({ entryPoints: [marks], outfile, bundle: true, format: 'esm', platform: 'node', logLevel: 'error' });
  return ['--import', pathToFileURL(outfile).href];
}

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
  for (let attempt = 1; ; attempt++) {
    try {
      return await countOnce(counted);
    } catch (error) {
      if (!(error instanceof StuckStart) || attempt === START_ATTEMPTS) throw error;
      console.error(`${error.message}: started again`);
    }
  }
}

/** Start-ups tried per counted process before the run fails (see {@link stuckAtStart}). */
const START_ATTEMPTS = 3;
/** A child not yet ready that has used no CPU for this long is stuck. */
const STUCK_MS = 60_000;

class StuckStart extends Error {}

/**
 * Rejects once the child, not yet ready, has used no CPU for {@link STUCK_MS}. On 2026-12-07,
 * every `serve` process this file started under callgrind stopped in its start-up (five runs,
 * load average 5 to 10, with and without tsx, side by side or alone): idle in the event loop
 * with nothing pending but the IPC pipe, a dynamic `import()` never settling (the last module
 * Node loaded was its CommonJS lexer); the same command started from a shell or a small script
 * did not. A run used to wait for ever; now the process is started again (start-up is never
 * counted), and after {@link START_ATTEMPTS} the run fails saying so. `stop()` ends the watch.
 */
function stuckAtStart(child: ChildProcess, name: string): { stuck: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    let last = -1;
    let idleSince = Date.now();
    timer = setInterval(() => {
      let cpu: number;
      try {
        cpu = processCpuMicros(child.pid as number);
      } catch {
        return; // exited: reported by its exit
      }
      if (cpu !== last) [last, idleSince] = [cpu, Date.now()];
      else if (Date.now() - idleSince >= STUCK_MS) reject(new StuckStart(`${name} used no CPU for ${STUCK_MS / 1000} s before it was ready (stuck in its start-up)`));
    }, 1000);
  });
  stuck.catch(() => {});
  return { stuck, stop: () => clearInterval(timer) };
}

async function countOnce(counted: Counted): Promise<number[]> {
  const directory = await mkdtemp(join(tmpdir(), 'prc-callgrind-'));
  const stdoutFile = join(directory, 'stdout.txt');
  const stdout = counted.stdoutToFile === true ? openSync(stdoutFile, 'w') : 'pipe';
  const child = endsWithBench(
    spawn('valgrind', [...callgrindArgs(join(directory, 'callgrind.out')), process.execPath, ...V8_FLAGS, ...(await preloads(counted.argv[0] ?? '', directory)), ...counted.argv], {
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
    const start = stuckAtStart(child, counted.argv.join(' '));
    try {
      ready = await Promise.race([counted.ready(child, stdoutFile), exited, start.stuck]);
    } finally {
      start.stop();
    }
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
