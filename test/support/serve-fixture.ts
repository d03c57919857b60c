/**
 * `serve` over a repository the test controls, run as a child process by test/support's
 * spawnServe({ entry: SERVE_FIXTURE }): the real command (flags, environment, signals, logs)
 * with only the repository swapped through runServe's documented dependency. Nothing in src/
 * reads these variables.
 *
 * - FIXTURE_CUSTOMER_DELAY_MS: each customer lookup waits this long (a slow request), printing
 *   "fixture: lookup started" on stderr first.
 * - FIXTURE_INVALID_CUSTOMER=1: lookups return a customer that breaks the contract (502).
 * - FIXTURE_LABELS_FAIL=1: listLabels throws (readiness fails).
 * - FIXTURE_CUSTOMERS_FAIL=1: lookups reject (a CRM that is down), after any FIXTURE_CUSTOMER_DELAY_MS.
 * The repository's close hook prints "fixture: repository closed" on stderr.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { runServe } from '../../src/cli/serve.js';
import { createMemoryRepository, sampleDataSet } from '../../src/index.js';

const memory = createMemoryRepository(sampleDataSet);
const customerDelay = Number(process.env.FIXTURE_CUSTOMER_DELAY_MS ?? 0);

process.exitCode = await runServe(process.argv.slice(2), {
  openRepository: async () => ({
    describe: 'fixture repository',
    repository: {
      async findCustomerByPhone(query) {
        if (customerDelay > 0) {
          process.stderr.write('fixture: lookup started\n');
          await delay(customerDelay);
        }
        if (process.env.FIXTURE_CUSTOMERS_FAIL === '1') throw new Error('CRM is down');
        const customer = await memory.findCustomerByPhone(query);
        return process.env.FIXTURE_INVALID_CUSTOMER === '1' && customer ? { ...customer, updatedAt: 'yesterday' } : customer;
      },
      listLabels() {
        if (process.env.FIXTURE_LABELS_FAIL === '1') throw new Error('labels table is gone');
        return memory.listLabels();
      },
    },
    close: () => {
      process.stderr.write('fixture: repository closed\n');
    },
  }),
});
