/**
 * Builds one index over a million generated customers in a fresh process (run with
 * `--expose-gc`) and reports the build time and the heap it keeps: `ours` is
 * `createMemoryRepository` (`ours-pk`, `ours-pk-national`: with defaultCountry PK), `map` a
 * plain `Map` from digits to the same objects.
 */
import { baselineIndex, britishForm, generateCustomers, nationalForm } from '../lib/customers.js';
import { loadMain } from '../lib/library.js';

const [kind, sizeText = '1000000'] = process.argv.slice(2);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const { createMemoryRepository, sampleLabels } = await loadMain();

const phoneOptions = (name: string | undefined) =>
  name === 'ours-country-field'
    ? { defaultCountry: 'PK' as const, countryField: 'country' }
    : name?.startsWith('ours-pk')
      ? { defaultCountry: 'PK' as const }
      : name === 'ours-gb-national'
        ? { defaultCountry: 'GB' as const }
        : {};

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const empty = heapAfterGc();
let customers: ReturnType<typeof generateCustomers> | undefined = generateCustomers(Number(sizeText), sampleLabels);
// `ours-pk` indexes the same `+92…` numbers for defaultCountry PK; `ours-pk-national` first
// rewrites them to the national form `0300…`, as many CRMs store them; `ours-gb-national` to
// British mobiles `074…` (a calling code shared with Jersey, Guernsey and Man).
if (kind === 'ours-pk-national') for (const customer of customers) customer.phone1 = nationalForm(customer.phone1);
if (kind === 'ours-gb-national') for (const customer of customers) customer.phone1 = britishForm(customer.phone1);
// `ours-pk-whatsapp`: WhatsApp's digits `923…`, which read both as international and as a long
// national number; `ours-country-field`: every other customer British (`074…` with `country:
// 'GB'`), the rest Pakistani national `0300…` with an empty country (the default applies).
if (kind === 'ours-pk-whatsapp') for (const customer of customers) customer.phone1 = customer.phone1.slice(1);
if (kind === 'ours-country-field') {
  customers.forEach((customer, index) => {
    const british = index % 2 === 0;
    customer.phone1 = british ? britishForm(customer.phone1) : nationalForm(customer.phone1);
    (customer as typeof customer & { country: string }).country = british ? 'GB' : '';
  });
}
const withRecords = heapAfterGc();
const started = performance.now();
const index: unknown = kind === 'map' ? baselineIndex(customers) : createMemoryRepository({ customers, labels: sampleLabels }, phoneOptions(kind));
const buildMs = performance.now() - started;
customers = undefined; // the index alone keeps the customers now
const kept = heapAfterGc();
process.send?.({ buildMs, totalBytes: kept - empty, indexBytes: kept - withRecords, alive: index !== undefined });
