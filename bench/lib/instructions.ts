import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Warms a child up (`ready` is its first message), then runs `batches` fixed batches. */
export type Drive = (child: ChildProcess, batches: number, ready: unknown) => Promise<void>;

/**
 * Instructions executed by a benchmark child under valgrind's callgrind (no hardware counters
 * needed, and the same count from run to run within a fraction of a per cent, whatever else the
 * machine runs). `drive` warms the child up and then runs `batches` fixed batches; a count is
 * the difference between a run with two batches and one with one, so start-up, data building,
 * warm-up and exit cancel out and what is left is one batch.
 */
export async function instructionsPerBatch(name: string, args: readonly string[], drive: Drive): Promise<number> {
  const one = await instructionsOf(name, args, drive, 1);
  const two = await instructionsOf(name, args, drive, 2);
  return two - one;
}

/** Every instruction a child executed from start to exit, as callgrind's `Collected :` line says. */
async function instructionsOf(name: string, args: readonly string[], drive: Drive, batches: number): Promise<number> {
  const file = fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url));
  const child = fork(file, [...args], {
    execPath: 'valgrind',
    // JIT code is written to the heap: --smc-check=all-non-file keeps valgrind's translations of it current.
    // V8 on one thread with a fixed GC schedule and fixed hash and random seeds: background
    // compilation, GC helper threads and hash-table layouts otherwise differ from run to run.
    execArgv: ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file', process.execPath, '--single-threaded', '--predictable-gc-schedule', '--hash-seed=42', '--random-seed=42', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit');
  const [ready] = await Promise.race([once(child, 'message'), exited.then(() => Promise.reject(new Error(`${name} exited early:\n${stderr.slice(-2000)}`)))]);
  await drive(child, batches, ready);
  child.send('exit');
  await exited;
  const collected = /Collected : (\d+)/.exec(stderr);
  if (collected === null) throw new Error(`callgrind reported no count for ${name} ${args.join(' ')}:\n${stderr.slice(-2000)}`);
  return Number(collected[1]);
}

/** Sends `message` to a child and waits for its next message. */
export async function ask(child: ChildProcess, message: unknown): Promise<unknown> {
  const answer = once(child, 'message');
  child.send(message as object);
  return (await answer)[0];
}

/** Whether valgrind is installed (`apt-get install valgrind` on Debian). */
export const hasValgrind = (): boolean => spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
