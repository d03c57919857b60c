import { describe, expect, it, vi } from 'vitest';

// Issue 21.5: start-up. The SQL code (the repository, its mapping schemas, 60 kB of the CLI) is
// loaded only when serve opens a database; the sample data and --data files start without it.
const loaded = vi.hoisted(() => ({ database: 0 }));
vi.mock('../../src/cli/serve/database.js', async (importOriginal) => {
  loaded.database += 1;
  return importOriginal();
});

const { resolveServeConfig } = await import('../../src/cli/serve/config.js');
const { openRepository } = await import('../../src/cli/serve/repository.js');
const { untilConnected } = await import('../../src/cli/serve/database-wait.js');
const { closedPort } = await import('../support/listen.js');

const configIn = async (env: Record<string, string>) => (await resolveServeConfig({}, env, false)).config;

describe("serve's start path loads the SQL code only for a database", () => {
  it('opens the sample data without loading it', async () => {
    const source = await openRepository(await configIn({}));
    expect(source.sampleData).toBe(true);
    expect(untilConnected(source.repository, undefined)).toBe(source.repository);
    expect(loaded.database).toBe(0);
  });

  it('loads it for --database', async () => {
    const port = await closedPort();
    await expect(openRepository(await configIn({ DATABASE_URL: `postgres://crm@127.0.0.1:${port}/crm`, PRC_MAPPING: 'no-such-mapping.json', PRC_DATABASE_WAIT: '0' }))).rejects.toThrow(/mapping|no-such-mapping/);
    expect(loaded.database).toBe(1);
  });
});
