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
 * - FIXTURE_CUSTOMERS_FAIL_DETAIL=<n>: their error's message carries n more characters (a CRM's error page quoted).
 * - FIXTURE_CUSTOMERS_FAIL_MESSAGE=<text>: their error's message is this (instead of "CRM is down").
 * - FIXTURE_LABELS_FAIL_WHILE=<file>: listLabels throws while that file exists (an outage the test ends).
 * - FIXTURE_LABELS_DELAY_MS: each listLabels waits this long.
 * - FIXTURE_COUNT_LABELS=1: each listLabels prints "fixture: listLabels" on stderr.
 * The repository's close hook prints "fixture: repository closed" on stderr.
 */
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { runServe } from '../../src/cli/serve.js';
import { createMemoryRepository, sampleDataSet } from '../../src/index.js';

const memory = createMemoryRepository(sampleDataSet);
const customerDelay = Number(process.env.FIXTURE_CUSTOMER_DELAY_MS ?? 0);
const labelsDelay = Number(process.env.FIXTURE_LABELS_DELAY_MS ?? 0);
const labelsFailWhile = process.env.FIXTURE_LABELS_FAIL_WHILE;
const failDetail = Number(process.env.FIXTURE_CUSTOMERS_FAIL_DETAIL ?? 0);

process.exitCode = await runServe(process.argv.slice(2), {
  openRepository: async () => ({
    describe: 'fixture repository',
    repository: {
      async findCustomerByPhone(query) {
        if (customerDelay > 0) {
          process.stderr.write('fixture: lookup started\n');
          await delay(customerDelay);
        }
        if (process.env.FIXTURE_CUSTOMERS_FAIL === '1') throw new Error(`${process.env.FIXTURE_CUSTOMERS_FAIL_MESSAGE ?? 'CRM is down'}${'.'.repeat(failDetail)}`);
        const customer = await memory.findCustomerByPhone(query);
        return process.env.FIXTURE_INVALID_CUSTOMER === '1' && customer ? { ...customer, updatedAt: 'yesterday' } : customer;
      },
      async listLabels() {
        if (process.env.FIXTURE_COUNT_LABELS === '1') process.stderr.write('fixture: listLabels\n');
        if (labelsDelay > 0) await delay(labelsDelay);
        if (process.env.FIXTURE_LABELS_FAIL === '1') throw new Error('labels table is gone');
        if (labelsFailWhile !== undefined && existsSync(labelsFailWhile)) throw new Error('the database is down');
        return memory.listLabels();
      },
    },
    close: () => {
      process.stderr.write('fixture: repository closed\n');
    },
  }),
});
