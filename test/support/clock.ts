import { afterEach, vi } from 'vitest';

/** The frozen clock's start, 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * Freezes `Date` at {@link T0} for this test and returns a function that moves it to `T0 + ms`.
 * Only `Date` is faked: HTTP, timers and sleeps stay real, so servers keep working. Call
 * {@link restoreClockAfterEach} once in the file.
 */
export function freezeClock(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  return (ms) => vi.setSystemTime(T0 + ms);
}

/** Puts the real clock back after every test of the file. */
export function restoreClockAfterEach(): void {
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Options for `vi.waitFor` on background work (a refresh, a retry): it takes milliseconds, but
 * a loaded 2-core machine can stall a process for about a second, `vi.waitFor`'s default limit.
 * Waiting longer costs nothing when the work is done; it only delays a real failure.
 */
export const BACKGROUND_WAIT = { timeout: 5_000 } as const;
