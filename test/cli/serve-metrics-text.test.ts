import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createServeMetrics } from '../../src/cli/serve/metrics.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus.js';

/** prom-client's default buckets (seconds), as it writes their `le`. */
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

/** One route's lines of the request-duration histogram, as prom-client writes them: each bucket's (cumulative) count, then sum and count. */
const histogram = (route: string, counts: readonly number[], sum: number) =>
  [
    ...BUCKETS.map((le, index) => `prc_request_duration_seconds_bucket{le="${le}",route="${route}"} ${counts[index]}`),
    `prc_request_duration_seconds_sum{route="${route}"} ${sum}`,
    `prc_request_duration_seconds_count{route="${route}"} ${counts.at(-1)}`,
  ].join('\n');

// Issue 21.5: prom-client is loaded at the first scrape, not at start. What /metrics says must
// not change with it: these are the lines prom-client wrote when it was loaded at start.
const CONNECTOR_FAMILIES = `# HELP prc_requests_total Connector requests answered, by route and status.
# TYPE prc_requests_total counter
prc_requests_total{route="customer",status="200"} 3
prc_requests_total{route="label",status="200"} 1
prc_requests_total{route="other",status="404"} 1
prc_requests_total{route="customer",status="404"} 1

# HELP prc_request_duration_seconds Time to answer a connector request, by route.
# TYPE prc_request_duration_seconds histogram
${histogram('customer', [2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4], 12.048)}
${histogram('label', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.0002)}
${histogram('other', [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.007)}

# HELP prc_repository_calls_total Repository calls, by operation and outcome.
# TYPE prc_repository_calls_total counter
prc_repository_calls_total{operation="findCustomerByPhone",outcome="ok"} 1
prc_repository_calls_total{operation="listLabels",outcome="error"} 1
prc_repository_calls_total{operation="findCustomerByPhone",outcome="aborted"} 1

# HELP prc_cache_events_total Cache events, by cache and event.
# TYPE prc_cache_events_total counter
prc_cache_events_total{cache="labels",event="miss"} 2
prc_cache_events_total{cache="customers",event="hit"} 1

# HELP prc_breaker_state Circuit breaker state, one breaker per repository operation: 0 closed, 1 half_open, 2 open.
# TYPE prc_breaker_state gauge
prc_breaker_state{operation="findCustomerByPhone"} 1
prc_breaker_state{operation="listLabels"} 0
`;

/** The same events as the lines above, in the same order. */
function recordEvents(metrics: ReturnType<typeof createServeMetrics>): void {
  metrics.request('customer', 200, 3);
  metrics.request('label', 200, 0.2);
  metrics.request('customer', 200, 40);
  metrics.request(null, 404, 7);
  metrics.request('customer', 404, 12_000);
  metrics.request('customer', 200, 5);
  metrics.repositoryCall('findCustomerByPhone', 'ok');
  metrics.repositoryCall('listLabels', 'error');
  metrics.repositoryCall('findCustomerByPhone', 'aborted');
  metrics.cacheEvent('labels', 'miss');
  metrics.cacheEvent('customers', 'hit');
  metrics.cacheEvent('labels', 'miss');
  metrics.breakerState('open', 'findCustomerByPhone');
  metrics.breakerState('closed', 'listLabels');
  metrics.breakerState('half_open', 'findCustomerByPhone');
}

/** Lets the delay monitor take a few samples, holds the event loop for `ms`, then lets the monitor's next tick record it. */
async function blockEventLoop(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: a handler that blocks the event loop
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
}

/** The `# HELP` and `# TYPE` lines of an exposition, in order. */
const headers = (body: string) => body.split('\n').filter((line) => line.startsWith('# '));

describe('GET /metrics text (createServeMetrics)', () => {
  it("writes the connector's families exactly as prom-client did, after prom-client's default process metrics", async () => {
    const metrics = createServeMetrics({ caches: true, breaker: true });
    recordEvents(metrics);
    const { contentType, body } = await metrics.scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body.endsWith(`\n\n${CONNECTOR_FAMILIES}`)).toBe(true);
    // Every default family prom-client registers, in its order, before the connector's.
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    expect(headers(body)).toStrictEqual([...headers(await defaults.metrics()), ...headers(CONNECTOR_FAMILIES)]);
    expect(sampleValue(parsePrometheusText(body), 'process_cpu_seconds_total', {})).toBeGreaterThan(0);
  });

  it('keeps counting across scrapes: counters and the histogram grow, the breaker gauge shows the state now', async () => {
    const metrics = createServeMetrics({ caches: true, breaker: true });
    recordEvents(metrics);
    await metrics.scrape();
    recordEvents(metrics);
    const parsed = parsePrometheusText((await metrics.scrape()).body);
    expect(sampleValue(parsed, 'prc_requests_total', { route: 'customer', status: '200' })).toBe(6);
    expect(sampleValue(parsed, 'prc_request_duration_seconds_bucket', { route: 'customer', le: '0.05' })).toBe(6);
    expect(sampleValue(parsed, 'prc_request_duration_seconds_count', { route: 'customer' })).toBe(8);
    expect(sampleValue(parsed, 'prc_cache_events_total', { cache: 'labels', event: 'miss' })).toBe(4);
    expect(sampleValue(parsed, 'prc_breaker_state', { operation: 'findCustomerByPhone' })).toBe(1);
  });

  it('leaves out the cache and breaker families when those wrappers are off', async () => {
    const metrics = createServeMetrics({ caches: false, breaker: false });
    recordEvents(metrics);
    const { types } = parsePrometheusText((await metrics.scrape()).body);
    expect(types.has('prc_requests_total')).toBe(true);
    expect(types.has('prc_cache_events_total')).toBe(false);
    expect(types.has('prc_breaker_state')).toBe(false);
  });

  it("measures event-loop delay from start, not from the first scrape: a block before the first scrape is in its figures", async () => {
    const metrics = createServeMetrics({ caches: false, breaker: false });
    await blockEventLoop(80);
    const parsed = parsePrometheusText((await metrics.scrape()).body);
    expect(sampleValue(parsed, 'nodejs_eventloop_lag_max_seconds', {})).toBeGreaterThanOrEqual(0.05);
  });

  it("reports the event-loop delay as prom-client's collector did: the statistics since the previous scrape in seconds, and the lag of a setImmediate the previous scrape queued", async () => {
    const metrics = createServeMetrics({ caches: false, breaker: false });
    await blockEventLoop(200);
    const first = parsePrometheusText((await metrics.scrape()).body);
    expect(sampleValue(first, 'nodejs_eventloop_lag_max_seconds', {})).toBeGreaterThanOrEqual(0.15);
    expect(sampleValue(first, 'nodejs_eventloop_lag_seconds', {})).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = parsePrometheusText((await metrics.scrape()).body);
    // The block is before the previous scrape: reset since.
    expect(sampleValue(next, 'nodejs_eventloop_lag_max_seconds', {})).toBeLessThan(0.15);
    expect(sampleValue(next, 'nodejs_eventloop_lag_min_seconds', {})).toBeGreaterThan(0);
    expect(sampleValue(next, 'nodejs_eventloop_lag_p50_seconds', {})).toBeLessThanOrEqual(sampleValue(next, 'nodejs_eventloop_lag_p99_seconds', {}));
    expect(sampleValue(next, 'nodejs_eventloop_lag_seconds', {})).toBeGreaterThan(0);
    expect(sampleValue(next, 'nodejs_eventloop_lag_seconds', {})).toBeLessThan(1);
  });
});
