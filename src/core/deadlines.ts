/**
 * Deadlines of repository calls, one timer per `timeoutMs` instead of one per call.
 *
 * A call's own `setTimeout` and `clearTimeout` cost more than their look suggests: a call at a
 * time leaves Node's list of 3-second timers empty when it ends, so Node deletes that list from
 * a number-keyed table and makes it anew for the next call (a hashed dictionary insert and
 * delete per call, about 2,000 instructions of a 34,000-instruction lookup). Here every call
 * with the same `timeoutMs` joins one list; since each deadline is its start plus the same
 * `timeoutMs`, the list is in deadline order, and one timer, armed for the oldest call still
 * running, serves them all.
 *
 * Same behaviour as a timer per call: a call expires once `timeoutMs` have passed since it
 * started (never earlier, by `performance.now()`), a stopped call never expires, and the timer
 * keeps the process alive exactly while a call is running (it is unref'd when the last one stops).
 */

/** A running call's place in its list; {@link DeadlineList.stop} it when the call is over. */
export interface Deadline {
  /** When it expires, in `performance.now()` milliseconds. */
  readonly at: number;
  /** Called once at the deadline; `undefined` once stopped or expired, so a stopped call keeps nothing alive. */
  expire: (() => void) | undefined;
}

/** Past this many stopped entries at the front, the array is compacted (its front is dead weight). */
const COMPACT_AT = 1024;

/** The running calls with one `timeoutMs`, oldest first, and the one timer that expires them. */
export class DeadlineList {
  #entries: Deadline[] = [];
  /** Index of the oldest entry that may still run; the ones before it are over. */
  #head = 0;
  /** How many entries still run. */
  #running = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires, in `performance.now()` milliseconds. */
  #firesAt = 0;

  constructor(readonly timeoutMs: number) {}

  /** Starts a deadline `timeoutMs` from now; `expire` is called then, unless it was stopped. */
  start(expire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + this.timeoutMs, expire };
    this.#entries.push(entry);
    if (this.#running++ === 0) {
      if (this.#timer === undefined) this.#arm(this.timeoutMs, entry.at);
      // Armed for an earlier call and let go when that one stopped (only where it can be unref'd): it holds the process again.
      else (this.#timer as NodeJS.Timeout).ref();
    }
    return entry;
  }

  /** Ends a deadline that has not expired: it never fires. Stopping it twice, or after it expired, does nothing. */
  stop(entry: Deadline): void {
    if (entry.expire === undefined) return;
    entry.expire = undefined;
    if (--this.#running === 0) {
      // Nothing runs: every entry is passed (dropped at the next compaction: setting the array's
      // length per call is a runtime call), and the armed timer is let go without holding the
      // process. It stays armed: the next call reuses it instead of making a timer (and Node's list) anew.
      this.#head = this.#entries.length;
      this.#compact();
      const timer = this.#timer as Partial<NodeJS.Timeout> | number | undefined;
      if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
      else if (timer !== undefined) {
        // A runtime whose timers cannot be unref'd (a number, as in browsers and Deno): cleared, as a timer per call would be.
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      return;
    }
    this.#skipStopped();
  }

  #arm(delay: number, firesAt: number): void {
    this.#firesAt = firesAt;
    this.#timer = setTimeout(() => this.#fire(), delay);
  }

  /** Expires every entry whose deadline has come, then arms the timer for the oldest still running. */
  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const entry = entries[this.#head] as Deadline;
      const expire = entry.expire;
      if (expire !== undefined) {
        if (entry.at > now) break;
        entry.expire = undefined;
        this.#running--;
        // A throw is reported as a timer's own would be, without keeping the others from expiring.
        try {
          expire();
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      this.#head++;
    }
    this.#compact();
    const next = entries[this.#head];
    if (next === undefined) {
      this.#entries.length = 0;
      this.#head = 0;
      return;
    }
    // Node's timers count whole milliseconds of the loop's clock: round up, so that a call never expires early.
    this.#arm(Math.max(1, Math.ceil(next.at - now)), next.at);
  }

  /** Moves the head past entries that stopped, so the array holds only what may still run (and a little). */
  #skipStopped(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && (entries[this.#head] as Deadline).expire === undefined) this.#head++;
    this.#compact();
  }

  #compact(): void {
    const entries = this.#entries;
    if (this.#head < COMPACT_AT || this.#head * 2 < entries.length) return;
    if (this.#head === entries.length) entries.length = 0;
    else entries.splice(0, this.#head);
    this.#head = 0;
  }

  /** For tests: how many entries the list holds (running or not yet passed), and whether its timer holds the process. */
  get state(): { entries: number; running: number; timer: 'none' | 'ref' | 'unref'; firesAt: number } {
    const timer = this.#timer === undefined ? 'none' : (this.#timer as Partial<NodeJS.Timeout>).hasRef?.() === false ? 'unref' : 'ref';
    return { entries: this.#entries.length - this.#head, running: this.#running, timer, firesAt: this.#firesAt };
  }
}

const lists = new Map<number, DeadlineList>();

/** The list of calls with `timeoutMs` (one per distinct value, kept for the process's life: a site has one or two). */
export function deadlinesFor(timeoutMs: number): DeadlineList {
  let list = lists.get(timeoutMs);
  if (list === undefined) {
    list = new DeadlineList(timeoutMs);
    lists.set(timeoutMs, list);
  }
  return list;
}
