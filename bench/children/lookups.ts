/**
 * The in-process workloads of the `inprocess` and `phone` suites, driven over IPC so that a
 * parent can run fixed batches of them under callgrind: `{ run: n }` answers `n` requests and
 * replies `'done'` (`{ run: n, counted: true }`: between the marks callgrind counts between, see
 * `count-marks.ts`); `'exit'` exits cleanly. Workloads:
 * `inprocess-ours` (`connector.handle`), `inprocess-baseline` (URLSearchParams + Map +
 * JSON.stringify), `phone-pk` (`defaultCountry: 'PK'`), `phone-digits` (digits only),
 * `async-ours` (`connector.handle` over a repository that answers from a `Map` in a promise, as
 * every database and CRM repository does) and `async-baseline` (the same `Map` lookup behind a
 * promise, with `URLSearchParams` and `JSON.stringify`).
 */
import { asyncBaselineLookup, asyncRepository, baselineIndex, baselineLookup, generateCustomers } from '../lib/customers.js';
import { loadMain } from '../lib/library.js';
import { prepareRequests } from '../lib/loop.js';
import { startCounting, stopCounting } from './count-marks.js';

const [workload = '', sizeText = '100000'] = process.argv.slice(2);
const size = Number(sizeText);
const { createConnector, createMemoryRepository, sampleLabels } = await loadMain();
const customers = generateCustomers(size, sampleLabels);
const requests = prepareRequests(size);

function answerer(): (request: (typeof requests)[number]) => unknown {
  if (workload === 'inprocess-baseline') {
    const index = baselineIndex(customers);
    return (request) => baselineLookup(index, request.url);
  }
  if (workload === 'async-baseline') {
    const index = baselineIndex(customers);
    return (request) => asyncBaselineLookup(index, request.url);
  }
  if (workload === 'async-ours') {
    const connector = createConnector({ repository: asyncRepository(baselineIndex(customers), sampleLabels) });
    return (request) => connector.handle(request);
  }
  const defaultCountry = workload === 'phone-pk' ? ('PK' as const) : undefined;
  if (!['inprocess-ours', 'phone-pk', 'phone-digits'].includes(workload)) throw new Error(`unknown workload ${workload}`);
  const connector = createConnector({ repository: createMemoryRepository({ customers, labels: sampleLabels }, { defaultCountry }), defaultCountry });
  return (request) => connector.handle(request);
}

const answer = answerer();
let next = 0;
process.on('message', async (message: unknown) => {
  if (message === 'exit') process.exit(0);
  const { run: count = 0, counted = false } = message as { run?: number; counted?: boolean };
  if (counted) startCounting();
  for (let index = 0; index < count; index++) await answer(requests[next++ & (requests.length - 1)] as (typeof requests)[number]);
  if (counted) stopCounting();
  process.send?.('done');
});
process.send?.('ready');
