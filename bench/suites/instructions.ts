import { once } from 'node:events';
import { Agent, get } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
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
const WARM_UP = { lookups: 6 * BATCH.lookups, http: 8 * BATCH.http } as const;

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

const paths = customerUrls(SIZE, 1024, 7);

/** How many requests are in flight at once, each on its own kept-alive connection. */
const CONNECTIONS = 8;

/**
 * A client over {@link CONNECTIONS} kept-alive connections to one server, opened during the
 * warm-up and reused by every counted batch. autocannon opened eight new connections per batch,
 * so each counted batch also accepted, set up and closed sockets, and the code that does it
 * (run eight times a batch) was still being compiled by V8 many batches in: one batch in a few
 * carried a TurboFan compile of it (a batch of 118k instructions per request beside 82k), and
 * the closes landed before or after the batch's end mark depending on timing.
 */
function keptAlive(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const path = paths[next++ % paths.length] as string;
      const request = get({ host: '127.0.0.1', port, path, agent }, (response) => {
        response.resume();
        response.on('error', reject); // a connection reset mid-answer: a failed run, not a crash that leaves the child running
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${path}: status ${response.statusCode}`))));
      });
      request.on('error', reject);
    });
  return {
    /** `amount` requests, {@link CONNECTIONS} at a time; each loop sends its next request when its last is answered. */
    send: async (amount: number) => {
      let left = amount;
      const loop = async () => {
        while (left > 0) {
          left--;
          await one();
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, loop));
    },
    close: () => agent.destroy(),
  };
}

const clients = new WeakMap<object, ReturnType<typeof keptAlive>>();
const clientOf = (ready: unknown) => clients.get(ready as object) as ReturnType<typeof keptAlive>;

/**
 * A server's warm-up and counted batch: only the server is under callgrind, the client (in this
 * process) is not. The warm-up is {@link WARM_UP} requests in batches of the counted size.
 */
const httpBatches: Pick<Counted, 'warmUp' | 'batch' | 'done' | 'size'> = {
  warmUp: async (_child, ready) => {
    const client = keptAlive((ready as { port: number }).port);
    clients.set(ready as object, client);
    for (let done = 0; done < WARM_UP.http; done += BATCH.http) await client.send(BATCH.http);
  },
  batch: async (child, ready) => {
    await ask(child, { count: 'start' });
    await clientOf(ready).send(BATCH.http);
    await ask(child, { count: 'stop' });
  },
  done: (ready) => clientOf(ready)?.close(),
  size: BATCH.http,
};

/**
 * A server of `bench/children/http-server.ts` (`ours`: the node adapter, `raw`: node:http by
 * hand); `script` points at another checkout's copy, to count its `dist/` with this method.
 */
export const server = (kind: 'ours' | 'raw', script = new URL('../children/http-server.ts', import.meta.url).pathname): Counted => ({
  argv: [script, kind, String(SIZE)],
  ready: async (child) => (await once(child, 'message'))[0],
  ...httpBatches,
});

/**
 * The real `serve` command from `dist/cli.js` over a `--data` file, logs as shipped (JSON lines)
 * to a file (see `stdoutToFile`): its port is in the first URL it prints there.
 */
export const serve = (file: string, logs: boolean): Counted => ({
  argv: [join(distDirectory, 'cli.js'), 'serve', '--data', file, '--port', '0', ...(logs ? [] : ['--quiet'])],
  stdoutToFile: true,
  ready: async (child, stdout) => {
    // Until it prints its URL; a child that exits first is reported by instructionsPerRequest.
    while (child.exitCode === null && child.signalCode === null) {
      const port = /http:\/\/127\.0\.0\.1:(\d+)/.exec(await readFile(stdout, 'utf8'))?.[1];
      if (port !== undefined) return { port: Number(port) };
      await setTimeout(100);
    }
    return undefined;
  },
  ...httpBatches,
});

const note = (kind: keyof typeof BATCH) =>
  `callgrind, ${SIZE.toLocaleString('en-US')} customers; in each process ${WARM_UP[kind].toLocaleString('en-US')} requests of warm-up, then ${COUNTED_BATCHES} batches of ${BATCH[kind].toLocaleString('en-US')} each counted alone (median and min–max of those); V8 on one thread, fixed GC schedule and seeds.`;

/** A row of instructions per request, ours against the baseline's counts (each counted in its own process). */
const row = (name: string, kind: keyof typeof BATCH, ours: number[], baseline: number[], baselineName: string, target?: number): Row => ({
  ...compare(`${name}, instructions`, 'instr/req', { ours, baseline }, baselineName, target),
  note: note(kind),
});

/**
 * The HTTP rows' four processes counted at once: a count does not depend on what else runs (the
 * client is not counted and each server's batches are fixed), and one process takes some ten
 * minutes on a loaded machine, so side by side they finish in the time of the slowest.
 */
const countAll = (counted: readonly Counted[]) => Promise.all(counted.map((one) => instructionsPerRequest(one)));

/** The suites that have instruction rows. */
export const instructionSuites = ['inprocess', 'http', 'phone', 'startup'] as const;

/**
 * `npm run bench -- --instructions`: a suite's measured work counted in instructions under
 * callgrind, ours against its baseline, for the table beside the wall-clock rows.
 */
export async function instructions(suite: (typeof instructionSuites)[number]): Promise<Row[]> {
  if (suite === 'inprocess') {
    const baseline = await instructionsPerRequest(lookups('inprocess-baseline'));
    const inprocessRow = row('GET /customer in-process', 'lookups', await instructionsPerRequest(lookups('inprocess-ours')), baseline, 'URLSearchParams + Map + JSON.stringify', 1.2);
    // The connector's own work per lookup through an asynchronous repository (every database and CRM).
    const asyncBaseline = await instructionsPerRequest(lookups('async-baseline'));
    const asyncRow = row('GET /customer in-process, async repository', 'lookups', await instructionsPerRequest(lookups('async-ours')), asyncBaseline, 'the same Map behind a promise + URLSearchParams + JSON.stringify');
    return [inprocessRow, asyncRow];
  }
  if (suite === 'startup') return startupInstructions();
  if (suite === 'phone') {
    const baseline = await instructionsPerRequest(lookups('phone-digits'));
    return [row('lookup, defaultCountry PK, phone:+92…', 'lookups', await instructionsPerRequest(lookups('phone-pk')), baseline, 'digits only', 1.3)];
  }
  const directory = await mkdtemp(join(tmpdir(), 'prc-bench-'));
  try {
    const file = join(directory, 'customers.jsonl');
    await writeDataFile(file, 'jsonl', SIZE, (await loadMain()).sampleLabels);
    const [raw, ours, quiet, logged] = await countAll([server('raw'), server('ours'), serve(file, false), serve(file, true)]);
    return [
      row('server, node adapter (createNodeHandler)', 'http', ours!, raw!, 'raw node:http', 1.1),
      row('server, `serve --data --quiet` (metrics on)', 'http', quiet!, raw!, 'raw node:http', 1.25),
      row('server, `serve --data` (a log line per request)', 'http', logged!, raw!, 'raw node:http'),
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A suite's table with its instruction rows added. */
export const withInstructions = (result: SuiteResult, rows: readonly Row[]): SuiteResult => ({ ...result, rows: [...result.rows, ...rows] });

