/**
 * Request deadlines checked by one coarse timer instead of one timer per request: a lookup's
 * own `setTimeout` (and `AbortSignal.timeout`) cost more than the rest of the engine's work.
 * A request is aborted within `TICK_MS` after its deadline; the timer runs only while requests
 * are in flight, and never keeps the process alive.
 */
const TICK_MS = 25;
const pending = new Set<{ deadline: number; controller: { abort(): void } }>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  const now = Date.now();
  for (const entry of pending) {
    if (entry.deadline <= now) {
      pending.delete(entry);
      entry.controller.abort();
    }
  }
  if (pending.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Aborts `controller` (an `AbortController`, or anything with `abort()`) at `deadline` (epoch ms); call the returned function when the request is over. */
export function abortAt(controller: { abort(): void }, deadline: number): () => void {
  const entry = { deadline, controller };
  pending.add(entry);
  if (timer === undefined) {
    timer = setInterval(tick, TICK_MS);
    timer.unref?.();
  }
  return () => pending.delete(entry);
}
