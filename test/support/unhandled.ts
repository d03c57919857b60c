import { afterAll, beforeAll } from 'vitest';

/**
 * Records every `unhandledRejection` the process sees while the enclosing `describe` runs:
 * a server that leaves one behind would take the whole process down in production.
 */
export function watchUnhandledRejections(): { readonly seen: unknown[]; settled(): Promise<unknown[]> } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', listener);
  });
  afterAll(() => {
    process.off('unhandledRejection', listener);
  });
  return {
    seen,
    // Node reports an unhandled rejection after the microtask queue drains: wait past that.
    settled: () => new Promise((resolve) => setTimeout(() => resolve(seen), 50)),
  };
}
