import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { endsWithBench } from './lifetime.js';

/** Exits a child whose bench is gone (its IPC channel closed). */
export const parentWatch = fileURLToPath(new URL('../children/parent-watch.ts', import.meta.url));

/** A benchmark child process: runs a TypeScript file under tsx and talks over IPC. */
export interface Child {
  process: ChildProcess;
  /** Sends `message` and resolves with the child's next message. */
  ask<T>(message: unknown): Promise<T>;
  /** The child's first message (it sends one when ready). */
  ready: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts `bench/children/<name>.ts` in a fresh Node process. `nodeOptions` go before the script
 * (such as `--expose-gc`). The child's stdout and stderr go to ours, so its failures are seen.
 */
export function startChild(name: string, args: readonly string[], nodeOptions: readonly string[] = []): Child {
  const file = fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url));
  const child = endsWithBench(fork(file, [...args], { execArgv: [...nodeOptions, '--import', 'tsx', '--import', parentWatch], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench child ${name} exited early (code ${String(code)})`);
  });
  exited.catch(() => {});
  const next = <T>() => Promise.race([once(child, 'message').then(([message]) => message as T), exited]);
  return {
    process: child,
    ready: next(),
    ask: <T>(message: unknown) => {
      const answer = next<T>();
      child.send(message as object);
      return answer;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill();
      await gone;
    },
  };
}
