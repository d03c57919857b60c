import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorRequest, CustomerRepository } from '../../src/index.js';
import { generateCustomers, phoneOf } from '../lib/customers.js';
import { loadMain } from '../lib/library.js';
import { nsPerRequest, prepareRequests } from '../lib/loop.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave, median, seededRandom } from '../lib/stats.js';

const SIZE = 10_000;
const PER_ROUND = 200_000;
const MIX_REQUESTS = 10_000;
const MIX_NUMBERS = 1_000;
const MIX_CONCURRENCY = 50;
const CRM_LATENCY_MS = 2;

/**
 * Benchmark 6: `withCache` and `withCircuitBreaker` (resilience). The cached label path and a
 * cached customer hit, through `connector.handle`, against the memory repository's direct path
 * over the same data; and how many repository calls 10,000 requests of a realistic mix cost with
 * and without the cache.
 */
export async function resilience(rounds: number): Promise<SuiteResult> {
  const { createConnector, createMemoryRepository, sampleLabels, withCache, withCircuitBreaker } = await loadMain();
  const customers = generateCustomers(SIZE, sampleLabels);
  const memory = createMemoryRepository({ customers, labels: sampleLabels });
  // The CRM as a vendor's repository is: asynchronous, so every miss is a real wait.
  const crm: CustomerRepository = {
    findCustomerByPhone: async (query) => memory.findCustomerByPhone(query),
    listLabels: async () => memory.listLabels(),
  };
  const direct = createConnector({ repository: memory });
  const cached = createConnector({
    repository: withCache(withCircuitBreaker(crm), { customersTtlMs: 3_600_000, maxCustomers: SIZE }),
  });

  const customerRequests = prepareRequests(SIZE);
  const labelRequest: ConnectorRequest = { method: 'GET', url: '/label', headers: { host: '127.0.0.1' } };
  const labelRequests = Array.from({ length: customerRequests.length }, () => labelRequest);
  // Warm the cache with every customer and the list; both ways must answer alike.
  for (const request of [...customerRequests, labelRequest]) {
    const [a, b] = [await cached.handle(request), await direct.handle(request)];
    if (a.status !== 200 || a.body !== b.body) throw new Error(`cached and direct disagree on ${request.url}`);
  }

  const rows: Row[] = [];
  for (const [name, requests] of [
    ['GET /label in-process, cached (withCache) vs memory repository', labelRequests],
    ['GET /customer in-process, cached hit (customersTtlMs) vs memory repository', customerRequests],
  ] as const) {
    const ours = (request: ConnectorRequest) => cached.handle(request);
    const baseline = (request: ConnectorRequest) => direct.handle(request);
    await nsPerRequest(ours, requests, PER_ROUND);
    await nsPerRequest(baseline, requests, PER_ROUND);
    const samples = await interleave(rounds, {
      ours: () => nsPerRequest(ours, requests, PER_ROUND),
      baseline: () => nsPerRequest(baseline, requests, PER_ROUND),
    });
    const row = compare(name, 'ns/req', samples, 'createMemoryRepository, direct', 1.2);
    row.note = `${PER_ROUND.toLocaleString('en-US')} requests per round, each awaited; the cached repository wraps an async CRM over the same ${SIZE.toLocaleString('en-US')} customers, under withCircuitBreaker; spread ${spread(samples.ours)} vs ${spread(samples.baseline)}.`;
    rows.push(row);
  }

  const mixes = await interleave(rounds, {
    none: () => callsForMix(crm, (repository) => repository),
    defaults: () => callsForMix(crm, (repository) => withCache(repository)),
    customers: () => callsForMix(crm, (repository) => withCache(repository, { customersTtlMs: 60_000 })),
  });
  for (const [key, label] of [
    ['defaults', 'withCache defaults (labels 30 s, customers not kept)'],
    ['customers', 'withCache, customersTtlMs 60000'],
  ] as const) {
    const row = compare(`repository calls per ${MIX_REQUESTS.toLocaleString('en-US')} requests, ${label}`, 'calls', { ours: mixes[key], baseline: mixes.none }, 'no cache');
    row.note = `Half GET /customer for ${MIX_NUMBERS.toLocaleString('en-US')} numbers drawn from a Zipf (s = 1) distribution, half GET /label, ${MIX_CONCURRENCY} in flight, CRM answering in ${CRM_LATENCY_MS} ms; min–max over rounds ${spread(mixes[key])} vs ${spread(mixes.none)}.`;
    rows.push(row);
  }
  const bursts = await interleave(rounds, { cold: () => labelBurstMs('cold'), warm: () => labelBurstMs('warm') });
  const burst = compare(`a burst of ${BURST.toLocaleString('en-US')} concurrent GET /label, cold withCache`, 'ms', { ours: bursts.cold, baseline: bursts.warm }, 'the same burst, list cached');
  burst.note = `in-process; a CRM that answers a fresh copy of the list; cold: one coalesced CRM call whose list every request then validates, serialises and hashes (once per distinct list since issue 21.3); min–max ${spread(bursts.cold)} vs ${spread(bursts.warm)}.`;
  rows.push(burst);
  return { suite: 'resilience', title: '6. Cache and circuit breaker', rows };
}

const BURST = 1_000;

/** Milliseconds for `BURST` concurrent `GET /label` on a fresh `withCache`: its first burst (`cold`) or its second (`warm`). */
async function labelBurstMs(kind: 'cold' | 'warm'): Promise<number> {
  const { createConnector, sampleLabels, withCache } = await loadMain();
  const crm: CustomerRepository = {
    findCustomerByPhone: async () => null,
    listLabels: async () => sampleLabels.map((label) => ({ ...label })),
  };
  const connector = createConnector({ repository: withCache(crm) });
  const burst = async () => {
    const responses = await Promise.all(Array.from({ length: BURST }, () => connector.handle({ url: '/label' })));
    if (responses.some((response) => response.status !== 200)) throw new Error('label burst: not every answer was 200');
  };
  if (kind === 'warm') await burst();
  const started = performance.now();
  await burst();
  return performance.now() - started;
}

const spread = (samples: readonly number[]) =>
  `${Math.round(Math.min(...samples)).toLocaleString('en-US')}–${Math.round(Math.max(...samples)).toLocaleString('en-US')} (median ${Math.round(median(samples)).toLocaleString('en-US')})`;

/** Draws a rank from 0 to n - 1 with probability proportional to 1 / (rank + 1). */
function zipf(n: number, random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < n; rank++) cumulative.push((total += 1 / (rank + 1)));
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

/** The repository calls that `MIX_REQUESTS` requests (seeded, the same every round) cost through `wrap(crm)`. */
async function callsForMix(crm: CustomerRepository, wrap: (repository: CustomerRepository) => CustomerRepository): Promise<number> {
  const { createConnector } = await loadMain();
  let calls = 0;
  const counted: CustomerRepository = {
    findCustomerByPhone: async (query, context) => {
      calls += 1;
      await sleep(CRM_LATENCY_MS);
      return crm.findCustomerByPhone(query, context);
    },
    listLabels: async (context) => {
      calls += 1;
      await sleep(CRM_LATENCY_MS);
      return crm.listLabels(context);
    },
  };
  const connector = createConnector({ repository: wrap(counted) });
  const random = seededRandom(7);
  const rank = zipf(MIX_NUMBERS, random);
  const urls = Array.from({ length: MIX_REQUESTS }, (_, index) =>
    index % 2 === 1 ? '/label' : `/customer?query=phone:${encodeURIComponent(phoneOf(rank()))}`,
  );
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const response = await connector.handle({ url: urls[next++] as string });
      if (response.status !== 200) throw new Error(`mix: ${response.status} ${response.body}`);
    }
  };
  await Promise.all(Array.from({ length: MIX_CONCURRENCY }, worker));
  return calls;
}
