import { type AbortWatch, LazyContext } from '../core/call.js';
import { deadlinesFor } from '../core/deadlines.js';
import type { RepositoryContext } from '../core/repository.js';

/**
 * One repository call shared by every caller asking for the same key while it runs.
 *
 * The shared call has its own deadline (`timeoutMs`), since no single caller owns it: a CRM that
 * never answers must not leave later callers coalesced onto a call that never ends. Each caller
 * only waits: its own signal ends its wait, never the call that the others still await.
 */
export class SharedCalls<K> {
  readonly #running = new Map<K, Promise<unknown>>();

  constructor(private readonly timeoutMs: number) {}

  /** How many calls are running now. */
  get size(): number {
    return this.#running.size;
  }

  /**
   * The running call for `key`, or a new one made by `start` (then passed to `started`, before
   * any caller sees its outcome); the wait ends early when `signal` aborts (a caller's
   * `abortWatchOf(context)`, or any AbortSignal).
   */
  run<T>(key: K, start: (context: RepositoryContext) => PromiseLike<T> | T, signal?: AbortWatch, started?: (call: Promise<T>) => void): Promise<T> {
    let call = this.#running.get(key) as Promise<T> | undefined;
    if (call === undefined) {
      call = this.#start(start);
      started?.(call);
      this.#running.set(key, call);
      const forget = () => {
        if (this.#running.get(key) === call) this.#running.delete(key);
      };
      call.then(forget, forget);
    }
    return signal === undefined ? call : waitUnlessAborted(call, signal);
  }

  #start<T>(start: (context: RepositoryContext) => PromiseLike<T> | T): Promise<T> {
    // The handlers' own context: an AbortController only if the repository reads `signal`, and
    // none for the package's own repositories (they listen through `abortWatchOf`).
    const context = new LazyContext(this.timeoutMs);
    // The deadline joins the handlers' own list for this timeoutMs: one timer for every call.
    const deadlines = deadlinesFor(this.timeoutMs);
    return new Promise<T>((resolve, reject) => {
      const deadline = deadlines.start(() => reject(context.timeOut()));
      const settle = (finish: () => void) => {
        deadlines.stop(deadline);
        finish();
      };
      // `start` may throw synchronously or return a plain value; both become this promise's outcome.
      new Promise<T>((inner) => inner(start(context))).then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}

/**
 * `promise`, unless `signal` aborts first: then a rejection with the signal's reason. `promise`
 * itself goes on for whoever else awaits it. `signal`: `abortWatchOf(context)` (no
 * AbortController for a context of the handlers) or any AbortSignal.
 */
export function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortWatch): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
