/**
 * `abortWatchOf`: how the package's own repositories (SQL) hear the connector's timeout without
 * an `AbortController` per call. It must abort exactly when and as the context's `signal` does.
 */
import { describe, expect, it } from 'vitest';
import { abortWatchOf } from '../../src/core/call.js';
import type { RepositoryContext } from '../../src/core/repository.js';
import { createConnector } from '../../src/index.js';

const TIMEOUT_MS = 30;
const lookup = { method: 'GET', url: '/customer?query=phone:1111', headers: { host: 'crm.example' } };

/** A connector whose repository never answers and hands each call's context to `seen`. */
function hangingConnector(seen: (context: RepositoryContext) => void) {
  return createConnector({
    timeoutMs: TIMEOUT_MS,
    repository: {
      findCustomerByPhone: (_query, context) => {
        seen(context);
        return new Promise(() => {});
      },
      listLabels: () => [],
    },
  });
}

describe('abortWatchOf on a context of the connector', () => {
  it('aborts at timeoutMs with a TimeoutError, calling each listener still added once', async () => {
    const calls: string[] = [];
    let watch: ReturnType<typeof abortWatchOf> | undefined;
    const connector = hangingConnector((context) => {
      watch = abortWatchOf(context);
      const removed = () => calls.push('removed');
      watch.addEventListener('abort', () => calls.push(`kept ${String(watch?.aborted)}`), { once: true });
      watch.addEventListener('abort', removed, { once: true });
      watch.removeEventListener('abort', removed);
    });
    expect((await connector.handle(lookup)).status).toBe(504);
    expect(calls).toEqual(['kept true']);
    expect(watch?.aborted).toBe(true);
    expect(watch?.reason).toBeInstanceOf(DOMException);
    expect((watch?.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts with the same reason as the signal, whichever was asked for first or after the timeout', async () => {
    const contexts: RepositoryContext[] = [];
    const connector = hangingConnector((context) => contexts.push(context));
    const early = { signal: undefined as AbortSignal | undefined, watch: undefined as ReturnType<typeof abortWatchOf> | undefined };
    const signalFirst = hangingConnector((context) => {
      early.signal = context.signal;
      early.watch = abortWatchOf(context);
    });
    expect((await connector.handle(lookup)).status).toBe(504);
    expect((await signalFirst.handle(lookup)).status).toBe(504);
    expect(early.signal?.aborted).toBe(true);
    expect(early.watch?.reason).toBe(early.signal?.reason);
    // Asked for only after the timeout: aborted already, and a listener added now is never called.
    const [context] = contexts as [RepositoryContext];
    const late = abortWatchOf(context);
    expect(late.aborted).toBe(true);
    let heard = false;
    late.addEventListener('abort', () => (heard = true));
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS));
    expect(heard).toBe(false);
    expect(context.signal.aborted).toBe(true);
    expect(context.signal.reason).toBe(late.reason);
  });

  it('is not aborted while the call runs in time', async () => {
    let watch: ReturnType<typeof abortWatchOf> | undefined;
    const connector = createConnector({
      timeoutMs: 1000,
      repository: {
        findCustomerByPhone: async (_query, context) => {
          watch = abortWatchOf(context);
          return null;
        },
        listLabels: () => [],
      },
    });
    expect((await connector.handle(lookup)).status).toBe(404);
    expect(watch?.aborted).toBe(false);
    expect(watch?.reason).toBeUndefined();
  });
});

describe('abortWatchOf on any other context', () => {
  it("is the context's own signal", () => {
    const controller = new AbortController();
    expect(abortWatchOf({ signal: controller.signal })).toBe(controller.signal);
  });
});
