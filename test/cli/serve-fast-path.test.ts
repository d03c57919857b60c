import { executionAsyncId } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createServeMetrics } from '../../src/cli/serve/metrics.js';
import { createReadiness } from '../../src/cli/serve/readiness.js';
import type { RequestLogEvent } from '../../src/cli/serve/logging.js';
import { type ServeServer, startServeServer } from '../../src/cli/serve/server.js';
import { createStatusPage } from '../../src/cli/serve/status-page.js';
import { createMemoryRepository, type CustomerRepository, sampleDataSet } from '../../src/index.js';
import { SERVE_MEMORY_FIXTURE, startJsonServe, stopServes } from '../support/serve-process.js';

afterEach(stopServes);

describe('serve over memory data: validated once at start, never per request (issue 21.1)', () => {
  // The fixture changes a customer and a label after the memory repository validated them: a
  // request that validates its answer again says 502, the validated fast path sends it (200).
  // Before, serve's metrics wrapper (an async function reading the signal) and its readiness
  // wrapper each took the repository off that path: a promise, an AbortController, a 3 s timer
  // and a zod parse per request.
  for (const flags of [[], ['--status-page'], ['--quiet']]) {
    it(`through readiness, metrics and the log line${flags.length === 0 ? '' : ` (${flags.join(' ')})`}`, async () => {
      const { origin } = await startJsonServe(['--port', '0', ...flags], { entry: SERVE_MEMORY_FIXTURE });
      const customer = await fetch(`${origin}/customer?query=phone:1111`);
      expect(customer.status).toBe(200);
      expect(((await customer.json()) as { email: unknown }).email).toBe(12345);
      const labels = await fetch(`${origin}/label`);
      expect(labels.status).toBe(200);
      expect(((await labels.json()) as Array<{ color_code: unknown }>)[0]?.color_code).toBe(42);
      // Metrics still count the calls made on the fast path.
      const metrics = await (await fetch(`${origin}/metrics`)).text();
      expect(metrics).toMatch(/prc_repository_calls_total\{operation="findCustomerByPhone",outcome="ok"\} 1\b/);
      expect(metrics).toMatch(/prc_requests_total\{route="customer",status="200"\} 1\b/);
    });
  }
});

/** The async id a promise continuation runs in: 0 unless something (AsyncLocalStorage, async_hooks) enabled promise hooks. */
const promiseAsyncId = () => Promise.resolve().then(() => executionAsyncId());

describe('serve request facts without AsyncLocalStorage', () => {
  let server: ServeServer | undefined;
  afterEach(async () => {
    await server?.shutdown(1000, 0);
    server = undefined;
  });

  it('gives the log line its path and the status page its query, per request, with no promise hooks enabled', async () => {
    expect(await promiseAsyncId()).toBe(0);
    const memory = createMemoryRepository(sampleDataSet);
    // Asynchronous and answering in reverse order: a fact kept anywhere but with its request would go to the wrong line.
    let delay = 60;
    const repository: CustomerRepository = {
      findCustomerByPhone: (query) => new Promise((resolve) => setTimeout(() => resolve(memory.findCustomerByPhone(query)), (delay -= 20))),
      listLabels: () => memory.listLabels(),
    };
    const readiness = createReadiness({ repository, timeoutMs: 1000, intervalMs: 5000 });
    const statusPage = createStatusPage({ version: 'test', source: 'test', repository, authenticate: undefined, timeoutMs: 1000, breaker: false });
    const logged: RequestLogEvent[] = [];
    server = await startServeServer({
      port: 0,
      host: '127.0.0.1',
      repository: readiness.observe(repository),
      readiness,
      maxConnections: 100,
      metrics: createServeMetrics({ caches: false, breaker: false }),
      statusPage,
      basePath: '/cim',
      onRequest: (event) => void logged.push(event),
    });
    const asked = ['/cim/customer?query=phone:1111', '/cim/customer?query=phone:5550001', '/cim/customer?query=phone:2222'];
    const statuses = await Promise.all(asked.map(async (path) => (await fetch(`${server?.origin}${path}`)).status));
    expect(statuses).toStrictEqual([200, 404, 200]);
    expect((await fetch(`${server.origin}/cim/nowhere/12`)).status).toBe(404);

    expect(logged.map((event) => event.path).sort()).toStrictEqual(['/cim/customer', '/cim/customer', '/cim/customer', '/cim/nowhere/12']);
    expect(logged.map((event) => [event.phone, event.status]).sort()).toStrictEqual([
      ['*****01', 404],
      ['**11', 200],
      ['**22', 200],
      [undefined, 404],
    ]);
    // The 404 lookup's query reached the status page with that request: the keys it tried.
    expect(statusPage.stats.recent().find((request) => request.status === 404 && request.route === 'customer')?.keysTried).toStrictEqual(['*****01']);
    expect(await promiseAsyncId()).toBe(0);
  });
});
