import { generateCustomers, nationalForm } from '../lib/customers.js';
import { startChild } from '../lib/child.js';
import { loadMain } from '../lib/library.js';
import { nsPerRequest, prepareRequests } from '../lib/loop.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const LARGE = 1_000_000;
const PER_ROUND = 200_000;
const BUILD_ROUNDS = 3;

type BuildKind = 'ours' | 'ours-pk' | 'ours-pk-national' | 'ours-gb-national' | 'ours-pk-whatsapp' | 'ours-country-field';

async function buildMsInChild(kind: BuildKind): Promise<number> {
  const child = startChild('heap', [kind, String(LARGE)], ['--expose-gc', '--max-old-space-size=4096']);
  try {
    return ((await child.ready) as { buildMs: number }).buildMs;
  } finally {
    await child.stop();
  }
}

/**
 * Benchmark: phone numbers with `defaultCountry` (issue 10). A million customers stored as
 * `+92…`, served by two connectors over the same records: digits only (today's) and with
 * `defaultCountry: 'PK'`, asked in the form Hybrid Chat sends (`phone:+92…`, the `+` arriving as a
 * space) and, with the country, in national form (`phone:0300…`), which takes the full parser.
 * Then the index build, each in a fresh process: digits only, PK over `+92…`, PK over `0300…`,
 * and GB over `074…`, whose calling code is shared (the region is picked by number type).
 */
export async function phone(rounds: number): Promise<SuiteResult> {
  const { createConnector, createMemoryRepository, sampleLabels } = await loadMain();
  const customers = generateCustomers(LARGE, sampleLabels);
  const data = { customers, labels: sampleLabels };
  const digits = createConnector({ repository: createMemoryRepository(data) });
  const pakistan = createConnector({ repository: createMemoryRepository(data, { defaultCountry: 'PK' }), defaultCountry: 'PK' });
  const requests = prepareRequests(LARGE);
  const national = requests.map((request) => ({ ...request, url: request.url.replace(/phone:(\+\d+)$/, (_, plus: string) => `phone:${nationalForm(plus)}`) }));
  // WhatsApp's refId: international digits without `+`, which also read as a national number.
  const whatsapp = requests.map((request) => ({ ...request, url: request.url.replace(/phone:\+(\d+)$/, 'phone:$1') }));
  const contenders = {
    digits: () => nsPerRequest((request) => digits.handle(request), requests, PER_ROUND),
    pakistan: () => nsPerRequest((request) => pakistan.handle(request), requests, PER_ROUND),
    pakistanNational: () => nsPerRequest((request) => pakistan.handle(request), national, PER_ROUND / 10),
    pakistanWhatsapp: () => nsPerRequest((request) => pakistan.handle(request), whatsapp, PER_ROUND / 10),
  };
  // Every contender must answer 200: a benchmark of 404s would measure nothing.
  for (const [name, list] of [['digits', requests], ['PK', requests], ['PK national', national], ['PK WhatsApp', whatsapp]] as const) {
    const answer = await (name === 'digits' ? digits : pakistan).handle(list[0]!);
    if (answer.status !== 200) throw new Error(`phone bench: ${name} lookup answered ${answer.status} for ${list[0]!.url}`);
  }
  for (const warm of Object.values(contenders)) await warm();
  const lookups = await interleave(rounds, contenders);

  const builds = await interleave<BuildKind, number>(BUILD_ROUNDS, {
    ours: () => buildMsInChild('ours'),
    'ours-pk': () => buildMsInChild('ours-pk'),
    'ours-pk-national': () => buildMsInChild('ours-pk-national'),
    'ours-gb-national': () => buildMsInChild('ours-gb-national'),
    'ours-pk-whatsapp': () => buildMsInChild('ours-pk-whatsapp'),
    'ours-country-field': () => buildMsInChild('ours-country-field'),
  });

  const rows: Row[] = [
    compare('lookup, 1,000,000 customers, defaultCountry PK, phone:+92…', 'ns/req', { ours: lookups.pakistan, baseline: lookups.digits }, 'digits only', 1.3),
    compare('lookup, defaultCountry PK, national phone:0300…', 'ns/req', { ours: lookups.pakistanNational, baseline: lookups.digits }, 'digits only, phone:+92…'),
    compare('lookup, defaultCountry PK, WhatsApp digits phone:923…', 'ns/req', { ours: lookups.pakistanWhatsapp, baseline: lookups.digits }, 'digits only, phone:+92…', 1.3),
    compare('index build, 1,000,000 customers stored +92…, defaultCountry PK', 'ms', { ours: builds['ours-pk'], baseline: builds.ours }, 'digits only', 2),
    compare('index build, 1,000,000 customers stored 0300…, defaultCountry PK', 'ms', { ours: builds['ours-pk-national'], baseline: builds.ours }, 'digits only, +92…', 2),
    compare('index build, 1,000,000 customers stored 074…, defaultCountry GB', 'ms', { ours: builds['ours-gb-national'], baseline: builds.ours }, 'digits only, +92…', 2),
    compare('index build, 1,000,000 customers stored as WhatsApp digits 923…, defaultCountry PK', 'ms', { ours: builds['ours-pk-whatsapp'], baseline: builds.ours }, 'digits only, +92…', 2),
    compare('index build, 1,000,000 customers, half 074… with country GB, half 0300…, countryField', 'ms', { ours: builds['ours-country-field'], baseline: builds.ours }, 'digits only, +92…', 2),
  ];
  rows[0]!.note = `the same records and requests, ${PER_ROUND.toLocaleString('en')} requests a round, rounds interleaved; the + form takes the fast path (no parser).`;
  rows[1]!.note = 'informative: national form takes the fast path of a country with its own calling code; digits only would not find these at all.';
  rows[3]!.note = `each build in a fresh process (--expose-gc), ${BUILD_ROUNDS} rounds; validation of every record included on both sides.`;
  rows[2]!.note = 'both readings of each number (international and national) are tried, the fast path deciding validity without the parser.';
  rows[5]!.note = '+44 is shared by four countries: the region is picked by number type, as libphonenumber-js does, without its parser.';
  return { suite: 'phone', title: 'Phone numbers with defaultCountry', rows };
}
