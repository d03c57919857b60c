import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

/** One measured figure: ours against a baseline from the same run. */
export interface Row {
  /** What is measured, such as `GET /customer, in-process`. */
  name: string;
  /** The unit of `ours` and `baseline`: `ns/request`, `ms`, `MB`, `bytes gz`, … */
  unit: string;
  /** Median of our samples. */
  ours: number;
  /** What we are held against, such as `hand-written Map lookup`. */
  baselineName: string;
  /** Median of the baseline's samples. */
  baseline: number;
  /** The highest acceptable `ours / baseline`; `undefined` when the figure is informative only. */
  target?: number | undefined;
  /** The highest acceptable `ours`, in `unit`, for figures with an absolute target (under 1 s). */
  limit?: number | undefined;
  /** Every sample, for the JSON file. */
  samples?: { ours: readonly number[]; baseline: readonly number[] };
  /** A remark printed under the table (how measured, what a miss means). */
  note?: string;
}

/** A suite's outcome: rows for the table and JSON, plus anything else worth keeping. */
export interface SuiteResult {
  suite: string;
  title: string;
  rows: Row[];
  extra?: Record<string, unknown>;
}

/** The row's ratio `ours / baseline`. */
export const ratioOf = (row: Row) => row.ours / row.baseline;

/** Whether the row meets its targets, ratio and absolute (`undefined` when it has none). */
export function metOf(row: Row): boolean | undefined {
  if (row.target === undefined && row.limit === undefined) return undefined;
  return (row.target === undefined || ratioOf(row) <= row.target) && (row.limit === undefined || row.ours < row.limit);
}

/** A row from two sample lists: the median of each. */
export function compare(
  name: string,
  unit: string,
  samples: { ours: readonly number[]; baseline: readonly number[] },
  baselineName: string,
  target?: number,
): Row {
  return { name, unit, ours: median(samples.ours), baselineName, baseline: median(samples.baseline), target, samples };
}

/** The machine a run came from: figures are only comparable on the same one. */
export function describeMachine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const number = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/** The suite as a Markdown table: figure, ours, baseline, ratio, target and verdict. */
/** ` (min–max)` of a row's samples when there are several: the spread beside the median. */
const spread = (samples: readonly number[] | undefined) =>
  samples === undefined || samples.length < 2 ? '' : ` (${number(Math.min(...samples))}–${number(Math.max(...samples))})`;

export function markdownTable(result: SuiteResult): string {
  const lines = [
    '| figure | ours | baseline | ratio | target | |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...result.rows.map((row) => {
      const met = metOf(row);
      const verdict = met === undefined ? '' : met ? 'met' : '**missed**';
      const target = [row.target === undefined ? '' : `≤ ${row.target}×`, row.limit === undefined ? '' : `< ${number(row.limit)} ${row.unit}`].filter(Boolean).join(', ');
      return `| ${row.name} | ${number(row.ours)} ${row.unit}${spread(row.samples?.ours)} | ${number(row.baseline)} ${row.unit}${spread(row.samples?.baseline)} (${row.baselineName}) | ${ratioOf(row).toFixed(2)}× | ${target} | ${verdict} |`;
    }),
  ];
  const notes = result.rows.filter((row) => row.note !== undefined).map((row) => `- ${row.name}: ${row.note}`);
  return [`### ${result.title}`, '', ...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url));

/** Writes `bench/results/<suite>.json`: the machine, the time, every row with its samples. */
export async function writeResult(result: SuiteResult): Promise<string> {
  await mkdir(resultsDirectory, { recursive: true });
  const file = `${resultsDirectory}${result.suite}.json`;
  const rows = result.rows.map((row) => ({ ...row, ratio: ratioOf(row), met: metOf(row) }));
  const json = { ...result, rows, machine: describeMachine(), date: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}
