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
import { Server } from 'node:http';
import { freemem, loadavg } from 'node:os';
// A counted child whose bench is gone exits (under valgrind it would run on for minutes).
import './parent-watch.js';

/**
 * Idle kept-alive connections stay open for ten minutes instead of Node's 5 s: the HTTP rows'
 * client keeps its connections from the warm-up on, and between two batches a server under
 * callgrind on a loaded machine can spend longer than 5 s on the marks' minor GC and IPC; it
 * then closed the idle connections, and the client's next request met a reset (or, reconnecting,
 * put an accept and a socket's set-up in the count). Set on every `node:http` server this
 * process makes (`serve`'s too), when it starts listening; the per-request timer work is the same.
 */
const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  this.keepAliveTimeout = 600_000;
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

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
