import { type ChildProcess, spawn } from 'node:child_process';
import { nodeArgs } from './programs.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** A running `priority-routing-crm` process and what it printed so far. */
export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/**
 * Starts the CLI (from source: bundled for this run, see programs.ts) with `args`; `env` is added to this process's
 * environment, and a key set to `undefined` is removed from it. `nodeOptions` go to node itself
 * (`--max-old-space-size=128`).
 */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, nodeOptions: readonly string[] = []): CliRun {
  const merged = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, [...nodeOptions, ...nodeArgs(MAIN), ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Runs the CLI to its end: exit code and output. */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  nodeOptions: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, env, nodeOptions);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Resolves with stdout's match once `pattern` appears in it; rejects when the process exits first. */
export async function waitForOutput(run: CliRun, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const match = run.stdout().match(pattern);
    if (match) return match;
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
