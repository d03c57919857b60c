/**
 * `npm run soak [-- --duration 60 --connections 16 --timeout 500]`: the reference connector in its
 * own process, in front of a simulated CRM behind `withCache(withCircuitBreaker(…))`, under a
 * steady mix of valid and invalid requests from autocannon. The CRM stops answering for the
 * middle third of the run (each call hangs until the connector's `timeoutMs` aborts it). Passes
 * (exit 0) when no request got a status other than its shape's (during the outage and the
 * breaker's cooldown after it, also 503 or 504 for lookups; labels stay 200 from the stale copy),
 * no request took longer than `timeoutMs` plus a scheduling allowance, and the server's memory did
 * not keep growing: resident set and heap (after a gc) are sampled every few seconds.
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
    timeout: { type: 'string', default: '500' },
  },
});
const timeoutMs = Number(values.timeout);
/** The breaker's default cooldown: after the CRM recovers, lookups may get 503 until its probe. */
const COOLDOWN_MS = 10_000;
/** Time a response may spend beyond `timeoutMs` in the server's and autocannon's event loops. */
const ALLOWANCE_MS = 250;
const duration = Number(values.duration);
const interval = Number(values.interval);

/**
 * Each shape of request and the one status it must get. (No HEAD: autocannon's parser would wait
 * for the body a HEAD response announces but never sends.)
 */
const shapes: ReadonlyArray<{ name: string; status: number; request: AutocannonRequest; lookup?: true }> = [
  { name: 'the seed customer', status: 200, lookup: true, request: { method: 'GET', path: '/customer?query=phone:1111' } },
  { name: '+ as Hybrid Chat sends it', status: 200, lookup: true, request: { method: 'GET', path: '/customer?query=phone:+923001234567' } },
  { name: '%2B', status: 200, lookup: true, request: { method: 'GET', path: '/customer?query=phone:%2B923001234567' } },
  { name: 'found on phone3', status: 200, lookup: true, request: { method: 'GET', path: '/customer?query=phone:+1-415-555-0123' } },
  { name: 'labels', status: 200, request: { method: 'GET', path: '/label' } },
  { name: 'unknown number', status: 404, lookup: true, request: { method: 'GET', path: '/customer?query=phone:999999' } },
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
const server = startChild('crm-server', [String(timeoutMs)], ['--expose-gc']);
try {
  const { port } = (await server.ready) as { port: number };
  const unexpected = new Map<string, number>();
  // The CRM is down for the middle third; lookups may fail fast (503) or time out (504) from then
  // until the breaker's probe after recovery.
  let phase: 'before' | 'outage' | 'recovering' | 'after' = 'before';
  const byPhase = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const requests = shapes.map(({ name, status, request, lookup }) => ({
    ...request,
    onResponse: (received: number) => {
      count(byPhase, `${phase} ${received}`);
      const excused = lookup === true && (phase === 'outage' || phase === 'recovering') && (received === 503 || received === 504);
      if (received !== status && !excused) count(unexpected, `${name} (${phase}): ${received}`);
    },
  }));
  const third = (duration * 1000) / 3;
  const phases = [
    setTimeout(() => void server.ask('outage').then(() => (phase = 'outage')), third),
    setTimeout(() => void server.ask('recover').then(() => (phase = 'recovering')), 2 * third),
    setTimeout(() => (phase = 'after'), 2 * third + COOLDOWN_MS + timeoutMs + 1000),
  ];

  const samples: Array<{ second: number; rss: number; heap: number }> = [];
  const sample = async (second: number) => {
    const memory = await server.ask<NodeJS.MemoryUsage>('memory');
    samples.push({ second, rss: memory.rss, heap: memory.heapUsed });
    console.log(`${String(second).padStart(4)} s  rss ${mb(memory.rss).padStart(6)} MB  heap after gc ${mb(memory.heapUsed).padStart(6)} MB`);
  };

  const machine = describeMachine();
  console.log(`soak: ${duration} s, ${values.connections} connections, ${shapes.length} request shapes, timeoutMs ${timeoutMs}, CRM down from ${Math.round(third / 1000)} s to ${Math.round((2 * third) / 1000)} s; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  await sample(0);
  const started = Date.now();
  const load = autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(values.connections), duration, requests });
  const timer = setInterval(() => void sample(Math.round((Date.now() - started) / 1000)), interval * 1000);
  const result = await load;
  clearInterval(timer);
  for (const pending of phases) clearTimeout(pending);
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
  console.log(`by phase: ${[...byPhase].sort().map(([key, n]) => `${key}×${n}`).join(', ')}`);
  console.log(`latency: median ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms (timeoutMs ${timeoutMs})`);
  const crm = await server.ask<{ calls: number; breaker: string[] }>('stats');
  console.log(`CRM calls: ${crm.calls.toLocaleString('en-US')} for ${total.toLocaleString('en-US')} requests; breaker: ${crm.breaker.join(', ') || 'never opened'}`);
  console.log(`memory from ${first.second} s to ${last.second} s: heap ${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)} MB, rss ${rssGrowth >= 0 ? '+' : ''}${mb(rssGrowth)} MB (peak rss ${mb(peakRss)} MB)`);

  const problems = [
    ...[...unexpected].map(([what, count]) => `unexpected status, ${what} (${count}×)`),
    ...(result.errors > 0 ? [`${result.errors} connection errors`] : []),
    ...(result.latency.max > timeoutMs + ALLOWANCE_MS ? [`a request took ${result.latency.max} ms, over timeoutMs ${timeoutMs} + ${ALLOWANCE_MS} ms`] : []),
    // A leak of even a few hundred bytes per request shows as megabytes over a million requests.
    ...(heapGrowth > 5 * MB ? [`heap grew by ${mb(heapGrowth)} MB after warm-up`] : []),
    ...(rssGrowth > 30 * MB ? [`resident memory grew by ${mb(rssGrowth)} MB after warm-up`] : []),
  ];
  console.log(problems.length === 0 ? '\nverdict: PASS, every status as expected through the outage, no request past timeoutMs, memory flat after warm-up' : `\nverdict: FAIL\n- ${problems.join('\n- ')}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
} finally {
  await server.stop();
}
