import type { Outcome } from '../contract/result.js';
import { deadlinesFor } from './deadlines.js';
import type { MaybePromise, RepositoryContext } from './repository.js';

/**
 * How a repository call ended.
 */
export type CallOutcome<T> = Outcome<T, { reason: 'exception'; error: unknown } | { reason: 'timeout' }>;

/**
 * Whether a value is a promise or another thenable.
 */
export const isThenable = <T>(value: MaybePromise<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';

const TIMED_OUT = { ok: false, reason: 'timeout' } as const;

/**
 * Calls a repository method with a context whose `signal` aborts at `timeoutMs`, turns a throw,
 * a rejection (of anything) or the timeout into an outcome instead of an exception, and hands
 * that outcome to `shape` exactly once. A rejection with a `TimeoutError` counts as the timeout.
 * What `shape` returns is the result: at once for a repository that answers synchronously, else
 * in a promise, which rejects only if `shape` throws.
 *
 * `shape` runs inside the call's own promise instead of in a `then` of it: one promise and one
 * microtask less per asynchronous lookup. The deadline joins the list of every call with this
 * `timeoutMs` (one timer for all, see deadlines.ts). A repository that answers
 * synchronously (the memory repository) costs no deadline and no `AbortController`, one that
 * never reads `signal` costs no controller.
 */
export function callRepository<T, R>(
  call: (context: RepositoryContext) => MaybePromise<T>,
  timeoutMs: number,
  shape: (outcome: CallOutcome<T>) => R,
): MaybePromise<R> {
  const context = new LazyContext(timeoutMs);
  let result: MaybePromise<T>;
  try {
    result = call(context);
  } catch (error) {
    return shape({ ok: false, reason: 'exception', error });
  }
  if (!isThenable(result)) return shape({ ok: true, value: result });
  const deadlines = deadlinesFor(timeoutMs);
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    // The first of the answer and the timeout wins; what comes later is dropped unseen.
    const settle = (outcome: CallOutcome<T>) => {
      if (settled) return;
      settled = true;
      deadlines.stop(deadline);
      try {
        resolve(shape(outcome));
      } catch (error) {
        reject(error);
      }
    };
    const deadline = deadlines.start(() => {
      context.timeOut();
      settle(TIMED_OUT);
    });
    Promise.resolve(result).then(
      (value) => settle({ ok: true, value }),
      // A timeout inside the repository (a shared call of withCache, AbortSignal.timeout) is still a timeout: 504.
      (error: unknown) => settle(error instanceof DOMException && error.name === 'TimeoutError' ? TIMED_OUT : { ok: false, reason: 'exception', error }),
    );
  });
}

/**
 * What a repository of this package listens to for its call's abort: the part of `AbortSignal`
 * it uses, so that a signal is one too. Internal to the package.
 */
export interface AbortWatch {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The abort of a repository call as an {@link AbortWatch}, for the repositories of this package
 * (SQL): for a context of {@link callRepository}, one that makes no `AbortController` (on Node 20
 * making one and listening to its signal cost about 20 µs a call, as much CPU as the rest of a
 * database lookup's own work); for any other context, its `signal`. Internal to the package.
 */
export const abortWatchOf = (context: RepositoryContext): AbortWatch => (context instanceof LazyContext ? LazyContext.watchOf(context) : context.signal);

/** An abort heard by its own listeners only, without an EventTarget: each listener is called once, a throw is reported as EventTarget does. */
class CallAbort implements AbortWatch {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/**
 * The context of one call that times out at `timeoutMs` ({@link callRepository}, and the shared
 * calls of `withCache`): its `AbortController` is made on the first read of `signal`, its
 * {@link AbortWatch} on the first {@link abortWatchOf}; both abort with the same reason. A class
 * rather than an object literal with a getter, which V8 builds on a slow path (microseconds per
 * call, more than a cached hit costs). Internal to the package.
 */
export class LazyContext implements RepositoryContext {
  #controller: AbortController | undefined;
  #watch: CallAbort | undefined;
  #reason: DOMException | undefined;

  constructor(private readonly timeoutMs: number) {}

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** A static method, not a member: nothing but `signal` shows on the context a repository gets. */
  static watchOf(context: LazyContext): AbortWatch {
    if (context.#watch === undefined) {
      context.#watch = new CallAbort();
      if (context.#reason !== undefined) context.#watch.abort(context.#reason);
    }
    return context.#watch;
  }

  /** Aborts the call; returns the reason, a `TimeoutError`. */
  timeOut(): DOMException {
    this.#reason ??= timeoutError(this.timeoutMs);
    this.#controller?.abort(this.#reason);
    this.#watch?.abort(this.#reason);
    return this.#reason;
  }
}

const timeoutError = (timeoutMs: number) => new DOMException(`The CRM did not answer within ${timeoutMs} ms`, 'TimeoutError');
