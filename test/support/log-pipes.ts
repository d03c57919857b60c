import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './listen.js';
import { nodeArgs } from './programs.js';
import { parsePrometheusText, sampleValue } from './prometheus.js';
import { CLI_MAIN, cleanEnv } from './serve-process.js';

/**
 * A named pipe (a FIFO: the pipe a shell's `|` gives) for a child's stdout or stderr, with the
 * test as its only reader: it reads only when asked ({@link LogPipe.drain}), so that until then
 * the pipe fills (64 KiB) as a stalled log shipper's does, and {@link LogPipe.closeReader}
 * closes it as `head` or a restarted shipper does.
 */
export interface LogPipe {
  /** The write end, for `spawn`'s stdio: the parent closes its copy once the child has it. */
  writer: number;
  /** What was read so far. */
  text(): string;
  /** Reads the pipe until `done` holds of what was read (10 s at most), then what it still holds. */
  drain(done: () => boolean): Promise<string>;
  /** Closes the read end: the child's next write fails with EPIPE. */
  closeReader(): void;
}

/** What the test's `afterEach` runs; each helper here pushes its own cleanup. */
export type Cleanups = Array<() => unknown>;

export async function logPipe(cleanups: Cleanups): Promise<LogPipe> {
  const folder = await mkdtemp(join(tmpdir(), 'prc-log-pipe-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const fifo = join(folder, 'pipe');
  execFileSync('mkfifo', [fifo]);
  // Non-blocking, so that opening it for writing finds a reader and reading an empty pipe returns.
  let reader: number | undefined = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const closeReader = () => {
    if (reader !== undefined) closeSync(reader);
    reader = undefined;
  };
  cleanups.push(closeReader);
  const writer = openSync(fifo, constants.O_WRONLY);
  let read = '';
  const chunk = Buffer.alloc(1 << 16);
  /** Reads what the pipe holds now; false once it is empty. */
  const readSome = () => {
    if (reader === undefined) throw new Error('the read end is closed');
    try {
      const count = readSync(reader, chunk);
      read += chunk.toString('utf8', 0, count);
      return count > 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      return false;
    }
  };
  return {
    writer,
    text: () => read,
    async drain(done) {
      const deadline = Date.now() + 10_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`not seen in 10 s; read: ${read.slice(-500)}`);
        if (!readSome()) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      while (readSome());
      return read;
    },
    closeReader,
  };
}

/** A GET that must be answered within 5 s (a stalled serve never answers). */
export async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

/** `prc_log_lines_dropped_total` as serve's /metrics says it now. */
export async function droppedLines(origin: string): Promise<number | undefined> {
  return sampleValue(parsePrometheusText((await get(`${origin}/metrics`)).body), 'prc_log_lines_dropped_total', {});
}

/** Where a stream of the child goes: a {@link LogPipe} the test reads when it wants, or a Node pipe read as it comes. */
type Output = 'fifo' | 'pipe';

/**
 * `serve` (or, with `entry`, the serve fixture) listening on a free port, its stdout and stderr
 * each a {@link LogPipe} (`fifo`) or a pipe read at once (`pipe`, then in `stdout()`/`stderr()`),
 * once `/healthz` answers.
 */
export async function serveOnPipes(
  cleanups: Cleanups,
  outputs: { stdout: Output; stderr: Output },
  args: string[],
  options: { env?: Record<string, string>; entry?: string } = {},
): Promise<{ child: ChildProcess; origin: string; stdout: LogPipe | undefined; stderr: LogPipe | undefined; read: { stdout(): string; stderr(): string } }> {
  const pipes = { stdout: outputs.stdout === 'fifo' ? await logPipe(cleanups) : undefined, stderr: outputs.stderr === 'fifo' ? await logPipe(cleanups) : undefined };
  const port = await closedPort();
  const entry = options.entry ?? CLI_MAIN;
  const command = [...nodeArgs(entry), ...(entry === CLI_MAIN ? ['serve'] : []), '--port', String(port), ...args];
  const child = spawn(process.execPath, command, { env: cleanEnv(options.env), stdio: ['ignore', pipes.stdout?.writer ?? 'pipe', pipes.stderr?.writer ?? 'pipe'] });
  for (const pipe of [pipes.stdout, pipes.stderr]) if (pipe !== undefined) closeSync(pipe.writer);
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const read = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (read.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (read.stderr += chunk));
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${read.stderr}`);
    if ((await get(`${origin}/healthz`).catch(() => undefined))?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, origin, ...pipes, read: { stdout: () => read.stdout, stderr: () => read.stderr } };
}
