import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/db needs real database servers: `npm run test:db` (vitest.db.config.ts) runs it;
    // test/browser a real Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, 'test/db/**', 'test/browser/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Servers under test bind 127.0.0.1:0; nothing here needs isolation between files beyond that.
    pool: 'forks',
  },
});
