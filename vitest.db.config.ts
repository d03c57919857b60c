import { defineConfig } from 'vitest/config';

// The real-server suite: `npm run test:db` runs it under scripts/db-servers.sh, which starts
// PostgreSQL and MariaDB and sets PRC_TEST_POSTGRES_URL / PRC_TEST_MYSQL_URL. `npm test` never
// picks these files up (vitest.config.ts includes test/**/*.test.ts but excludes test/db).
export default defineConfig({
  test: {
    include: ['test/db/**/*.test.ts'],
    // Programs the tests start (the CLI, the serve fixture) are bundled once for the run.
    globalSetup: ['test/support/db-global-setup.ts', 'test/support/bundle-programs.ts'],
    setupFiles: ['test/support/quiet-stderr.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The files share two servers and one of them stops and restarts a server: one file at a time.
    fileParallelism: false,
  },
});
