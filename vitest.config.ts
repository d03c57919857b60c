import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/db needs real database servers: `npm run test:db` (vitest.db.config.ts) runs it.
    exclude: [...configDefaults.exclude, 'test/db/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // What code under test writes to stderr is captured per test (and asserted where expected), not printed.
    setupFiles: ['test/support/quiet-stderr.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Servers under test bind 127.0.0.1:0; nothing here needs isolation between files beyond that.
    pool: 'forks',
  },
});
