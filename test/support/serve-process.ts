import { type ChildProcess, spawn } from 'node:child_process';
import { nodeArgs } from './programs.js';

/** `src/cli/main.ts` (run as bundled for this test run, see programs.ts): `priority-routing-crm` as users run it. */
export const CLI_MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
/** `serve` over a repository the test controls (see serve-fixture.ts). */
export const SERVE_FIXTURE = new URL('./serve-fixture.ts', import.meta.url).pathname;
/** `serve` over the memory repository, records changed after validation (see serve-memory-fixture.ts). */
export const SERVE_MEMORY_FIXTURE = new URL('./serve-memory-fixture.ts', import.meta.url).pathname;

/** A `serve` child process and what it printed so far. */
export interface ServeRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit code (null when killed by a signal). */
  exit: Promise<number | null>;
}

const running: ServeRun[] = [];

/**
 * The environment without anything that configures `serve` (PRC_*, PORT, HOST, DATABASE_URL),
 * so that a developer's shell cannot change what a test sees.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PRC_|PORT$|HOST$|DATABASE_URL$)/.test(name)));
  return { ...env, ...extra };
}

/**
 * Starts `priority-routing-crm serve …` (or, with `entry: SERVE_FIXTURE`, serve over the test
 * repository) as a child process with a clean environment plus `env`. {@link stopServes}
 * kills whatever is still running.
 */
export function spawnServe(args: string[], options: { env?: Record<string, string>; entry?: string } = {}): ServeRun {
  const entry = options.entry ?? CLI_MAIN;
  const command = entry === CLI_MAIN ? [...nodeArgs(CLI_MAIN), 'serve', ...args] : [...nodeArgs(entry), ...args];
  const child = spawn(process.execPath, command, { env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, stdout: () => out, stderr: () => err, exit };
  running.push(run);
  return run;
}

/** Kills (SIGKILL, by pid) every `serve` a test started and left running; for `afterEach`. */
export function stopServes(): void {
  for (const run of running.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
}

/** Resolves with the match once `pattern` appears in the stream, or rejects when the process exits first. */
export async function waitForOutput(run: ServeRun, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
  for (;;) {
    const match = (stream === 'stdout' ? run.stdout() : run.stderr()).match(pattern);
    if (match) return match;
    if (run.child.exitCode !== null) throw new Error(`serve exited ${run.child.exitCode} before printing ${pattern}: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every stdout line parsed as JSON: throws on a line that is not one JSON object. */
export function jsonLines(run: ServeRun): Record<string, unknown>[] {
  return run
    .stdout()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not a JSON object: ${line}`);
      return value as Record<string, unknown>;
    });
}

/** Waits for the JSON log line with this `msg` (and whatever else `match` checks). */
export async function waitForJsonLine(run: ServeRun, msg: string, match: (line: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  for (;;) {
    const complete = run.stdout().slice(0, run.stdout().lastIndexOf('\n') + 1);
    const found = jsonLines({ ...run, stdout: () => complete }).find((line) => line.msg === msg && match(line));
    if (found) return found;
    if (run.child.exitCode !== null) throw new Error(`serve exited ${run.child.exitCode} before logging "${msg}": ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `serve` with JSON logs and waits for its `listening` line: the origin (no base path)
 * and the two Hybrid Chat URLs as printed (credentials masked).
 */
export async function startJsonServe(args: string[], options: { env?: Record<string, string>; entry?: string } = {}) {
  const run = spawnServe(['--log-format', 'json', ...args], options);
  const listening = await waitForJsonLine(run, 'listening');
  return { run, origin: listening.url as string, customerQueryUrl: listening.CIM_CUSTOMER_QUERY_URL as string, labelsUrl: listening.CIM_LABELS_API_PATH as string, listening };
}
