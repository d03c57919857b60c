import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { build } from 'esbuild';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { distDirectory } from '../lib/library.js';
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

/** A raw `node:http` server on the sample data's size: the least a process that listens can cost. */
const RAW_SERVER = `require('node:http').createServer((q, s) => s.end('[]')).listen(0, '127.0.0.1', () => console.log('listening'));`;

/**
 * Milliseconds from spawning a server process to its first line saying it listens (the process's
 * whole start-up, Node's own included): `serve` on the sample data with its defaults (metrics on,
 * logs as text), or the raw server. The process is stopped by its pid afterwards.
 */
async function listeningMs(args: readonly string[], ready: RegExp): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...args], { cwd: distDirectory, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        if (ready.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited (${String(code)}) before listening: ${out.slice(-500)}`)));
    });
    return performance.now() - started;
  } finally {
    const gone = once(child, 'exit');
    child.kill();
    await gone;
  }
}

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
  const serving = await interleave(rounds, {
    serve: () => listeningMs(['cli.js', 'serve', '--port', '0', '--log-format', 'text'], /CIM_LABELS_API_PATH=/),
    raw: () => listeningMs(['-e', RAW_SERVER], /listening/),
  });
  const zodBytes = await gzippedBytes({ contents: "export * from 'zod';" });
  const rows: Row[] = entries.map((entry) =>
    compare(`import ${entry === 'main' ? 'priority-routing-crm' : `priority-routing-crm${entry}`}`, 'ms', { ours: times[entry], baseline: times.zod }, 'import zod'),
  );
  for (const entry of entries) {
    const bytes = await gzippedBytes({ file: `${distDirectory}${ENTRIES[entry]}` });
    rows.push({ name: `bundle ${entry}, min+gz, zod excluded`, unit: 'B', ours: bytes, baselineName: 'zod itself, min+gz', baseline: zodBytes });
  }
  const serve: Row = { ...compare('`serve` start-up on the sample data, to listening', 'ms', { ours: serving.serve, baseline: serving.raw }, 'raw node:http server'), limit: 250 };
  serve.note = 'a fresh process each round, from spawn to the line that says it listens, Node start-up included.';
  rows.push(serve);
  rows[0]!.note = `each import timed inside a fresh \`node\` process (${rounds + 2} processes per entry), so Node's own start-up is left out; the entries import zod, so the ratio is what we add on top.`;
  return { suite: 'startup', title: '4. Start-up and bundle size', rows };
}
