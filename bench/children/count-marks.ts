/**
 * Where callgrind counts. `bench/lib/instructions.ts` runs a child under
 * `valgrind --tool=callgrind --zero-before=uv_loadavg --dump-before=uv_get_free_memory`: libuv's
 * `uv_loadavg` (behind `os.loadavg()`) and `uv_get_free_memory` (behind `os.freemem()`) run
 * nowhere else in these processes, so calling them marks the start and the end of a measured
 * batch, and callgrind writes one file per batch with exactly the instructions between the two.
 * Start-up, data building, warm-up and exit are never counted.
 *
 * Preloaded (`node --import`), it answers the parent's `{ count: 'start' }` and
 * `{ count: 'stop' }` for a server driven from outside (`serve`, the HTTP children); the
 * in-process child calls {@link startCounting} and {@link stopCounting} around its loop itself.
 */
import { freemem, loadavg } from 'node:os';

type Gc = (options?: { type?: 'minor' | 'major' }) => void;

/**
 * A minor GC first (run with `--expose-gc`), outside the count: every batch then starts with an
 * empty young generation and meets its scavenges at the same points, run after run; the
 * scavenges the batch's own allocations cause are counted.
 */
export function startCounting(): void {
  (globalThis.gc as Gc | undefined)?.({ type: 'minor' });
  loadavg();
}

export function stopCounting(): void {
  freemem();
}

process.on('message', (message: unknown) => {
  const count = (message as { count?: unknown } | null)?.count;
  if (count === 'start') startCounting();
  if (count === 'stop') stopCounting();
  if (count === 'start' || count === 'stop') process.send?.({ counting: count });
});
