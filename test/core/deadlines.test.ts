/**
 * The repository calls' deadlines: one timer per `timeoutMs` for every call running with it,
 * instead of a timer per call. It must behave as a timer per call did: each call expires exactly
 * `timeoutMs` after it started, whatever ran before or beside it; a stopped call never expires;
 * the timer holds the process exactly while a call is running.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortWatchOf } from '../../src/core/call.js';
import { DeadlineList, deadlinesFor } from '../../src/core/deadlines.js';
import { type ConnectorErrorEvent, createConnector, type RepositoryContext, sampleCustomer } from '../../src/index.js';

const TIMEOUT_MS = 3000;

describe('a deadline list (fake clock: setTimeout and performance.now move together)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires each of many overlapping calls, started at different times, exactly timeoutMs after its start', async () => {
    const list = new DeadlineList(TIMEOUT_MS);
    const origin = performance.now();
    const startsAt = [0, 0, 1, 7, 13, 500, 1499, 2999, 3000, 3001, 4500, 5999];
    const expiredAt = new Map<number, number>();
    let clock = 0;
    for (const [index, at] of startsAt.entries()) {
      // Move the clock one millisecond at a time up to this call's start, so every firing is seen.
      while (clock < at) {
        await vi.advanceTimersByTimeAsync(1);
        clock++;
      }
      list.start(() => expiredAt.set(index, performance.now() - origin));
    }
    while (expiredAt.size < startsAt.length && clock < 20_000) {
      await vi.advanceTimersByTimeAsync(1);
      clock++;
    }
    expect([...expiredAt.entries()].sort(([a], [b]) => a - b).map(([, at]) => at)).toEqual(startsAt.map((at) => at + TIMEOUT_MS));
    expect(list.state).toEqual({ running: 0, timer: 'none' });
  });

  it('never expires a stopped call, in front, behind or beside running ones; a stop after expiry or a second stop does nothing', async () => {
    const list = new DeadlineList(TIMEOUT_MS);
    const expired: string[] = [];
    const first = list.start(() => expired.push('first'));
    await vi.advanceTimersByTimeAsync(10);
    const second = list.start(() => expired.push('second'));
    await vi.advanceTimersByTimeAsync(10);
    const third = list.start(() => expired.push('third'));
    list.stop(first);
    list.stop(third);
    expect(first.expire).toBeUndefined(); // a stopped call keeps nothing alive
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 11);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expired).toEqual(['second']);
    list.stop(second);
    list.stop(first);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS * 2);
    expect(expired).toEqual(['second']);
    expect(list.state.running).toBe(0);
  });

  it('holds the process exactly while a call runs: ref while running, unref (still armed) when none runs, gone after it fires idle', async () => {
    const list = new DeadlineList(TIMEOUT_MS);
    const one = list.start(() => {});
    expect(list.state.timer).toBe('ref');
    list.stop(one);
    expect(list.state).toEqual({ timer: 'unref', running: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    const two = list.start(() => {});
    expect(list.state.timer).toBe('ref');
    list.stop(two);
    expect(list.state.timer).toBe('unref');
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(list.state).toMatchObject({ timer: 'none', running: 0 });
  });

  it('still expires the others when one expiry throws, and throws that error in a microtask, as a timer would', async () => {
    const list = new DeadlineList(TIMEOUT_MS);
    const expired: number[] = [];
    const bug = new Error('a listener bug');
    list.start(() => {
      throw bug;
    });
    list.start(() => expired.push(2));
    // The rethrow is caught here instead of reaching the test runner as an uncaught exception.
    const deferred: Array<() => void> = [];
    const queued = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => void deferred.push(callback));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    queued.mockRestore();
    expect(expired).toEqual([2]);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]?.()).toThrow(bug);
    expect(list.state.running).toBe(0);
  });

  it('expires a call started by an expiring one at its own time, with one timer armed', async () => {
    const list = new DeadlineList(TIMEOUT_MS);
    const origin = performance.now();
    const expiredAt: number[] = [];
    list.start(() => {
      expiredAt.push(performance.now() - origin);
      list.start(() => expiredAt.push(performance.now() - origin));
    });
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(expiredAt).toEqual([TIMEOUT_MS]);
    expect(list.state).toEqual({ running: 1, timer: 'ref' });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(expiredAt).toEqual([TIMEOUT_MS]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expiredAt).toEqual([TIMEOUT_MS, 2 * TIMEOUT_MS]);
    expect(list.state).toEqual({ running: 0, timer: 'none' });
  });

  it('keeps one list per timeoutMs, shared by every caller', () => {
    expect(deadlinesFor(1234)).toBe(deadlinesFor(1234));
    expect(deadlinesFor(1234)).not.toBe(deadlinesFor(1235));
  });

  it('answers 504 to each of many overlapping lookups at its own timeoutMs, aborting its watch with a TimeoutError, and then serves the next', async () => {
    const events: ConnectorErrorEvent[] = [];
    const contexts: RepositoryContext[] = [];
    let hang = true;
    const connector = createConnector({
      timeoutMs: TIMEOUT_MS,
      onError: (event) => void events.push(event),
      repository: {
        findCustomerByPhone: (_query, context) => {
          contexts.push(context);
          return hang ? new Promise(() => {}) : Promise.resolve(sampleCustomer);
        },
        listLabels: async () => [],
      },
    });
    const origin = performance.now();
    const answeredAt: number[] = [];
    const startsAt = [0, 5, 5, 250, 2000, 2999];
    let clock = 0;
    const answers: Array<Promise<unknown>> = [];
    for (const at of startsAt) {
      await vi.advanceTimersByTimeAsync(at - clock);
      clock = at;
      const index = answers.length;
      answers.push(
        connector.handle({ url: '/customer?query=phone:1111' }).then((response) => {
          answeredAt[index] = performance.now() - origin;
          return response.status;
        }),
      );
    }
    for (let step = 0; step < 6000 && answeredAt.filter((at) => at !== undefined).length < startsAt.length; step++) await vi.advanceTimersByTimeAsync(1);
    expect(await Promise.all(answers)).toEqual(startsAt.map(() => 504));
    expect(answeredAt).toEqual(startsAt.map((at) => at + TIMEOUT_MS));
    for (const context of contexts) {
      const watch = abortWatchOf(context);
      expect(watch.aborted).toBe(true);
      expect((watch.reason as DOMException).name).toBe('TimeoutError');
      expect(context.signal.reason).toBe(watch.reason);
    }
    expect(events.map((event) => event.kind)).toEqual(startsAt.map(() => 'timeout'));
    hang = false;
    expect((await connector.handle({ url: '/customer?query=phone:1111' })).status).toBe(200);
  });
});

describe('a deadline list across fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('still times out a call after fake timers are put back, whatever timer they left armed', async () => {
    const timeoutMs = 41; // a list of its own
    let hang = false;
    const connector = createConnector({
      timeoutMs,
      onError: () => {},
      repository: { findCustomerByPhone: () => (hang ? new Promise(() => {}) : Promise.resolve(sampleCustomer)), listLabels: async () => [] },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect((await connector.handle({ url: '/customer?query=phone:1111' })).status).toBe(200); // leaves a fake timer armed
    vi.useRealTimers();
    hang = true;
    expect((await connector.handle({ url: '/customer?query=phone:1111' })).status).toBe(504);
  });
});

describe('the deadline timer and the process (real processes)', () => {
  const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
  const run = (script: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });

  it('keeps the process alive while a call hangs, until its 504', () => {
    const child = run(`
      import { createConnector } from ${JSON.stringify(entry)};
      const connector = createConnector({ timeoutMs: 300, repository: { findCustomerByPhone: () => new Promise(() => {}), listLabels: () => [] }, onError: () => {} });
      connector.handle({ url: '/customer?query=phone:1111' }).then((response) => console.log('status', response.status));
    `);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('status 504');
  });

  it('lets the process exit once its calls are over, without waiting for timeoutMs', () => {
    const started = Date.now();
    const child = run(`
      import { createConnector, sampleCustomer } from ${JSON.stringify(entry)};
      const connector = createConnector({ timeoutMs: 120000, repository: { findCustomerByPhone: async () => sampleCustomer, listLabels: async () => [] } });
      const first = await connector.handle({ url: '/customer?query=phone:1111' });
      const second = await connector.handle({ url: '/customer?query=phone:1111' });
      console.log('status', first.status, second.status);
    `);
    expect(child.error).toBeUndefined(); // not killed at spawnSync's 60 s
    expect(child.stdout.trim()).toBe('status 200 200');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
