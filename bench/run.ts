/**
 * `npm run bench [-- --only inprocess,http,scale,startup,checker,query] [--rounds 7] [--instructions]`: every figure is
 * a ratio against a baseline measured in the same run, the median of several rounds. Prints a
 * Markdown table per suite and writes `bench/results/<suite>.json`.
 */
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.js';
import { hasValgrind } from './lib/instructions.js';
import { describeMachine, markdownTable, metOf, type SuiteResult, writeResult } from './lib/report.js';
import { type SuiteName, suiteNames } from './suites/names.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    instructions: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});

const names = suiteNames;
if (values.help) {
  console.log(`usage: npm run bench -- [--only ${names.join(',')}] [--rounds N] [--instructions]`);
  process.exit(0);
}
// `sql` and `sql-mariadb` need database servers: `npm run bench:db` runs `sql` under scripts/db-servers.sh.
const chosen = values.only === undefined ? names.filter((name) => !name.startsWith('sql')) : values.only.split(',').map((name) => name.trim());
const unknown = chosen.filter((name) => !names.includes(name as SuiteName));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(', ')}; choose from ${names.join(', ')}`);
  process.exit(2);
}
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('--rounds must be a positive integer');
  process.exit(2);
}

if (values.instructions && !hasValgrind()) {
  console.error('--instructions counts instructions with valgrind: install it (Debian: apt-get install valgrind)');
  process.exit(2);
}
// The suites measure the built package: build first, then load them.
ensureBuilt();
const { suites } = await import('./suites/index.js');
const { instructions, instructionSuites, withInstructions } = await import('./suites/instructions.js');
const machine = describeMachine();
console.log(`## Benchmarks\n\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; median of ${rounds} rounds.\n`);
const results: SuiteResult[] = [];
for (const name of chosen as SuiteName[]) {
  const started = performance.now();
  let result = await suites[name](rounds);
  // Beside the wall-clock ratios, the same batch counted in instructions: stable on a busy machine.
  if (values.instructions && (instructionSuites as readonly string[]).includes(name)) result = withInstructions(result, await instructions(name as (typeof instructionSuites)[number]));
  results.push(result);
  const file = await writeResult(result);
  console.log(`${markdownTable(result)}\n\n_${((performance.now() - started) / 1000).toFixed(1)} s; ${file.replace(`${process.cwd()}/`, '')}_\n`);
}
const missed = results.flatMap((result) => result.rows).filter((row) => metOf(row) === false);
console.log(missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((row) => row.name).join('; ')}`);
// Children and servers are closed by their suites; leave nothing running behind.
process.exit(0);
