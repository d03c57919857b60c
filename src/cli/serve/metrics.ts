import { createRequire } from 'node:module';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Counter, Gauge, Metric, Registry } from 'prom-client';
import type * as PromClient from 'prom-client';
import type { ConnectorRoute } from '../../core/hooks.js';
import { abortWatchOf, isThenable } from '../../core/call.js';
import type { CustomerRepository, MaybePromise, RepositoryContext } from '../../core/repository.js';
import { keepValidated } from '../../core/wire.js';

/**
 * What the cache and circuit-breaker wrappers report to `/metrics`. A no-op sink is used when
 * metrics are off, so the wrappers call it unconditionally. Label values are fixed words,
 * never request data, so the number of series stays bounded.
 */
export interface MetricsSink {
  /** One repository call and how it ended. */
  repositoryCall(operation: 'findCustomerByPhone' | 'listLabels', outcome: 'ok' | 'error' | 'aborted'): void;
  /** A cache event, such as `('labels', 'hit')` or `('customers', 'miss')`. */
  cacheEvent(cache: 'labels' | 'customers', event: 'hit' | 'miss' | 'stale' | 'evict'): void;
  /** One method's breaker state now: 0 closed, 1 half_open, 2 open. */
  breakerState(state: 'closed' | 'half_open' | 'open', operation: 'findCustomerByPhone' | 'listLabels'): void;
}

/** The registry behind `/metrics` and the sink that feeds it. */
export interface ServeMetrics extends MetricsSink {
  /** One answered connector request (the two routes and any unknown path, never the health or metrics routes). */
  request(route: ConnectorRoute | null, status: number, durationMs: number): void;
  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export const noMetrics: MetricsSink = { repositoryCall() {}, cacheEvent() {}, breakerState() {} };

const BREAKER_VALUES = { closed: 0, half_open: 1, open: 2 } as const;
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** prom-client's default `eventLoopMonitoringPrecision` (ms). */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * A private registry (not prom-client's global one, so two servers in one process never mix)
 * with the connector's metrics and the process metrics prom-client collects by default.
 * `caches` and `breaker` register the wrappers' metrics only when those wrappers are on.
 *
 * prom-client is loaded at the first scrape, not at start (with its default metrics it is
 * about 50 ms of CPU, a fifth of `serve`'s start-up): until then every series is plain numbers,
 * handed to prom-client's metrics when scraped (per request that is also cheaper: prom-client's
 * `inc` and `observe` build and check a label string on every call). The event-loop delay is
 * sampled from start by serve's own histogram, which serve's `nodejs_eventloop_lag_*` gauges
 * read; prom-client's garbage-collection histogram (`nodejs_gc_duration_seconds`) counts
 * collections from the first scrape.
 */
export function createServeMetrics(options: { caches: boolean; breaker: boolean; logLinesDropped?: () => number }): ServeMetrics {
  const eventLoop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  eventLoop.enable();
  const requests = new Tallies();
  const calls = new Tallies();
  const cacheEvents = new Tallies();
  const durations = new Durations('prc_request_duration_seconds', 'Time to answer a connector request, by route.');
  const breakerStates = new Map<string, number>();
  let registry: Registry | undefined;
  const connector: ConnectorFamilies = { ...options, requests, durations, calls, cacheEvents, breakerStates, eventLoop };
  // Each label set's series is made once: a request costs a few map reads and two additions.
  const requestSeries = cached((route: string) => cached((status: number) => requests.series({ route, status: String(status) })));
  const durationSeries = cached((route: string) => durations.series(route));
  const callSeries = cached((operation: string) => cached((outcome: string) => calls.series({ operation, outcome })));
  const cacheSeries = cached((name: string) => cached((event: string) => cacheEvents.series({ cache: name, event })));
  return {
    request(route, status, durationMs) {
      // An unknown path counts as the one route "other": a path never becomes a label value.
      const name = route ?? 'other';
      requestSeries(name)(status).count += 1;
      durationSeries(name).observe(durationMs / 1000);
    },
    repositoryCall: (operation, outcome) => void (callSeries(operation)(outcome).count += 1),
    cacheEvent: (name, event) => {
      if (options.caches) cacheSeries(name)(event).count += 1;
    },
    breakerState: (state, operation) => {
      if (options.breaker) breakerStates.set(operation, BREAKER_VALUES[state]);
    },
    scrape: async () => {
      registry ??= promRegistry(loadPromClient(), connector);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** What {@link promRegistry} hands to prom-client. */
interface ConnectorFamilies {
  caches: boolean;
  breaker: boolean;
  /** The log's count of lines dropped since start (serve's logger), when there is one to report. */
  logLinesDropped?: () => number;
  requests: Tallies;
  durations: Durations;
  calls: Tallies;
  cacheEvents: Tallies;
  breakerStates: Map<string, number>;
  eventLoop: IntervalHistogram;
}

/** A default metric of prom-client's as `collectDefaultMetrics` calls it: registers its metrics on `registry`. */
type DefaultMetric = (registry: Registry, config: object) => void;

/** What serve takes from prom-client: its registry and metric classes, and its default metrics one by one. */
interface PromClientParts {
  Registry: typeof PromClient.Registry;
  Counter: typeof PromClient.Counter;
  Gauge: typeof PromClient.Gauge;
  /** prom-client's default metrics, in its order (`collectDefaultMetrics.metricsList`). */
  metricsList: readonly string[];
  /** The default metric of that name (each is its own file under prom-client's lib/metrics). */
  defaultMetric(name: string): DefaultMetric;
}

/**
 * prom-client, read from its own files (CommonJS, synchronously), not through its index: the
 * index also loads its Pushgateway (node:https, node:http, node:zlib), which serve never uses,
 * and an ES import reads the files through file handles, whose pending close the first scrape
 * would report as a `nodejs_active_requests{type="FileHandleCloseReq"}` series. The version is
 * pinned exactly (package.json), and test/cli/serve-metrics-text.test.ts holds the families to
 * what `collectDefaultMetrics` registers: an upgrade that moves a file or a metric fails there.
 */
function loadPromClient(): PromClientParts {
  const require = createRequire(import.meta.url);
  const lib = (file: string): unknown => require(`prom-client/lib/${file}`);
  return {
    Registry: lib('registry') as typeof PromClient.Registry,
    Counter: lib('counter') as typeof PromClient.Counter,
    Gauge: lib('gauge') as typeof PromClient.Gauge,
    metricsList: (lib('defaultMetrics') as typeof PromClient.collectDefaultMetrics).metricsList,
    defaultMetric: (name) => lib(`metrics/${name}`) as DefaultMetric,
  };
}

/** prom-client's event-loop delay family in `metricsList` (lib/metrics/eventLoopLag.js), which serve registers itself. */
const EVENT_LOOP_METRIC = 'eventLoopLag';

/**
 * The registry, made once at the first scrape: prom-client's default metrics (serve's own
 * event-loop family in the place of prom-client's), then the connector's, in the order (and with
 * the names, help, labels and buckets) they always had.
 */
function promRegistry(prom: PromClientParts, families: ConnectorFamilies): Registry {
  const register = new prom.Registry();
  const registers = [register];
  for (const name of prom.metricsList) {
    if (name === EVENT_LOOP_METRIC) eventLoopFamily(prom, registers, families.eventLoop);
    else prom.defaultMetric(name)(register, {});
  }
  const requests: Counter = new prom.Counter({ name: 'prc_requests_total', help: 'Connector requests answered, by route and status.', labelNames: ['route', 'status'], registers, collect: () => families.requests.flush(requests) });
  register.registerMetric(families.durations as unknown as Metric);
  const calls: Counter = new prom.Counter({ name: 'prc_repository_calls_total', help: 'Repository calls, by operation and outcome.', labelNames: ['operation', 'outcome'], registers, collect: () => families.calls.flush(calls) });
  if (families.caches) {
    const cache: Counter = new prom.Counter({ name: 'prc_cache_events_total', help: 'Cache events, by cache and event.', labelNames: ['cache', 'event'], registers, collect: () => families.cacheEvents.flush(cache) });
  }
  if (families.breaker) {
    const breaker: Gauge = new prom.Gauge({
      name: 'prc_breaker_state',
      help: 'Circuit breaker state, one breaker per repository operation: 0 closed, 1 half_open, 2 open.',
      labelNames: ['operation'],
      registers,
      collect: () => families.breakerStates.forEach((value, operation) => breaker.set({ operation }, value)),
    });
  }
  const { logLinesDropped } = families;
  if (logLinesDropped !== undefined) {
    let counted = 0;
    const dropped: Counter = new prom.Counter({
      name: 'prc_log_lines_dropped_total',
      help: 'Log lines dropped because stdout or stderr was not taking them (its reader stalled) or was closed (its reader went away).',
      registers,
      collect: () => {
        const now = logLinesDropped();
        if (now > counted) dropped.inc(now - counted);
        counted = now;
      },
    });
  }
  return register;
}

/** The statistics of the delay histogram, in prom-client's order: name, help, how a cluster aggregates it, and the value in nanoseconds. */
const EVENT_LOOP_STATISTICS: ReadonlyArray<[name: string, help: string, aggregator: PromClient.Aggregator, read: (histogram: IntervalHistogram) => number]> = [
  ['nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.', 'min', (histogram) => histogram.min],
  ['nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.', 'max', (histogram) => histogram.max],
  ['nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.', 'average', (histogram) => histogram.mean],
  ['nodejs_eventloop_lag_stddev_seconds', 'The standard deviation of the recorded event loop delays.', 'average', (histogram) => histogram.stddev],
  ['nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays.', 'average', (histogram) => histogram.percentile(50)],
  ['nodejs_eventloop_lag_p90_seconds', 'The 90th percentile of the recorded event loop delays.', 'average', (histogram) => histogram.percentile(90)],
  ['nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays.', 'average', (histogram) => histogram.percentile(99)],
];

/**
 * The `nodejs_eventloop_lag_*` family as prom-client's lib/metrics/eventLoopLag.js registers it
 * (names, help, gauges, seconds, aggregators, and what each value means), over serve's own
 * histogram, which has sampled since start: `nodejs_eventloop_lag_seconds` is how long a
 * `setImmediate` queued at the previous scrape waited (0 before), the others the histogram's
 * statistics since the previous scrape (since start at the first), after which it is reset.
 */
function eventLoopFamily(prom: PromClientParts, registers: Registry[], histogram: IntervalHistogram): void {
  const lag: Gauge = new prom.Gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Lag of event loop in seconds.',
    registers,
    aggregator: 'average',
    // This one metric's collect sets the whole family, as in prom-client.
    collect: () => {
      const start = process.hrtime.bigint();
      setImmediate(() => lag.set(Number(process.hrtime.bigint() - start) / 1e9));
      for (const [gauge, read] of statistics) gauge.set(read(histogram) / 1e9);
      histogram.reset();
    },
  });
  const statistics = EVENT_LOOP_STATISTICS.map(([name, help, aggregator, read]) => [new prom.Gauge({ name, help, registers, aggregator }), read] as const);
}

/** One counter series: its labels and the increments since the last scrape. */
interface Tally {
  labels: Record<string, string>;
  count: number;
}

/** A counter's series in the order they first counted, handed to prom-client's counter at each scrape. */
class Tallies {
  readonly #all: Tally[] = [];
  series(labels: Record<string, string>): Tally {
    const made = { labels, count: 0 };
    this.#all.push(made);
    return made;
  }
  flush(counter: Counter): void {
    for (const tally of this.#all) {
      if (tally.count === 0) continue;
      counter.inc(tally.labels, tally.count);
      tally.count = 0;
    }
  }
}

/** One route's histogram: prom-client's arithmetic (first bucket whose bound is not below the value; the sum added in order). */
class DurationSeries {
  readonly buckets: number[] = DURATION_BUCKETS.map(() => 0);
  sum = 0;
  count = 0;
  constructor(readonly route: string) {}
  observe(seconds: number): void {
    const at = DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
    if (at >= 0) this.buckets[at] = (this.buckets[at] as number) + 1;
    this.sum += seconds;
    this.count += 1;
  }
}

/**
 * The request-duration histogram, kept here and read by prom-client's registry as one of its
 * metrics (the `get()` of prom-client's Histogram, same values, same label order).
 */
class Durations {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #all: DurationSeries[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  series(route: string): DurationSeries {
    const made = new DurationSeries(route);
    this.#all.push(made);
    return made;
  }
  get(): { name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> } {
    const bucket = `${this.name}_bucket`;
    const values = this.#all.flatMap(({ route, buckets, sum, count }) => {
      let cumulative = 0;
      return [
        ...DURATION_BUCKETS.map((le, at) => ({ labels: { le, route }, value: (cumulative += buckets[at] as number), metricName: bucket })),
        { labels: { le: '+Inf', route }, value: count, metricName: bucket },
        { labels: { route }, value: sum, metricName: `${this.name}_sum` },
        { labels: { route }, value: count, metricName: `${this.name}_count` },
      ];
    });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/** `make(key)`, made once per key and kept. */
function cached<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}

/**
 * Counts every call the connector makes to the repository: `ok`, `error` (threw or rejected) or
 * `aborted` (still running when the connector's timeout fired). A call answered synchronously
 * is counted synchronously and a pre-validated repository stays one ({@link keepValidated}):
 * counting must not take the memory repository off its fast path (no promise, signal, timer or
 * schema per request). Whether it was aborted is read once it settled, through `abortWatchOf`.
 */
export function countRepositoryCalls(repository: CustomerRepository, sink: MetricsSink): CustomerRepository {
  const count = <T>(operation: 'findCustomerByPhone' | 'listLabels', context: RepositoryContext, call: () => MaybePromise<T>): MaybePromise<T> => {
    let result: MaybePromise<T>;
    try {
      result = call();
    } catch (error) {
      sink.repositoryCall(operation, 'error');
      throw error;
    }
    if (!isThenable(result)) {
      sink.repositoryCall(operation, 'ok');
      return result;
    }
    // The watch, not `signal`: reading `signal` would make the AbortController the call avoided.
    return Promise.resolve(result).then(
      (value) => {
        sink.repositoryCall(operation, abortWatchOf(context).aborted ? 'aborted' : 'ok');
        return value;
      },
      (error: unknown) => {
        sink.repositoryCall(operation, abortWatchOf(context).aborted ? 'aborted' : 'error');
        throw error;
      },
    );
  };
  return keepValidated(repository, {
    findCustomerByPhone: (query, context) => count('findCustomerByPhone', context, () => repository.findCustomerByPhone(query, context)),
    listLabels: (context) => count('listLabels', context, () => repository.listLabels(context)),
  });
}
