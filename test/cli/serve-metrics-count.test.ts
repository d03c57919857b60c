import { describe, expect, it } from 'vitest';
import { countRepositoryCalls, createServeMetrics, type MetricsSink } from '../../src/cli/serve/metrics.js';
import { isValidated } from '../../src/core/wire.js';
import { createMemoryRepository, CustomerQuerySchema, sampleDataSet, type CustomerRepository } from '../../src/index.js';

const counting = () => {
  const calls: string[] = [];
  const sink: MetricsSink = { repositoryCall: (operation, outcome) => void calls.push(`${operation} ${outcome}`), cacheEvent() {}, breakerState() {} };
  return { calls, sink };
};
const query = CustomerQuerySchema.parse('phone:1111');

describe('countRepositoryCalls', () => {
  it('counts a synchronous answer at once, without a promise, and keeps the memory repository pre-validated', () => {
    const { calls, sink } = counting();
    const memory = createMemoryRepository(sampleDataSet);
    const counted = countRepositoryCalls(memory, sink);
    const context = { signal: new AbortController().signal };
    const found = counted.findCustomerByPhone(query, context);
    expect(found).toBe(memory.findCustomerByPhone(query));
    expect(counted.listLabels(context)).toBe(memory.listLabels());
    expect(calls).toStrictEqual(['findCustomerByPhone ok', 'listLabels ok']);
    expect(isValidated(counted)).toBe(true);
  });

  it('counts a throw and a rejection as error, and a call still running when the signal aborted as aborted', async () => {
    const { calls, sink } = counting();
    const failure = new Error('down');
    let finish = () => {};
    const repository: CustomerRepository = {
      findCustomerByPhone: () => {
        throw failure;
      },
      listLabels: ({ signal }) => (signal.aborted ? Promise.reject(failure) : new Promise((resolve) => (finish = () => resolve([])))),
    };
    const counted = countRepositoryCalls(repository, sink);
    expect(isValidated(counted)).toBe(false);
    expect(() => counted.findCustomerByPhone(query, { signal: new AbortController().signal })).toThrow(failure);
    const late = new AbortController();
    const pending = counted.listLabels({ signal: late.signal });
    late.abort();
    finish();
    await pending;
    const aborted = new AbortController();
    aborted.abort();
    await expect(counted.listLabels({ signal: aborted.signal })).rejects.toBe(failure);
    const open = new AbortController();
    const failing: CustomerRepository = { findCustomerByPhone: () => Promise.reject(failure), listLabels: () => [] };
    await expect(countRepositoryCalls(failing, sink).findCustomerByPhone(query, { signal: open.signal })).rejects.toBe(failure);
    expect(calls).toStrictEqual(['findCustomerByPhone error', 'listLabels aborted', 'listLabels aborted', 'findCustomerByPhone error']);
  });
});

describe('createServeMetrics counters', () => {
  const series = (body: string, name: string) => body.split('\n').filter((line) => line.startsWith(`${name}{`));

  it('counts every request and repository call once across scrapes, however many scrapes come between', async () => {
    const metrics = createServeMetrics({ caches: false, breaker: false });
    for (let i = 0; i < 3; i += 1) metrics.request('customer', 200, 1);
    metrics.request(null, 404, 1);
    metrics.repositoryCall('findCustomerByPhone', 'ok');
    const first = (await metrics.scrape()).body;
    expect(series(first, 'prc_requests_total')).toStrictEqual(['prc_requests_total{route="customer",status="200"} 3', 'prc_requests_total{route="other",status="404"} 1']);
    expect(series(first, 'prc_repository_calls_total')).toStrictEqual(['prc_repository_calls_total{operation="findCustomerByPhone",outcome="ok"} 1']);
    // A second scrape with nothing new must not add the same increments again.
    expect(series((await metrics.scrape()).body, 'prc_requests_total')).toStrictEqual(series(first, 'prc_requests_total'));
    metrics.request('customer', 200, 1);
    metrics.repositoryCall('findCustomerByPhone', 'ok');
    const third = (await metrics.scrape()).body;
    expect(series(third, 'prc_requests_total')[0]).toBe('prc_requests_total{route="customer",status="200"} 4');
    expect(series(third, 'prc_repository_calls_total')).toStrictEqual(['prc_repository_calls_total{operation="findCustomerByPhone",outcome="ok"} 2']);
    expect(third).toContain('prc_request_duration_seconds_count{route="customer"} 4');
  });
});
