/**
 * Loads one `--data` file as `serve` does, in a fresh process (run with `--expose-gc`), and
 * reports the load time, the heap kept afterwards (records and index, after gc, minus the empty
 * process) and the process's peak resident set. `stream` is the data-file loader `serve` uses
 * (JSON Lines or a streamed JSON document, by the file's name); `whole` is the earlier way, the
 * file read as one string and `JSON.parse`d, which V8 refuses past about 512 MB.
 */
import { readJsonFile } from '../../src/cli/usage.js';
import { readDataFile } from '../../src/cli/serve/data-file.js';
import { createMemoryRepository, type MemoryDataSet } from '../../src/index.js';

const [kind, file = ''] = process.argv.slice(2);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const toError = (message: string) => new Error(message);

const empty = heapAfterGc();
const started = performance.now();
let outcome: { loadMs: number; heapKeptBytes: number; peakRssBytes: number; customers: number } | { error: string };
try {
  const data = kind === 'whole' ? ((await readJsonFile(file, '--data', toError)) as MemoryDataSet) : (await readDataFile(file, toError)).data;
  const repository = createMemoryRepository(data);
  const loadMs = performance.now() - started;
  const heapKeptBytes = heapAfterGc() - empty;
  outcome = { loadMs, heapKeptBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, customers: repository === undefined ? 0 : data.customers.length };
} catch (error) {
  outcome = { error: `${(error as Error).name}: ${(error as Error).message.slice(0, 200)}` };
}
process.send?.(outcome);
