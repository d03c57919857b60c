import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
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

/**
 * A private registry (not prom-client's global one, so two servers in one process never mix)
 * with the connector's metrics and the process metrics prom-client collects by default.
 * `caches` and `breaker` register the wrappers' metrics only when those wrappers are on.
 */
export function createServeMetrics(options: { caches: boolean; breaker: boolean }): ServeMetrics {
  const register = new Registry();
  collectDefaultMetrics({ register });
  // The two per-request counters are summed in plain numbers and handed to prom-client when
  // scraped (its `collect`): prom-client's inc builds and checks a label string on every call.
  const pending: Tally[] = [];
  const flush = () => pending.forEach((tally) => tally.flush());
  const requests = new Counter({ name: 'prc_requests_total', help: 'Connector requests answered, by route and status.', labelNames: ['route', 'status'], registers: [register], collect: flush });
  const duration = new Histogram({
    name: 'prc_request_duration_seconds',
    help: 'Time to answer a connector request, by route.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const calls = new Counter({ name: 'prc_repository_calls_total', help: 'Repository calls, by operation and outcome.', labelNames: ['operation', 'outcome'], registers: [register], collect: flush });
  const cache = options.caches
    ? new Counter({ name: 'prc_cache_events_total', help: 'Cache events, by cache and event.', labelNames: ['cache', 'event'], registers: [register] })
    : undefined;
  const breaker = options.breaker
    ? new Gauge({ name: 'prc_breaker_state', help: 'Circuit breaker state, one breaker per repository operation: 0 closed, 1 half_open, 2 open.', labelNames: ['operation'], registers: [register] })
    : undefined;
  // Each label set's child is made once (prom-client's labels() builds and checks a label object
  // per call): a request costs a few map reads. Label values are a few fixed words and statuses.
  const tally = (child: Counter.Internal) => {
    const made = new Tally(child);
    pending.push(made);
    return made;
  };
  const requestChild = cached((route: string) => cached((status: number) => tally(requests.labels(route, String(status)))));
  const durationChild = cached((route: string) => duration.labels(route));
  const callChild = cached((operation: string) => cached((outcome: string) => tally(calls.labels(operation, outcome))));
  return {
    request(route, status, durationMs) {
      // An unknown path counts as the one route "other": a path never becomes a label value.
      const name = route ?? 'other';
      requestChild(name)(status).inc();
      durationChild(name).observe(durationMs / 1000);
    },
    repositoryCall: (operation, outcome) => callChild(operation)(outcome).inc(),
    cacheEvent: (name, event) => cache?.inc({ cache: name, event }),
    breakerState: (state, operation) => breaker?.set({ operation }, BREAKER_VALUES[state]),
    scrape: async () => ({ contentType: register.contentType, body: await register.metrics() }),
  };
}

/** One counter series' increments since the last scrape: a number per request, prom-client's inc once per scrape. */
class Tally {
  #count = 0;
  constructor(private readonly child: Counter.Internal) {}
  inc(): void {
    this.#count += 1;
  }
  flush(): void {
    if (this.#count === 0) return;
    this.child.inc(this.#count);
    this.#count = 0;
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
