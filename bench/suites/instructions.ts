import autocannon from 'autocannon';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerUrls } from '../lib/customers.js';
import { writeDataFile } from '../lib/data-files.js';
import { ask, COUNTED_BATCHES, type Counted, instructionsPerRequest } from '../lib/instructions.js';
import { distDirectory, loadMain } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { startupInstructions } from './startup.js';

/** Under callgrind everything runs some 50× slower: a smaller population and fixed batches keep a run to minutes. */
const SIZE = 10_000;
/**
 * Requests per counted batch, and before them the warm-up. In-process, the child's loop is an
 * async function called once per batch, and its awaits resume it in whatever tier it had when
 * called: each call is cheaper than the one before until about the fourth (in one run the counted
 * batches after a single 30,000-request warm-up gave 60.9k, 61.7k, then 48.0k instructions per
 * request), so the warm-up is six calls of a batch each.
 */
const BATCH = { lookups: 5_000, http: 1_000 } as const;
const WARM_UP = { lookups: 6 * BATCH.lookups, http: 4_000 } as const;

/** An in-process workload of `bench/children/lookups.ts`: the child runs each batch itself, marks included. */
const lookups = (workload: string): Counted => ({
  argv: [new URL('../children/lookups.ts', import.meta.url).pathname, workload, String(SIZE)],
  ready: async (child) => (await once(child, 'message'))[0],
  warmUp: async (child) => {
    for (let done = 0; done < WARM_UP.lookups; done += BATCH.lookups) await ask(child, { run: BATCH.lookups });
  },
  batch: async (child) => void (await ask(child, { run: BATCH.lookups, counted: true })),
  size: BATCH.lookups,
});

const paths = customerUrls(SIZE, 1024, 7).map((path) => ({ method: 'GET', path }));

/** `amount` HTTP requests from autocannon in this process, over 8 connections. */
async function send(port: number, amount: number): Promise<void> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 8, amount, requests: paths, timeout: 60 });
  if (result['2xx'] !== amount) throw new Error(`expected ${amount} answers of 200, got ${result['2xx']} (${result.errors} errors)`);
}

/** A server's warm-up and counted batch: only the server is under callgrind, autocannon is not. */
const httpBatches: Pick<Counted, 'warmUp' | 'batch' | 'size'> = {
  warmUp: (_child, ready) => send((ready as { port: number }).port, WARM_UP.http),
  batch: async (child, ready) => {
    await ask(child, { count: 'start' });
    await send((ready as { port: number }).port, BATCH.http);
    await ask(child, { count: 'stop' });
  },
  size: BATCH.http,
};

/** A server of `bench/children/http-server.ts` (`ours`: the node adapter, `raw`: node:http by hand). */
const server = (kind: 'ours' | 'raw'): Counted => ({
  argv: [new URL('../children/http-server.ts', import.meta.url).pathname, kind, String(SIZE)],
  ready: async (child) => (await once(child, 'message'))[0],
  ...httpBatches,
});

/** The real `serve` command from `dist/cli.js` over a `--data` file, logs as shipped (JSON lines): its port is in the first URL it prints. */
const serve = (file: string, logs: boolean): Counted => ({
  argv: [join(distDirectory, 'cli.js'), 'serve', '--data', file, '--port', '0', ...(logs ? [] : ['--quiet'])],
  ready: (child) =>
    new Promise((resolve) => {
      let out: string | undefined = '';
      child.stdout?.setEncoding('utf8').on('data', (text: string) => {
        if (out === undefined) return; // past the listening line: the request log, read and dropped
        out += text;
        const port = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
        if (port === undefined) return;
        out = undefined;
        resolve({ port: Number(port) });
      });
    }),
  ...httpBatches,
});

const note = (kind: keyof typeof BATCH) =>
  `callgrind, ${SIZE.toLocaleString('en-US')} customers; in each process ${WARM_UP[kind].toLocaleString('en-US')} requests of warm-up, then ${COUNTED_BATCHES} batches of ${BATCH[kind].toLocaleString('en-US')} each counted alone (median and min–max of those); V8 on one thread, fixed GC schedule and seeds.`;

/** A row of instructions per request, ours against the baseline's counts (each counted in its own process). */
async function row(name: string, ours: Counted, baseline: readonly number[], baselineName: string, target?: number): Promise<Row> {
  const samples = { ours: await instructionsPerRequest(ours), baseline };
  return { ...compare(`${name}, instructions`, 'instr/req', samples, baselineName, target), note: note(ours.size === BATCH.http ? 'http' : 'lookups') };
}

/** The suites that have instruction rows. */
export const instructionSuites = ['inprocess', 'http', 'phone', 'startup'] as const;

/**
 * `npm run bench -- --instructions`: a suite's measured work counted in instructions under
 * callgrind, ours against its baseline, for the table beside the wall-clock rows.
 */
export async function instructions(suite: (typeof instructionSuites)[number]): Promise<Row[]> {
  if (suite === 'inprocess') return [await row('GET /customer in-process', lookups('inprocess-ours'), await instructionsPerRequest(lookups('inprocess-baseline')), 'URLSearchParams + Map + JSON.stringify', 1.2)];
  if (suite === 'startup') return startupInstructions();
  if (suite === 'phone') return [await row('lookup, defaultCountry PK, phone:+92…', lookups('phone-pk'), await instructionsPerRequest(lookups('phone-digits')), 'digits only', 1.3)];
  const directory = await mkdtemp(join(tmpdir(), 'prc-bench-'));
  try {
    const file = join(directory, 'customers.jsonl');
    await writeDataFile(file, 'jsonl', SIZE, (await loadMain()).sampleLabels);
    const raw = await instructionsPerRequest(server('raw'));
    return [
      await row('server, node adapter (createNodeHandler)', server('ours'), raw, 'raw node:http', 1.1),
      await row('server, `serve --data --quiet` (metrics on)', serve(file, false), raw, 'raw node:http', 1.25),
      await row('server, `serve --data` (a log line per request)', serve(file, true), raw, 'raw node:http'),
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A suite's table with its instruction rows added. */
export const withInstructions = (result: SuiteResult, rows: readonly Row[]): SuiteResult => ({ ...result, rows: [...result.rows, ...rows] });

