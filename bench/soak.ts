/**
 * `npm run soak [-- --duration 60 --connections 16]`: the reference connector in its own process
 * under a steady mix of valid and invalid requests from autocannon. Passes (exit 0) when no
 * request got a status other than its shape's, and the server's memory did not keep growing:
 * resident set and heap (after a gc) are sampled every few seconds and printed as a series.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.js';
import { startChild } from './lib/child.js';
import { describeMachine } from './lib/report.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '16' },
    interval: { type: 'string', default: '5' },
  },
});
const duration = Number(values.duration);
const interval = Number(values.interval);

/**
 * Each shape of request and the one status it must get. (No HEAD: autocannon's parser would wait
 * for the body a HEAD response announces but never sends.)
 */
const shapes: ReadonlyArray<{ name: string; status: number; request: AutocannonRequest }> = [
  { name: 'the seed customer', status: 200, request: { method: 'GET', path: '/customer?query=phone:1111' } },
  { name: '+ as Hybrid Chat sends it', status: 200, request: { method: 'GET', path: '/customer?query=phone:+923001234567' } },
  { name: '%2B', status: 200, request: { method: 'GET', path: '/customer?query=phone:%2B923001234567' } },
  { name: 'found on phone3', status: 200, request: { method: 'GET', path: '/customer?query=phone:+1-415-555-0123' } },
  { name: 'labels', status: 200, request: { method: 'GET', path: '/label' } },
  { name: 'unknown number', status: 404, request: { method: 'GET', path: '/customer?query=phone:999999' } },
  { name: 'another prefix', status: 400, request: { method: 'GET', path: '/customer?query=email:x' } },
  { name: 'invalid percent-encoding', status: 400, request: { method: 'GET', path: '/customer?query=phone:%E0%A4%A' } },
  { name: 'query twice', status: 400, request: { method: 'GET', path: '/customer?query=phone:1111&query=phone:2222' } },
  { name: 'a 70-digit number', status: 400, request: { method: 'GET', path: `/customer?query=phone:${'9'.repeat(70)}` } },
  { name: 'no query', status: 400, request: { method: 'GET', path: '/customer' } },
  { name: 'POST', status: 405, request: { method: 'POST', path: '/label', body: '{}', headers: { 'content-type': 'application/json' } } },
  { name: 'unknown path', status: 404, request: { method: 'GET', path: '/customers' } },
];

const MB = 2 ** 20;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

ensureBuilt();
const server = startChild('http-server', ['reference', '0'], ['--expose-gc']);
try {
  const { port } = (await server.ready) as { port: number };
  const unexpected = new Map<string, number>();
  const requests = shapes.map(({ name, status, request }) => ({
    ...request,
    onResponse: (received: number) => {
      if (received !== status) unexpected.set(`${name}: ${received}`, (unexpected.get(`${name}: ${received}`) ?? 0) + 1);
    },
  }));

  const samples: Array<{ second: number; rss: number; heap: number }> = [];
  const sample = async (second: number) => {
    const memory = await server.ask<NodeJS.MemoryUsage>('memory');
    samples.push({ second, rss: memory.rss, heap: memory.heapUsed });
    console.log(`${String(second).padStart(4)} s  rss ${mb(memory.rss).padStart(6)} MB  heap after gc ${mb(memory.heapUsed).padStart(6)} MB`);
  };

  const machine = describeMachine();
  console.log(`soak: ${duration} s, ${values.connections} connections, ${shapes.length} request shapes; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  await sample(0);
  const started = Date.now();
  const load = autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(values.connections), duration, requests });
  const timer = setInterval(() => void sample(Math.round((Date.now() - started) / 1000)), interval * 1000);
  const result = await load;
  clearInterval(timer);
  await sample(Math.round((Date.now() - started) / 1000));

  // Growth is judged after the warm-up (JIT, caches, socket pools): from the first sample past 10 s.
  const settled = samples.filter((entry) => entry.second >= 10);
  const first = settled[0] ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const heapGrowth = last.heap - first.heap;
  const rssGrowth = last.rss - first.rss;
  const peakRss = Math.max(...samples.map((entry) => entry.rss));
  const total = result.requests.total;
  console.log(`\n${total.toLocaleString('en-US')} requests (${Math.round(result.requests.average).toLocaleString('en-US')}/s), ${result.errors} errors, ${result.timeouts} timeouts, ${result['5xx']} 5xx`);
  console.log(`statuses: ${Object.entries(result.statusCodeStats).map(([status, { count }]) => `${status}×${count}`).join(', ')}`);
  console.log(`memory from ${first.second} s to ${last.second} s: heap ${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)} MB, rss ${rssGrowth >= 0 ? '+' : ''}${mb(rssGrowth)} MB (peak rss ${mb(peakRss)} MB)`);

  const problems = [
    ...[...unexpected].map(([what, count]) => `unexpected status, ${what} (${count}×)`),
    ...(result.errors > 0 ? [`${result.errors} connection errors`] : []),
    // A leak of even a few hundred bytes per request shows as megabytes over a million requests.
    ...(heapGrowth > 5 * MB ? [`heap grew by ${mb(heapGrowth)} MB after warm-up`] : []),
    ...(rssGrowth > 30 * MB ? [`resident memory grew by ${mb(rssGrowth)} MB after warm-up`] : []),
  ];
  console.log(problems.length === 0 ? '\nverdict: PASS, every status as expected, memory flat after warm-up' : `\nverdict: FAIL\n- ${problems.join('\n- ')}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
} finally {
  await server.stop();
}
