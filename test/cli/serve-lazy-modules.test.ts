import { describe, expect, it, vi } from 'vitest';

// Issue 21.5: start-up. The SQL code (the repository, its mapping schemas, 60 kB of the CLI) is
// loaded only when serve opens a database, and the cache (with lru-cache) only when it is on:
// the sample data and --data files start without them.
const loaded = vi.hoisted(() => ({ database: 0, cache: 0 }));
vi.mock('../../src/cli/serve/database.js', async (importOriginal) => {
  loaded.database += 1;
  return importOriginal();
});
vi.mock('../../src/repositories/cache.js', async (importOriginal) => {
  loaded.cache += 1;
  return importOriginal();
});

const { resolveServeConfig } = await import('../../src/cli/serve/config.js');
const { openRepository } = await import('../../src/cli/serve/repository.js');
const { untilConnected } = await import('../../src/cli/serve/database-wait.js');
const { readResilience } = await import('../../src/cli/serve/resilience.js');
const { noMetrics } = await import('../../src/cli/serve/metrics.js');
const { closedPort } = await import('../support/listen.js');

const configIn = async (env: Record<string, string>) => (await resolveServeConfig({}, env, false)).config;

const log = { info() {}, warn() {} };

describe("serve's start path loads the SQL code only for a database, the cache only when on", () => {
  it('opens the sample data without loading either', async () => {
    const config = await configIn({});
    const source = await openRepository(config);
    expect(source.sampleData).toBe(true);
    expect(untilConnected(source.repository, undefined)).toBe(source.repository);
    const resilience = readResilience(config, false);
    expect(await resilience.wrap(source.repository, log, noMetrics)).toBe(source.repository);
    expect(loaded).toEqual({ database: 0, cache: 0 });
  });

  it('loads the cache for --labels-ttl', async () => {
    const config = await configIn({ PRC_LABELS_TTL: '1000' });
    const source = await openRepository(config);
    const wrapped = await readResilience(config, false).wrap(source.repository, log, noMetrics);
    expect(wrapped).not.toBe(source.repository);
    expect(loaded.cache).toBe(1);
  });

  it('loads it for --database', async () => {
    const port = await closedPort();
    await expect(openRepository(await configIn({ DATABASE_URL: `postgres://crm@127.0.0.1:${port}/crm`, PRC_MAPPING: 'no-such-mapping.json', PRC_DATABASE_WAIT: '0' }))).rejects.toThrow(/mapping|no-such-mapping/);
    expect(loaded.database).toBe(1);
  });
});
