/**
 * A server under load, in its own process so that its CPU time and memory are its own: `ours`
 * (createNodeHandler on node:http over generated customers), `raw` (node:http doing the baseline
 * by hand), `fastify` (Fastify 5, the same route) or `reference` (the reference connector: the
 * sample data set, for the soak). Sends `{ port }` when listening; answers `'cpu'` with
 * `process.cpuUsage()` and `'memory'` with `process.memoryUsage()` (after a gc when exposed).
 */
import Fastify from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baselineIndex, baselineLookup, generateCustomers } from '../lib/customers.js';
import { loadMain, loadNode } from '../lib/library.js';

const [kind, sizeText = '100000'] = process.argv.slice(2);
const { createMemoryRepository, sampleDataSet, sampleLabels } = await loadMain();
const customers = generateCustomers(Number(sizeText), sampleLabels);

async function fastify(): Promise<number> {
  const index = baselineIndex(customers);
  const app = Fastify({ logger: false });
  app.get('/customer', (request, reply) => {
    const query = (request.query as { query?: unknown }).query;
    if (typeof query !== 'string' || !query.startsWith('phone:')) return reply.code(400).send({ status: 400 });
    const customer = index.get(query.slice(6).replace(/\D/g, ''));
    if (customer === undefined) return reply.code(404).send({ status: 404 });
    return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(customer));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

async function nodeServer(): Promise<Server> {
  if (kind === 'ours' || kind === 'reference') {
    const { createNodeHandler } = await loadNode();
    const data = kind === 'ours' ? { customers, labels: sampleLabels } : sampleDataSet;
    return createServer(createNodeHandler({ repository: createMemoryRepository(data) }));
  }
  if (kind !== 'raw') throw new Error(`unknown server kind ${String(kind)}`);
  const index = baselineIndex(customers);
  return createServer((req, res) => {
    const answer = baselineLookup(index, req.url ?? '/');
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
}

async function listen(): Promise<number> {
  if (kind === 'fastify') return fastify();
  const server = await nodeServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const port = await listen();
process.on('message', (message) => {
  if (message === 'cpu') process.send?.(process.cpuUsage());
  // A clean exit, so that `--cpu-prof` writes its profile.
  if (message === 'exit') process.exit(0);
  if (message === 'memory') {
    globalThis.gc?.();
    process.send?.(process.memoryUsage());
  }
});
process.send?.({ port });
