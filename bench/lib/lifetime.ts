import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Children the bench started that have not exited yet. */
const running = new Set<ChildProcess>();
let hooked = false;

const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
};

/**
 * Registers a child process to be killed when the bench ends, however it ends: a normal exit,
 * `process.exit`, an uncaught error, or Ctrl+C / SIGTERM / SIGHUP (the bench then exits with
 * 128 + the signal's number, as the signal would have). Without this, a child under valgrind
 * (minutes of work left) kept running after its parent was gone. A parent killed by SIGKILL
 * runs none of this: a counted child also exits when its IPC channel closes
 * (`bench/children/parent-watch.ts`). Returns the child.
 */
export function endsWithBench<T extends ChildProcess>(child: T): T {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(128 + constants.signals[signal]);
      });
    }
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
