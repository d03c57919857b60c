// Peak RSS of `priority-routing-crm check` against hostile connectors (every answer 1 GiB; every
// answer a list of 200,000 `{}`; every answer the longest list of `{}` the default 1 MiB body limit
// lets through; a customer whose label ids are 200,000 `{}`; every answer 1 MiB of nested arrays
// `[[[…]]]`, checked with 2, 10 and 30 phones), next to a conforming one measured in the same run:
// `npx tsx bench/check-memory.ts [rounds] [--dist] [--cli <path>] [--only <text>]` (`--only
// nested` runs the conforming one and those whose name contains the text).
// Each check is a fresh process under /usr/bin/time -v ("Maximum resident set size"). The goal
// (issues 8 and 20): never past 256 MB, whatever the connector sends and however many phones.
import { execFile } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { interleave, median } from './lib/stats.js';

const run = promisify(execFile);
const GIB = 1024 * 1024 * 1024;
const LIMIT_MB = 256;

const args = process.argv.slice(2);
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3);
const cliIndex = args.indexOf('--cli');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex === -1 ? undefined : args[onlyIndex + 1]!;
// The source CLI through tsx by default; the built one with --dist; any other with --cli.
const cli =
  cliIndex !== -1 ? ['--import', 'tsx', resolve(args[cliIndex + 1]!)] : args.includes('--dist') ? [resolve('dist/cli.js')] : ['--import', 'tsx', resolve('src/cli/main.ts')];

const customer = {
  _id: 'C-1',
  labels: ['L-gold'],
  phone1: '1111',
  phone2: '',
  phone3: '',
  phone4: '',
  phone5: '',
  first_name: 'Ada',
  last_name: '',
  email: '',
  created_by: '',
  updated_by: '',
  createdAt: '2021-03-04T05:06:07.000Z',
  updatedAt: '2021-03-04T05:06:07.000Z',
  __v: 0,
};
const labels = [{ _id: 'L-gold', name: 'Gold', color_code: '#3cb44b', created_by: '', updated_by: '', createdAt: customer.createdAt, updatedAt: customer.createdAt, __v: 0 }];
const empties = `[${Array.from({ length: 200_000 }, () => '{}').join(',')}]`;
// 349,525 `{}` are exactly 1 MiB: the most a connector can make the checker parse by default.
const largest = `[${Array.from({ length: (1024 * 1024 - 2 + 1) / 3 }, () => '{}').join(',')}]`;
// 1 MiB of arrays nested 524,288 deep: about 30 MB once parsed, for every answer.
const nested = `${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}`;

/** 1 GiB of JSON-looking bytes, streamed as fast as the reader takes them. */
function streamGiB(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const write = () => {
    while (!res.destroyed && sent < GIB) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    res.end();
  };
  res.write('[');
  write();
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  const [, kind, route] = url.pathname.split('/');
  if (kind === 'gib') return streamGiB(res);
  const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(typeof value === 'string' ? value : JSON.stringify(value));
  if (kind === 'empties') return json(empties);
  if (kind === 'largest') return json(largest);
  if (kind === 'nested') return json(nested);
  if (kind === 'crowded' && route !== 'label') return json(JSON.stringify({ ...customer, labels: [] }).replace('"labels":[]', `"labels":${empties}`));
  const phone = url.searchParams.get('query');
  if (route === 'label') return json(labels);
  if (phone === 'phone:1111') return json(customer);
  res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No customer.' }));
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Peak RSS in MB of one `check` against the connector under `/kind`, with `phones` numbers. */
async function peakMb(kind: string, phones = 1): Promise<number> {
  const phoneArgs = Array.from({ length: phones }, (_, i) => ['--phone', String(1111 + i)]).flat();
  const check = [...cli, 'check', '--customer-url', `${origin}/${kind}/customer?query=phone:{refId}`, '--labels-url', `${origin}/${kind}/label`, ...phoneArgs, '--weights', 'Gold=8', '--format', 'json', '--timeout', '60000'];
  const { stderr } = await run('/usr/bin/time', ['-v', process.execPath, ...check], { maxBuffer: 1024 * 1024 * 1024 }).catch((error: { stderr?: string; code?: number }) => {
    // Exit 1 (a check failed) is the expected verdict for the hostile ones; 2 (unreachable) or a
    // crash is what an unbounded checker does, measured all the same.
    if (error.code !== 1) console.error(`check against /${kind} exited ${error.code}: ${error.stderr?.split('\n').find((line) => line.includes('Command'))?.trim()}`);
    return { stderr: error.stderr ?? '' };
  });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
  if (kb === undefined) throw new Error('no "Maximum resident set size" in /usr/bin/time -v output');
  return Number(kb) / 1024;
}

try {
  const all: Record<string, () => Promise<number>> = {
    conforming: () => peakMb('ok'),
    'streamed 1 GiB': () => peakMb('gib'),
    '200,000 {}': () => peakMb('empties'),
    '349,525 {} (1 MiB)': () => peakMb('largest'),
    '200,000 {} ids': () => peakMb('crowded'),
    'nested, 2 phones': () => peakMb('nested', 2),
    'nested, 10 phones': () => peakMb('nested', 10),
    'nested, 30 phones': () => peakMb('nested', 30),
  };
  const chosen = Object.fromEntries(Object.entries(all).filter(([name]) => name === 'conforming' || only === undefined || name.includes(only)));
  const samples = await interleave(rounds, chosen);
  console.log(`peak RSS of check (${cli.at(-1)}), ${rounds} rounds, MB: median (min–max), ratio to conforming`);
  const base = median(samples.conforming!);
  for (const [name, values] of Object.entries(samples)) {
    const m = median(values);
    console.log(`  ${name.padEnd(20)} ${m.toFixed(0).padStart(5)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})  ×${(m / base).toFixed(2)}${Math.max(...values) > LIMIT_MB ? `  OVER ${LIMIT_MB} MB` : ''}`);
  }
} finally {
  server.closeAllConnections();
  server.close();
}
