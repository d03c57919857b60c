import { readdirSync, readFileSync } from 'node:fs';

/**
 * Microseconds a process has run on a CPU, all its threads together, from the scheduler's own
 * accounting (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds; Linux): the CPU of a process we
 * cannot ask over IPC (the `serve` command itself), read the same way for every contender.
 */
export function processCpuMicros(pid: number): number {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return nanoseconds / 1000;
}
