import type { MaybePromise, RepositoryContext } from './repository.js';

/** How a repository call ended. */
export type CallOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'exception'; error: unknown }
  | { ok: false; reason: 'timeout' };

const TIMED_OUT = { ok: false, reason: 'timeout' } as const;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';

/**
 * Calls a repository method with a context whose `signal` aborts at `timeoutMs`, and turns a
 * throw, a rejection (of anything) or the timeout into an outcome instead of an exception.
 *
 * The `AbortController` and the timer exist only when needed: a repository that answers
 * synchronously (the memory repository) costs neither, one that never reads `signal` costs no
 * controller.
 */
export function callRepository<T>(call: (context: RepositoryContext) => MaybePromise<T>, timeoutMs: number): MaybePromise<CallOutcome<T>> {
  let controller: AbortController | undefined;
  let timedOut = false;
  const context: RepositoryContext = {
    get signal() {
      controller ??= new AbortController();
      if (timedOut && !controller.signal.aborted) controller.abort(timeoutError(timeoutMs));
      return controller.signal;
    },
  };
  let result: MaybePromise<T>;
  try {
    result = call(context);
  } catch (error) {
    return { ok: false, reason: 'exception', error };
  }
  if (!isThenable(result)) return { ok: true, value: result };
  return new Promise<CallOutcome<T>>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      controller?.abort(timeoutError(timeoutMs));
      resolve(TIMED_OUT);
    }, timeoutMs);
    Promise.resolve(result).then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: 'exception', error });
      },
    );
  });
}

const timeoutError = (timeoutMs: number) => new DOMException(`The CRM did not answer within ${timeoutMs} ms`, 'TimeoutError');
