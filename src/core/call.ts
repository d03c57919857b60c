import type { Outcome } from '../contract/result.js';
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
 * Calls a repository method with a context whose `signal` aborts at `timeoutMs`, and turns a
 * throw, a rejection (of anything) or the timeout into an outcome instead of an exception. A
 * rejection with a `TimeoutError` counts as the timeout.
 *
 * The `AbortController` and the timer exist only when needed: a repository that answers
 * synchronously (the memory repository) costs neither, one that never reads `signal` costs no
 * controller.
 */
export function callRepository<T>(call: (context: RepositoryContext) => MaybePromise<T>, timeoutMs: number): MaybePromise<CallOutcome<T>> {
  const context = new LazyContext(timeoutMs);
  let result: MaybePromise<T>;
  try {
    result = call(context);
  } catch (error) {
    return { ok: false, reason: 'exception', error };
  }
  if (!isThenable(result)) return { ok: true, value: result };
  return new Promise<CallOutcome<T>>((resolve) => {
    const timer = setTimeout(() => {
      context.timeOut();
      resolve(TIMED_OUT);
    }, timeoutMs);
    Promise.resolve(result).then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        // A timeout inside the repository (a shared call of withCache, AbortSignal.timeout) is still a timeout: 504.
        resolve(error instanceof DOMException && error.name === 'TimeoutError' ? TIMED_OUT : { ok: false, reason: 'exception', error });
      },
    );
  });
}

/**
 * The context of one call: its `AbortController` is made on the first read of `signal`. A class
 * rather than an object literal with a getter, which V8 builds on a slow path (microseconds per
 * call, more than a cached hit costs).
 */
class LazyContext implements RepositoryContext {
  #controller: AbortController | undefined;
  #timedOut = false;

  constructor(private readonly timeoutMs: number) {}

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#timedOut && !this.#controller.signal.aborted) this.#controller.abort(timeoutError(this.timeoutMs));
    return this.#controller.signal;
  }

  timeOut(): void {
    this.#timedOut = true;
    this.#controller?.abort(timeoutError(this.timeoutMs));
  }
}

const timeoutError = (timeoutMs: number) => new DOMException(`The CRM did not answer within ${timeoutMs} ms`, 'TimeoutError');
