import autocannon from 'autocannon';
import { customerUrls } from '../lib/customers.js';
import { ask, type Drive, instructionsPerBatch } from '../lib/instructions.js';
import type { Row, SuiteResult } from '../lib/report.js';

/** Under callgrind everything runs some 50× slower: a smaller population and fixed batches keep a run to minutes. */
const SIZE = 10_000;
const BATCH = { lookups: 20_000, http: 2_000 } as const;

const lookups: Drive = async (child, batches) => {
  await ask(child, { run: BATCH.lookups }); // warm-up: JIT tiers, inline caches
  for (let batch = 0; batch < batches; batch++) await ask(child, { run: BATCH.lookups });
};

const paths = customerUrls(SIZE, 1024, 7).map((path) => ({ method: 'GET', path }));
const requests: Drive = async (_child, batches, ready) => {
  const { port } = ready as { port: number };
  const send = async (amount: number) => {
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 8, amount, requests: paths, timeout: 60 });
    if (result['2xx'] !== amount) throw new Error(`expected ${amount} answers of 200, got ${result['2xx']} (${result.errors} errors)`);
  };
  await send(BATCH.http);
  for (let batch = 0; batch < batches; batch++) await send(BATCH.http);
};

/** Per suite: the figure's name (as in its wall-clock table), our workload and the baseline's. */
const MEASURES = {
  inprocess: { name: 'GET /customer in-process', child: 'lookups', ours: 'inprocess-ours', baseline: 'inprocess-baseline', baselineName: 'URLSearchParams + Map + JSON.stringify', drive: lookups, batch: BATCH.lookups },
  http: { name: 'server instructions per request vs raw node:http', child: 'http-server', ours: 'ours', baseline: 'raw', baselineName: 'raw node:http', drive: requests, batch: BATCH.http },
  phone: { name: 'lookup, defaultCountry PK, phone:+92…', child: 'lookups', ours: 'phone-pk', baseline: 'phone-digits', baselineName: 'digits only', drive: lookups, batch: BATCH.lookups },
} as const;

/** The suites that have an instruction count. */
export const instructionSuites = Object.keys(MEASURES) as (keyof typeof MEASURES)[];

/**
 * `npm run bench -- --instructions`: the measured batch of a suite counted in instructions
 * under callgrind, ours and the baseline, each a fresh process; one round is enough, as the
 * count barely moves between runs.
 */
export async function instructions(suite: keyof typeof MEASURES): Promise<Row> {
  const measure = MEASURES[suite];
  const count = (workload: string) => instructionsPerBatch(measure.child, [workload, String(SIZE)], measure.drive);
  const ours = (await count(measure.ours)) / measure.batch;
  const baseline = (await count(measure.baseline)) / measure.batch;
  return {
    name: measure.name,
    unit: 'instr/req',
    ours,
    baselineName: measure.baselineName,
    baseline,
    note: `callgrind, ${SIZE.toLocaleString('en-US')} customers, a warm-up batch then fixed batches of ${measure.batch.toLocaleString('en-US')} requests; instructions of (two batches) − (one batch), each a fresh process.`,
  };
}

/** A suite's table with its instruction row added. */
export const withInstructions = (result: SuiteResult, row: Row): SuiteResult => ({ ...result, rows: [...result.rows, row] });
