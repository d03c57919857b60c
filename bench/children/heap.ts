/**
 * Builds one index over a million generated customers in a fresh process (run with
 * `--expose-gc`) and reports the build time and the heap it keeps: `ours` is
 * `createMemoryRepository`, `map` a plain `Map` from digits to the same objects.
 */
import { baselineIndex, generateCustomers } from '../lib/customers.js';
import { loadMain } from '../lib/library.js';

const [kind, sizeText = '1000000'] = process.argv.slice(2);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const { createMemoryRepository, sampleLabels } = await loadMain();

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const empty = heapAfterGc();
let customers: ReturnType<typeof generateCustomers> | undefined = generateCustomers(Number(sizeText), sampleLabels);
const withRecords = heapAfterGc();
const started = performance.now();
const index: unknown = kind === 'ours' ? createMemoryRepository({ customers, labels: sampleLabels }) : baselineIndex(customers);
const buildMs = performance.now() - started;
customers = undefined; // the index alone keeps the customers now
const kept = heapAfterGc();
process.send?.({ buildMs, totalBytes: kept - empty, indexBytes: kept - withRecords, alive: index !== undefined });
