import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parentWatch } from '../lib/child.js';
import { endsWithBench } from '../lib/lifetime.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave, median } from '../lib/stats.js';

const PROBES = 100;
const PROBE_PAUSE_MS = 100;
const LOOKUP_WORKERS = 4;
const PHASE_MS = 2000;

/** One GET over `agent`: the status and how long it took, in ms. */
function request(agent: Agent, url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    }).once('error', reject);
  });
}

/** `serve` over the pooled fake database, in its own process; resolves once it listens. */
async function startServe() {
  const file = fileURLToPath(new URL('../children/pooled-serve.ts', import.meta.url));
  const child = endsWithBench(fork(file, ['--port', '0', '--log-format', 'json', '--quiet'], { execArgv: ['--import', 'tsx', '--import', parentWatch], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  for (;;) {
    const line = out.split('\n').find((text) => text.includes('"msg":"listening"'));
    if (line !== undefined) {
      const origin = (JSON.parse(line) as { url: string }).url;
      const calls = () => {
        const answer = once(child, 'message').then(([message]) => message as { findCustomerByPhone: number; listLabels: number });
        child.send('calls');
        return answer;
      };
      const stop = async () => {
        const gone = once(child, 'exit');
        child.kill('SIGKILL');
        await gone;
      };
      return { origin, calls, stop };
    }
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode} before listening`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lookups from `LOOKUP_WORKERS` keep-alive clients for `PHASE_MS`: every latency, in ms. */
async function lookups(origin: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: LOOKUP_WORKERS });
  const latencies: number[] = [];
  const until = performance.now() + PHASE_MS;
  const worker = async () => {
    while (performance.now() < until) {
      const { status, ms } = await request(agent, `${origin}/customer?query=phone:1111`);
      if (status !== 200) throw new Error(`lookup answered ${status}`);
      latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: LOOKUP_WORKERS }, worker));
  agent.destroy();
  return latencies;
}

/** `PROBES` clients probing `/readyz`, each pausing `PROBE_PAUSE_MS` between probes, until `stop()`. */
function probe(origin: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: PROBES });
  let running = true;
  const statuses: number[] = [];
  const prober = async () => {
    while (running) {
      statuses.push((await request(agent, `${origin}/readyz`)).status);
      await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
    }
  };
  const all = Promise.all(Array.from({ length: PROBES }, prober));
  return {
    stop: async () => {
      running = false;
      await all;
      agent.destroy();
      return statuses;
    },
  };
}

/**
 * Benchmark 10: `/readyz` under load. `serve` (the real command) over a fake database with a
 * 4-connection pool and 10 ms queries shared by lookups and label reads; lookup p50 from 4
 * keep-alive clients while 100 clients probe `/readyz` (each every 100 ms), against the same
 * lookups with no probes, rounds interleaved.
 */
export async function readyz(rounds: number): Promise<SuiteResult> {
  const serve = await startServe();
  try {
    await lookups(serve.origin);
    let probes = 0;
    const failed: number[] = [];
    const before = await serve.calls();
    const samples = await interleave(rounds, {
      ours: async () => {
        const probing = probe(serve.origin);
        const latencies = await lookups(serve.origin);
        const statuses = await probing.stop();
        probes += statuses.length;
        failed.push(...statuses.filter((status) => status !== 200));
        return median(latencies);
      },
      baseline: async () => median(await lookups(serve.origin)),
    });
    const after = await serve.calls();
    const labelCalls = after.listLabels - before.listLabels;
    const row: Row = compare(`GET /customer p50 under ${PROBES} concurrent /readyz probes`, 'ms', samples, 'no probes', 1.25);
    row.note = `${LOOKUP_WORKERS} keep-alive lookup clients for ${PHASE_MS} ms a round; ${PROBES} probe clients each pausing ${PROBE_PAUSE_MS} ms between probes; ${probes.toLocaleString('en-US')} probes cost ${labelCalls} listLabels queries${failed.length === 0 ? '' : ` and ${failed.length} answered other than 200`}; p50 per round ${samples.ours.map((value) => value.toFixed(1)).join(', ')} vs ${samples.baseline.map((value) => value.toFixed(1)).join(', ')}.`;
    return { suite: 'readyz', title: '10. /readyz under load', rows: [row], extra: { probes, labelCalls, nonOkProbes: failed.length } };
  } finally {
    await serve.stop();
  }
}
