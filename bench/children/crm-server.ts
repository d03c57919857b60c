/**
 * The reference connector in front of a simulated CRM, for the soak: the sample data set behind
 * an asynchronous repository (answers after `delayMs`), wrapped as `serve --database` wraps a
 * database, `withCache(withCircuitBreaker(crm))`, with the handlers' `timeoutMs`. Sends `{ port }`
 * when listening; answers `'outage'` (the CRM stops answering: each call waits until its signal
 * aborts), `'recover'`, `'memory'` (`process.memoryUsage()` after a gc) and `'stats'` (CRM calls
 * and breaker changes).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomerRepository } from '../../src/index.js';
import { loadMain, loadNode } from '../lib/library.js';

const [timeoutText = '500', labelsTtlText = '5000', delayText = '1'] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);
const delayMs = Number(delayText);
const { createMemoryRepository, sampleDataSet, withCache, withCircuitBreaker } = await loadMain();
const { createNodeHandler } = await loadNode();

const data = createMemoryRepository(sampleDataSet);
let down = false;
const stats = { calls: 0, breaker: [] as string[] };

/** Waits `delayMs`, or, during the outage, until `signal` aborts (then rejects with its reason). */
async function crmLatency(signal: AbortSignal): Promise<void> {
  stats.calls += 1;
  if (!down) return sleep(delayMs);
  await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

const crm: CustomerRepository = {
  async findCustomerByPhone(query, context) {
    await crmLatency(context.signal);
    return data.findCustomerByPhone(query);
  },
  async listLabels(context) {
    await crmLatency(context.signal);
    return data.listLabels();
  },
};
const started = Date.now();
const repository = withCache(
  withCircuitBreaker(crm, { onStateChange: (state) => stats.breaker.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${state}`) }),
  { labelsTtlMs: Number(labelsTtlText), timeoutMs },
);
const server = createServer(createNodeHandler({ repository, timeoutMs }));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

process.on('message', (message) => {
  if (message === 'outage') down = true;
  if (message === 'recover') down = false;
  if (message === 'outage' || message === 'recover') process.send?.({ down });
  if (message === 'stats') process.send?.(stats);
  if (message === 'memory') {
    globalThis.gc?.();
    process.send?.(process.memoryUsage());
  }
});
process.send?.({ port: (server.address() as AddressInfo).port });
