import { baselineLookup } from '../lib/customers.js';
import { dataSet } from '../lib/datasets.js';
import { nsPerRequest, prepareRequests } from '../lib/loop.js';
import { startChild } from '../lib/child.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const SMALL = 1_000;
const LARGE = 1_000_000;
const PER_ROUND = 200_000;
const HEAP_ROUNDS = 3;

interface Built {
  buildMs: number;
  totalBytes: number;
  indexBytes: number;
}

async function buildInChild(kind: 'ours' | 'map'): Promise<Built> {
  const child = startChild('heap', [kind, String(LARGE)], ['--expose-gc', '--max-old-space-size=4096']);
  try {
    return (await child.ready) as Built;
  } finally {
    await child.stop();
  }
}

/**
 * Benchmark 3: how lookup cost grows from 1,000 to 1,000,000 customers, ours against a plain
 * `Map`'s growth measured the same way; then the index's build time and heap for a million
 * customers against a `Map` of the same objects, each in a fresh process.
 */
export async function scale(rounds: number): Promise<SuiteResult> {
  const small = await dataSet(SMALL);
  const large = await dataSet(LARGE);
  const requests = { small: prepareRequests(SMALL), large: prepareRequests(LARGE) };
  const contenders = {
    oursSmall: () => nsPerRequest((request) => small.connector.handle(request), requests.small, PER_ROUND),
    oursLarge: () => nsPerRequest((request) => large.connector.handle(request), requests.large, PER_ROUND),
    mapSmall: () => nsPerRequest((request) => baselineLookup(small.index, request.url), requests.small, PER_ROUND),
    mapLarge: () => nsPerRequest((request) => baselineLookup(large.index, request.url), requests.large, PER_ROUND),
  };
  for (const warm of Object.values(contenders)) await warm();
  const lookups = await interleave(rounds, contenders);
  const growth = (largeSamples: number[], smallSamples: number[]) => largeSamples.map((value, round) => value / (smallSamples[round] as number));

  const builds = await interleave<'ours' | 'map', Built>(HEAP_ROUNDS, { ours: () => buildInChild('ours'), map: () => buildInChild('map') });
  const pick = (key: keyof Built, scaleBy: number) => ({
    ours: builds.ours.map((built) => built[key] / scaleBy),
    baseline: builds.map.map((built) => built[key] / scaleBy),
  });

  const rows: Row[] = [
    compare('lookup growth, 1,000 → 1,000,000 customers', '×', { ours: growth(lookups.oursLarge, lookups.oursSmall), baseline: growth(lookups.mapLarge, lookups.mapSmall) }, 'Map growth', 1.2),
    compare('lookup at 1,000 customers', 'ns/req', { ours: lookups.oursSmall, baseline: lookups.mapSmall }, 'URLSearchParams + Map'),
    compare('lookup at 1,000,000 customers', 'ns/req', { ours: lookups.oursLarge, baseline: lookups.mapLarge }, 'URLSearchParams + Map'),
    compare('index build, 1,000,000 customers', 'ms', pick('buildMs', 1), 'Map', 1.3),
    compare('heap kept, 1,000,000 customers', 'MB', pick('totalBytes', 1e6), 'Map of the same objects', 1.3),
    compare('heap of the index alone', 'MB', pick('indexBytes', 1e6), 'Map'),
  ];
  rows[0]!.note = 'growth is the median over rounds of (cost at 1,000,000) / (cost at 1,000), each round measuring all four in turn.';
  rows[3]!.note = `each build in a fresh process (--expose-gc), ${HEAP_ROUNDS} rounds; ours validates every record against the contract and indexes phone1…phone5.`;
  rows[4]!.note = 'heap after gc with the index built and the input array dropped, minus the empty process; the customers themselves count for both.';
  return { suite: 'scale', title: '3. Scale', rows };
}
