import { execFile } from 'node:child_process';
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
  const zodBytes = await gzippedBytes({ contents: "export * from 'zod';" });
  const rows: Row[] = entries.map((entry) =>
    compare(`import ${entry === 'main' ? 'priority-routing-crm' : `priority-routing-crm${entry}`}`, 'ms', { ours: times[entry], baseline: times.zod }, 'import zod'),
  );
  for (const entry of entries) {
    const bytes = await gzippedBytes({ file: `${distDirectory}${ENTRIES[entry]}` });
    rows.push({ name: `bundle ${entry}, min+gz, zod excluded`, unit: 'B', ours: bytes, baselineName: 'zod itself, min+gz', baseline: zodBytes });
  }
  rows[0]!.note = `each import timed inside a fresh \`node\` process (${rounds + 2} processes per entry), so Node's own start-up is left out; the entries import zod, so the ratio is what we add on top.`;
  return { suite: 'startup', title: '4. Start-up and bundle size', rows };
}
