import { baselineLookup } from '../lib/customers.js';
import { dataSet } from '../lib/datasets.js';
import { nsPerRequest, prepareRequests } from '../lib/loop.js';
import { compare, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const SIZE = 1_000_000;
const PER_ROUND = 200_000;

/**
 * Benchmark 1: `connector.handle` for `GET /customer` over a memory repository of a million
 * customers, against the hand-written `URLSearchParams` + `Map` baseline over the same objects.
 */
export async function inprocess(rounds: number): Promise<SuiteResult> {
  const { connector, index } = await dataSet(SIZE);
  const requests = prepareRequests(SIZE);
  const ours = (request: (typeof requests)[number]) => connector.handle(request);
  const baseline = (request: (typeof requests)[number]) => baselineLookup(index, request.url);

  // Apples to apples: both must send the very same body for the same request.
  for (const request of requests.slice(0, 100)) {
    const [a, b] = [await ours(request), baseline(request)];
    if (a.status !== 200 || a.body !== b.body) throw new Error(`ours and the baseline disagree on ${request.url}`);
  }
  await nsPerRequest(ours, requests, PER_ROUND);
  await nsPerRequest(baseline, requests, PER_ROUND);

  const samples = await interleave(rounds, {
    ours: () => nsPerRequest(ours, requests, PER_ROUND),
    baseline: () => nsPerRequest(baseline, requests, PER_ROUND),
  });
  const row = compare('GET /customer in-process, 1,000,000 customers', 'ns/req', samples, 'URLSearchParams + Map + JSON.stringify', 1.2);
  row.note = `${PER_ROUND.toLocaleString('en-US')} requests per round for random existing phones (\`phone:+92…\`, the + arriving as a space), each awaited.`;
  return { suite: 'inprocess', title: '1. In-process cost per request', rows: [row] };
}
