/**
 * `priority-routing-crm serve` (the real command, through `runServe`, as the test fixture does)
 * over a repository that behaves like a database behind a connection pool: `POOL_SIZE`
 * connections, each query holding one for `QUERY_MS`, callers beyond the pool waiting in line.
 * Lookups and label reads share the pool, as they share `pg`'s. Arguments go to `serve`.
 * Answers `'calls'` over IPC with how many queries each method made.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { runServe } from '../../src/cli/serve.js';
import { createMemoryRepository, sampleDataSet } from '../../src/index.js';

export const POOL_SIZE = 4;
export const QUERY_MS = 10;

const memory = createMemoryRepository(sampleDataSet);
const waiting: Array<() => void> = [];
let free = POOL_SIZE;
const calls = { findCustomerByPhone: 0, listLabels: 0 };

/** Runs `query` on a pooled connection, after waiting for one. */
async function pooled<T>(query: () => T): Promise<T> {
  if (free > 0) free -= 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    await delay(QUERY_MS);
    return query();
  } finally {
    const next = waiting.shift();
    if (next === undefined) free += 1;
    else next();
  }
}

process.on('message', (message) => {
  if (message === 'calls') process.send?.({ ...calls });
});

process.exitCode = await runServe(process.argv.slice(2), {
  openRepository: async () => ({
    describe: `pooled fake database (${POOL_SIZE} connections, ${QUERY_MS} ms a query)`,
    repository: {
      findCustomerByPhone: (query) => {
        calls.findCustomerByPhone += 1;
        return pooled(() => memory.findCustomerByPhone(query));
      },
      listLabels: () => {
        calls.listLabels += 1;
        return pooled(() => memory.listLabels());
      },
    },
  }),
});
