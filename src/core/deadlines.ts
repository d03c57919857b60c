/**
 * Deadlines of repository calls, one timer per `timeoutMs` instead of one per call.
 *
 * A call's own `setTimeout` and `clearTimeout` cost more than their look suggests: a call at a
 * time leaves Node's list of 3-second timers empty when it ends, so Node deletes that list from
 * a number-keyed table and makes it anew for the next call (a hashed dictionary insert and
 * delete per call, about 2,800 instructions of a 34,000-instruction lookup). Here every call
 * with the same `timeoutMs` joins one list; since each deadline is its start plus the same
 * `timeoutMs`, the list is in deadline order, and one timer, armed for the oldest call still
 * running, serves them all.
 *
 * Same behaviour as a timer per call: a call expires once `timeoutMs` have passed since it
 * started (never earlier, by `performance.now()`), a stopped call never expires, and the timer
 * keeps the process alive exactly while a call is running (it is unref'd when the last one stops,
 * and stays armed for the next call; where timers cannot be unref'd it is cleared instead).
 */

/** A running call's place in its list; {@link DeadlineList.stop} it when the call is over. */
export class Deadline {
  /** Called once at the deadline; `undefined` once stopped or expired, so a stopped call keeps nothing alive. */
  expire: (() => void) | undefined;
  /** Neighbours in the list, oldest first; `undefined` at either end and once out of the list. */
  previous: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;

  constructor(
    /** When it expires, in `performance.now()` milliseconds. */
    readonly at: number,
    expire: () => void,
  ) {
    this.expire = expire;
  }
}

/**
 * The running calls with one `timeoutMs`, oldest first, and the one timer that expires them. A
 * doubly linked list, as Node's own timer lists are: a call that stops is unlinked at once, so the
 * list holds exactly the running calls and nothing of a finished one stays reachable (entries kept
 * for a later sweep outlived the young generation's collections and cost more in GC than the
 * timer they replaced).
 */
export class DeadlineList {
  #oldest: Deadline | undefined;
  #newest: Deadline | undefined;
  /** How many calls run. */
  #running = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The `setTimeout` that made `#timer`. A test's fake timers replace `setTimeout` and put it
   * back: a timer armed by the other one may never fire (a fake one, once the fakes are gone), so
   * the next call arms one of the current `setTimeout` instead of counting on it.
   */
  #armedBy: typeof setTimeout | undefined;

  constructor(readonly timeoutMs: number) {}

  /** Starts a deadline `timeoutMs` from now; `expire` is called then, unless it was stopped. */
  start(expire: () => void): Deadline {
    const entry = new Deadline(performance.now() + this.timeoutMs, expire);
    const newest = this.#newest;
    if (newest === undefined) this.#oldest = entry;
    else {
      newest.next = entry;
      entry.previous = newest;
    }
    this.#newest = entry;
    if (this.#running++ === 0) {
      // Armed for an earlier call and let go when that one stopped (only where it can be unref'd): it holds the process again.
      if (this.#timer !== undefined && this.#armedBy === setTimeout) (this.#timer as NodeJS.Timeout).ref();
      else this.#arm(this.timeoutMs);
    }
    return entry;
  }

  /** Ends a deadline that has not expired: it never fires. Stopping it twice, or after it expired, does nothing. */
  stop(entry: Deadline): void {
    if (entry.expire === undefined) return;
    entry.expire = undefined;
    this.#unlink(entry);
    if (this.#running === 0) {
      // Nothing runs: the armed timer is let go without holding the process. It stays armed: the
      // next call reuses it instead of making a timer (and Node's list for it) anew.
      const timer = this.#timer as Partial<NodeJS.Timeout> | number | undefined;
      if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
      else if (timer !== undefined) {
        // A runtime whose timers cannot be unref'd (a number, as in browsers and Deno): cleared, as a timer per call would be.
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    }
  }

  #unlink(entry: Deadline): void {
    const { previous, next } = entry;
    if (previous === undefined) this.#oldest = next;
    else previous.next = next;
    if (next === undefined) this.#newest = previous;
    else next.previous = previous;
    entry.previous = undefined;
    entry.next = undefined;
    this.#running--;
  }

  /** Arms the timer to fire in `delay` ms; a timer armed before (by another `setTimeout`) is forgotten, and does nothing if it fires. */
  #arm(delay: number): void {
    const timer = setTimeout(() => {
      if (this.#timer === timer) this.#fire();
    }, delay);
    this.#timer = timer;
    this.#armedBy = setTimeout;
  }

  /** Expires every call whose deadline has come, then arms the timer for the oldest still running. */
  #fire(): void {
    // `#timer` still names the timer that fired while the expired calls run: a call started from
    // one of them finds it there and arms none of its own; the timer is set anew below.
    const now = performance.now();
    for (let entry = this.#oldest; entry !== undefined && entry.at <= now; entry = this.#oldest) {
      const expire = entry.expire as () => void;
      entry.expire = undefined;
      this.#unlink(entry);
      // A throw is reported as a timer's own would be, without keeping the others from expiring.
      try {
        expire();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    const oldest = this.#oldest;
    // Node's timers count whole milliseconds of the loop's clock: rounded up, so that a call never expires early.
    if (oldest === undefined) this.#timer = undefined;
    else this.#arm(Math.max(1, Math.ceil(oldest.at - now)));
  }

  /** For tests: how many calls run, and whether the timer holds the process. */
  get state(): { running: number; timer: 'none' | 'ref' | 'unref' } {
    const timer = this.#timer === undefined ? 'none' : (this.#timer as Partial<NodeJS.Timeout>).hasRef?.() === false ? 'unref' : 'ref';
    return { running: this.#running, timer };
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
