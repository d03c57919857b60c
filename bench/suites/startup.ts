import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { build } from 'esbuild';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { V8_FLAGS } from '../lib/instructions.js';
import { distDirectory } from '../lib/library.js';
import { endsWithBench } from '../lib/lifetime.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const run = promisify(execFile);
const ENTRIES = { main: 'index.js', '/node': 'node.js', '/fetch': 'fetch.js', '/openapi': 'openapi.js' } as const;
type Entry = keyof typeof ENTRIES;

/** Milliseconds to `import()` a specifier in a fresh Node process, timed inside that process. */
async function importMs(specifier: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: distDirectory });
  return Number(stdout);
}

/**
 * Another checkout's `dist/cli.js` whose `serve` start-up is measured in the same rounds
 * (`BENCH_STARTUP_CLI=/path/to/other/dist/cli.js`): before and after a change, on the same load.
 */
const otherCli = process.env.BENCH_STARTUP_CLI;

/** A raw `node:http` server: the least a process that listens and answers can cost. */
const RAW_SERVER = `const s = require('node:http').createServer((q, r) => r.end('[]')); s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));`;

/** A process's CPU time so far (user + system, ms) from /proc: Linux only, else `NaN`. */
async function cpuMsOf(pid: number): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** `getconf CLK_TCK` on Linux. */
const CLOCK_TICKS = 100;

/** Wall-clock and CPU milliseconds from spawning a server to its first answer. */
interface Answer {
  ms: number;
  cpuMs: number;
}

/**
 * From spawning a server process to its first answered request (the process's whole start-up,
 * Node's own included): `serve` on the sample data with its defaults (metrics on, logs as text),
 * or the raw server. The port is read from the line that says it listens, then `GET /label` is
 * sent at once. Also the process's CPU time at that moment, which a busy machine barely moves.
 * The process is stopped by its pid afterwards.
 */
async function firstAnswer(args: readonly string[]): Promise<Answer> {
  const started = performance.now();
  const child = endsWithBench(spawn(process.execPath, [...args], { cwd: distDirectory, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } }));
  let out = '';
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
        if (found !== undefined) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${String(code)}) before listening: ${out.slice(-500)}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/label`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET /label answered ${response.status}`);
    const ms = performance.now() - started;
    return { ms, cpuMs: await cpuMsOf(child.pid ?? 0) };
  } finally {
    const gone = once(child, 'exit');
    child.kill();
    await gone;
  }
}

/** Processes counted per contender by {@link startupInstructions}. */
const COUNTED_STARTS = 3;

/**
 * The main thread's instructions from `exec` to the first answered `GET /label` (callgrind, V8
 * on one thread with a fixed GC schedule and seeds): the process is ended by SIGUSR2, whose
 * default action (neither Node nor `serve` handles it) stops it where it is, no shutdown counted.
 */
async function instructionsToFirstAnswer(args: readonly string[]): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'prc-bench-start-'));
  const out = join(directory, 'callgrind.out');
  try {
    const valgrind = ['--tool=callgrind', `--callgrind-out-file=${out}`, '--smc-check=all-non-file', '--vgdb=no', '--separate-threads=yes'];
    // No IPC here (start-up is counted whole, so nothing is preloaded): killed by the bench as it ends.
    const child = endsWithBench(spawn('valgrind', [...valgrind, process.execPath, ...V8_FLAGS, ...args], { cwd: distDirectory, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } }));
    const gone = once(child, 'exit');
    let text = '';
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
        if (found !== undefined) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`exited (${String(code)}) under callgrind before listening: ${text.slice(-500)}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/label`);
    await response.arrayBuffer();
    child.kill('SIGUSR2');
    await gone;
    // The main thread's file (`callgrind.out-01`): with --single-threaded V8 works there alone.
    const summary = /^(?:summary|totals): (\d+)/m.exec(await readFile(`${out}-01`, 'utf8'));
    if (summary === null) throw new Error('no summary line in callgrind\'s file of the main thread');
    return Number(summary[1]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- --only startup --instructions`: `serve`'s start-up to its first answer in
 * instructions against the raw `node:http` server's ({@link COUNTED_STARTS} processes each, in
 * turn), and `BENCH_STARTUP_CLI`'s when set.
 */
export async function startupInstructions(): Promise<Row[]> {
  const starts: Record<string, () => Promise<number>> = { serve: () => instructionsToFirstAnswer(serveArgs('cli.js')), raw: () => instructionsToFirstAnswer(['-e', RAW_SERVER]) };
  if (otherCli !== undefined) starts.other = () => instructionsToFirstAnswer(serveArgs(otherCli));
  const counts = await interleave(COUNTED_STARTS, starts);
  const note = `callgrind, the main thread from exec to the answer of the first GET /label (Node's start-up included), ${COUNTED_STARTS} processes each in turn (median and min–max); V8 on one thread, fixed GC schedule and seeds.`;
  const rows: Row[] = [{ ...compare('`serve` start-up to the first answered request, instructions', 'instr', { ours: counts.serve ?? [], baseline: counts.raw ?? [] }, 'raw node:http server'), note }];
  if (otherCli !== undefined) rows.push(compare('BENCH_STARTUP_CLI `serve` start-up, instructions', 'instr', { ours: counts.other ?? [], baseline: counts.raw ?? [] }, 'raw node:http server'));
  return rows;
}

/** `serve` on the sample data with its defaults, from `cli`. */
const serveArgs = (cli: string) => [cli, 'serve', '--port', '0', '--log-format', 'text'];

/** Bytes of `source` (a file or a module text) bundled with zod left out, minified, gzipped. */
async function gzippedBytes(input: { file: string } | { contents: string }): Promise<number> {
  const result = await build({
    ...('file' in input ? { entryPoints: [input.file] } : { stdin: { contents: input.contents, resolveDir: distDirectory } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external: 'file' in input ? ['zod', 'zod/*'] : [],
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).byteLength;
}

/**
 * Benchmark 4: time to import each entry point from `dist/` in a fresh process, against
 * importing zod alone (every entry imports zod, so the difference is ours); and each entry's
 * size bundled, minified and gzipped with zod left out (openapi3-ts, a dependency, counted).
 */
export async function startup(rounds: number): Promise<SuiteResult> {
  const entries = Object.keys(ENTRIES) as Entry[];
  const contenders = Object.fromEntries([
    ['zod', () => importMs('zod')],
    ...entries.map((entry) => [entry, () => importMs(`./${ENTRIES[entry]}`)]),
  ]) as Record<Entry | 'zod', () => Promise<number>>;
  const times = await interleave(rounds + 2, contenders);
  const starts: Record<string, () => Promise<Answer>> = { serve: () => firstAnswer(serveArgs('cli.js')), raw: () => firstAnswer(['-e', RAW_SERVER]) };
  if (otherCli !== undefined) starts.other = () => firstAnswer(serveArgs(otherCli));
  const serving = await interleave(rounds, starts);
  const samplesOf = (key: string) => serving[key] ?? [];
  const of = (key: keyof Answer, ours = 'serve') => ({ ours: samplesOf(ours).map((sample) => sample[key]), baseline: samplesOf('raw').map((sample) => sample[key]) });
  const zodBytes = await gzippedBytes({ contents: "export * from 'zod';" });
  const rows: Row[] = entries.map((entry) =>
    compare(`import ${entry === 'main' ? 'priority-routing-crm' : `priority-routing-crm${entry}`}`, 'ms', { ours: times[entry], baseline: times.zod }, 'import zod'),
  );
  for (const entry of entries) {
    const bytes = await gzippedBytes({ file: `${distDirectory}${ENTRIES[entry]}` });
    rows.push({ name: `bundle ${entry}, min+gz, zod excluded`, unit: 'B', ours: bytes, baselineName: 'zod itself, min+gz', baseline: zodBytes });
  }
  const serve: Row = { ...compare('`serve` start-up on the sample data, to the first answered request', 'ms', of('ms'), 'raw node:http server'), limit: 250 };
  serve.note = 'a fresh process each round (rounds interleaved), from spawn to the answer of a GET /label sent as soon as it says it listens, Node start-up included.';
  const cpu = compare('`serve` start-up CPU (user + system) to the first answered request', 'ms', of('cpuMs'), 'raw node:http server');
  cpu.note = "the same processes' CPU time from /proc at that moment (Linux; 10 ms ticks): what a busy machine barely moves.";
  rows.push(serve, cpu);
  if (otherCli !== undefined) {
    rows.push(
      compare('BENCH_STARTUP_CLI `serve` start-up to the first answered request', 'ms', of('ms', 'other'), 'raw node:http server'),
      compare('BENCH_STARTUP_CLI `serve` start-up CPU to the first answered request', 'ms', of('cpuMs', 'other'), 'raw node:http server'),
    );
  }
  rows[0]!.note = `each import timed inside a fresh \`node\` process (${rounds + 2} processes per entry), so Node's own start-up is left out; the entries import zod, so the ratio is what we add on top.`;
  return { suite: 'startup', title: '4. Start-up and bundle size', rows };
}
