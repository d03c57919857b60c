import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentWatch } from '../lib/child.js';
import { customerUrls } from '../lib/customers.js';
import { writeDataFile } from '../lib/data-files.js';
import { distDirectory, loadMain } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { endsWithBench } from '../lib/lifetime.js';
import { interleave } from '../lib/stats.js';
import { processCpuMicros } from '../lib/task-cpu.js';

const SIZE = 100_000;
const PER_ROUND = 20_000;
const CONNECTIONS = 8;

/**
 * Another checkout's `dist/cli.js` to measure beside this one, in the same run and rounds
 * (`BENCH_SERVE_CLI=/path/to/other/dist/cli.js`): before and after a change, on the same load.
 */
const otherCli = process.env.BENCH_SERVE_CLI;
const ourCli = join(distDirectory, 'cli.js');

interface Server {
  child: ChildProcess;
  port: number;
  /** Bytes the server wrote to stdout (its log lines), drained as a supervisor would. */
  logged: () => number;
}

const file = (name: string) => fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url));

/** A bench child in its own process, stdout drained (not printed); resolves once it sent `{ port }`. */
async function start(name: string, args: readonly string[]): Promise<Server> {
  const child = endsWithBench(fork(file(name), [...args], { execArgv: ['--import', 'tsx', '--import', parentWatch], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  let bytes = 0;
  child.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`${name} ${args.join(' ')} exited early (code ${String(code)})`)));
  const [ready] = (await Promise.race([once(child, 'message'), exited])) as [{ port: number }];
  exited.catch(() => {});
  return { child, port: ready.port, logged: () => bytes };
}

const paths = (size: number) => customerUrls(size, 1024, 7).map((path) => ({ method: 'GET', path }));

/** Sends `amount` lookups over `CONNECTIONS` keep-alive connections; throws unless every one was a 200. */
async function load(port: number, amount: number, requests: ReturnType<typeof paths>, timeout = 10): Promise<void> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, amount, requests, timeout });
  if (result['2xx'] !== amount || result.errors > 0) {
    throw new Error(`expected ${amount} answers of 200, got ${result['2xx']} (${result.non2xx} other, ${result.errors} errors)`);
  }
}

/** Microseconds of the server's own CPU (every thread, from the scheduler) per request, under a fixed load. */
async function cpuPerRequest(server: Server, requests: ReturnType<typeof paths>): Promise<number> {
  const pid = server.child.pid as number;
  const before = processCpuMicros(pid);
  await load(server.port, PER_ROUND, requests);
  return (processCpuMicros(pid) - before) / PER_ROUND;
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const gone = once(server.child, 'exit');
  server.child.kill('SIGKILL');
  await gone;
}

type Contender = readonly [child: string, args: readonly string[]];

/** The `serve` contenders: this checkout's, and another's when `BENCH_SERVE_CLI` names one. */
function serveContenders(data: string): Record<string, Contender> {
  const serveArgs = (cli: string, quiet: boolean): Contender => ['serve-cli', [cli, '--data', data, '--port', '0', ...(quiet ? ['--quiet'] : [])]];
  const contenders: Record<string, Contender> = { quiet: serveArgs(ourCli, true), logged: serveArgs(ourCli, false) };
  if (otherCli !== undefined) Object.assign(contenders, { otherQuiet: serveArgs(otherCli, true), otherLogged: serveArgs(otherCli, false) });
  return contenders;
}

/**
 * `serve --data` (the real command from `dist/cli.js`, metrics on as by default, JSON log lines
 * as when stdout is not a terminal) against a raw `node:http` server answering from a `Map` of
 * the same 100,000 customers, and against the node adapter alone (what serve adds to it): the server's own CPU per request under the same fixed load, the
 * contenders' rounds interleaved. With `BENCH_SERVE_CLI`, another checkout's `serve` too.
 */
export async function serve(rounds: number): Promise<SuiteResult> {
  const folder = await mkdtemp(join(tmpdir(), 'prc-bench-serve-'));
  const servers = new Map<string, Server>();
  try {
    const { sampleLabels } = await loadMain();
    const data = join(folder, 'customers.json');
    await writeDataFile(data, 'json', SIZE, sampleLabels);
    const requests = paths(SIZE);
    const contenders: Record<string, Contender> = { raw: ['http-server', ['raw', String(SIZE)]], adapter: ['http-server', ['ours', String(SIZE)]], ...serveContenders(data) };
    for (const [key, [name, args]] of Object.entries(contenders)) {
      const server = await start(name, args);
      servers.set(key, server);
      await cpuPerRequest(server, requests); // warm-up: JIT, sockets
    }
    const measures = Object.fromEntries([...servers].map(([key, server]) => [key, () => cpuPerRequest(server, requests)]));
    const samples = await interleave(rounds, measures);
    const s = (key: string) => samples[key] as number[];
    const rows: Row[] = [
      compare('serve --data --quiet, server CPU per request vs raw node:http', 'µs/req', { ours: s('quiet'), baseline: s('raw') }, 'raw node:http + Map', 1.25),
      compare('serve --data (a JSON log line per request) vs serve --data --quiet', 'µs/req', { ours: s('logged'), baseline: s('quiet') }, 'serve --quiet', 1.15),
      compare('serve --data (a JSON log line per request) vs raw node:http', 'µs/req', { ours: s('logged'), baseline: s('raw') }, 'raw node:http + Map'),
      // What serve adds to the library's own request path (the node adapter is issue 21.2's figure).
      compare('serve --data --quiet vs the node adapter over the same customers', 'µs/req', { ours: s('quiet'), baseline: s('adapter') }, 'createNodeHandler on node:http'),
      compare('node adapter vs raw node:http', 'µs/req', { ours: s('adapter'), baseline: s('raw') }, 'raw node:http + Map'),
    ];
    if (otherCli !== undefined) {
      rows.push(
        compare('BENCH_SERVE_CLI serve --data --quiet vs raw node:http', 'µs/req', { ours: s('otherQuiet'), baseline: s('raw') }, 'raw node:http + Map'),
        compare('BENCH_SERVE_CLI serve --data vs its --quiet', 'µs/req', { ours: s('otherLogged'), baseline: s('otherQuiet') }, 'its serve --quiet'),
      );
    }
    rows[0]!.note = `${PER_ROUND.toLocaleString('en-US')} lookups per round over ${CONNECTIONS} connections by autocannon in another process; ${SIZE.toLocaleString('en-US')} customers; server CPU from /proc/<pid>/task/*/schedstat; log lines drained through a pipe (${Math.round((servers.get('logged')?.logged() ?? 0) / 1024).toLocaleString('en-US')} KiB).`;
    return { suite: 'serve', title: "serve's own overhead: server CPU per request", rows };
  } finally {
    await Promise.all([...servers.values()].map(stop));
    await rm(folder, { recursive: true, force: true });
  }
}
