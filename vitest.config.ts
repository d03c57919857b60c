import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/db needs real database servers: `npm run test:db` (vitest.db.config.ts) runs it;
    // test/browser a real Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, 'test/db/**', 'test/browser/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // What code under test writes to stderr is captured per test (and asserted where expected), not printed.
    setupFiles: ['test/support/quiet-stderr.ts'],
    // Programs the tests start (the CLI, the serve fixture) are bundled once for the run (test/support/programs.ts).
    globalSetup: ['test/support/bundle-programs.ts'],
    // The tests that run the TypeScript compiler over src/ (test/package/entry-types.test.ts) take
    // 20 s on two busy cores, and two files run at a time: a hung test is still caught.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Servers under test bind 127.0.0.1:0; nothing here needs isolation between files beyond that.
    pool: 'forks',
    // vitest's default is one worker per core but one, which on 2 cores runs every file in turn;
    // most of a file's time is spent waiting on the child processes and servers it starts, so
    // two files at a time overlap those waits (test/cli: 149 s in turn, 129 s two at a time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
