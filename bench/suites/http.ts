import autocannon from 'autocannon';
import { type Child, startChild } from '../lib/child.js';
import { customerUrls } from '../lib/customers.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const SIZE = 100_000;
const PER_ROUND = 20_000;
const KINDS = ['ours', 'raw', 'fastify'] as const;
type Kind = (typeof KINDS)[number];

const paths = customerUrls(SIZE, 1024, 7).map((path) => ({ method: 'GET', path }));

/** Microseconds of the server's own CPU (user + system) per request, for `PER_ROUND` requests. */
async function cpuPerRequest(server: Child, port: number): Promise<number> {
  const before = await server.ask<NodeJS.CpuUsage>('cpu');
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 8, amount: PER_ROUND, requests: paths, timeout: 10 });
  const after = await server.ask<NodeJS.CpuUsage>('cpu');
  if (result['2xx'] !== PER_ROUND || result.errors > 0) {
    throw new Error(`expected ${PER_ROUND} answers of 200, got ${result['2xx']} (${result.non2xx} other, ${result.errors} errors)`);
  }
  return (after.user - before.user + after.system - before.system) / PER_ROUND;
}

/**
 * Benchmark 2: the server's CPU per request over HTTP, our node adapter against a raw
 * `node:http` server doing the baseline and against Fastify 5 with the same route. Each server
 * runs in its own process; autocannon loads it from this one.
 */
export async function http(rounds: number): Promise<SuiteResult> {
  const servers = new Map<Kind, { child: Child; port: number }>();
  try {
    for (const kind of KINDS) {
      const child = startChild('http-server', [kind, String(SIZE)]);
      const { port } = (await child.ready) as { port: number };
      servers.set(kind, { child, port });
      await cpuPerRequest(child, port); // warm-up: JIT, sockets
    }
    const measure = (kind: Kind) => () => {
      const { child, port } = servers.get(kind) as { child: Child; port: number };
      return cpuPerRequest(child, port);
    };
    const samples = await interleave(rounds, { ours: measure('ours'), raw: measure('raw'), fastify: measure('fastify') });
    const rows: Row[] = [
      compare('server CPU per request vs raw node:http', 'µs/req', { ours: samples.ours, baseline: samples.raw }, 'raw node:http', 1.15),
      compare('server CPU per request vs Fastify 5', 'µs/req', { ours: samples.ours, baseline: samples.fastify }, 'Fastify 5', 1),
    ];
    rows[0]!.note = `${PER_ROUND.toLocaleString('en-US')} requests per round over 8 connections by autocannon in another process; ${SIZE.toLocaleString('en-US')} customers; server CPU from its own process.cpuUsage().`;
    return { suite: 'http', title: '2. Server CPU per request over HTTP', rows };
  } finally {
    await Promise.all([...servers.values()].map(({ child }) => child.stop()));
  }
}
