import { defineConfig } from 'vitest/config';

// The real-browser suite: `npm run test:browser` runs it through scripts/browser-tests.sh, which
// installs Debian's chromium when it is missing. `npm test` never picks these files up
// (vitest.config.ts excludes test/browser).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One Chromium at a time: the machine is small and the screenshots are compared by eye.
    fileParallelism: false,
  },
});
