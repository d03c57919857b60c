// readQueryParam is internal (not in dist's public entries): measured from src, through tsx.
import { readQueryParam } from '../../src/core/url.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { median, interleave } from '../lib/stats.js';

const SIZE = 56 * 1024;

/** `unit` repeated to 56 KB, then the parameter looked for: the worst place for a scan. */
const padded = (unit: string, tail: string) => `${unit.repeat(Math.ceil((SIZE - tail.length) / unit.length))}${tail}`.slice(-SIZE);

/** 56 KB query strings shaped to hit each scan of a query-string reader. */
const SHAPES: ReadonlyArray<readonly [string, string]> = [
  ['many short pairs (`a=1&…`)', padded('a=1&', 'query=phone:1111')],
  ['keys without `=` (`flag&…`)', padded('flag&', 'query=phone:1111')],
  ['values with `%` and `+` (`q=%41+b&…`)', padded('q=%41+b&', 'query=phone:%2B1111')],
  ['one long value', `pad=${'x'.repeat(SIZE - 30)}&query=phone:1111`],
];

/** Milliseconds per call of `read`, over `count` calls (their results kept, so none is skipped). */
function msPerCall(read: () => unknown, count: number): number {
  const kept: unknown[] = [];
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) kept.push(read());
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (kept.length !== count) throw new Error('unreachable');
  return elapsed / count;
}

const spread = (samples: readonly number[]) => `${(((Math.max(...samples) - Math.min(...samples)) / median(samples)) * 100).toFixed(0)}%`;

/**
 * Benchmark 6: `readQueryParam` (the connector's query reader) on 56 KB query strings, against
 * `URLSearchParams` parsing the same string and `getAll` of the same name, in the same run. The
 * reader must stay linear: within 3× of `URLSearchParams` whatever the shape.
 */
export async function query(rounds: number): Promise<SuiteResult> {
  const rows: Row[] = [];
  for (const [shape, search] of SHAPES) {
    const ours = () => readQueryParam(search, 'query');
    const baseline = () => new URLSearchParams(search).getAll('query');
    // Apples to apples: both find the one value.
    const found = ours();
    if (!found.ok || found.value !== baseline()[0]) throw new Error(`readQueryParam and URLSearchParams disagree on ${shape}`);
    const count = 20;
    msPerCall(ours, count);
    msPerCall(baseline, count);
    const samples = await interleave(rounds, { ours: () => msPerCall(ours, count), baseline: () => msPerCall(baseline, count) });
    const row = compare(`readQueryParam, 56 KB query: ${shape}`, 'ms', samples, 'URLSearchParams + getAll', 3);
    row.note = `${count} calls per round; spread (max − min) / median: ours ${spread(samples.ours)}, baseline ${spread(samples.baseline)}.`;
    rows.push(row);
  }
  return { suite: 'query', title: '6. Query-string reading at 56 KB', rows };
}
