import { parseCustomerQuery, phoneKeys, type CountryCode } from '../../contract/index.js';
import type { RequestLogEvent } from './logging.js';
import { maskPhone } from '../../core/hooks.js';
import { readQueryParam } from '../../core/url.js';
import type { MetricsSink } from './metrics.js';

/** The status classes the per-minute chart stacks. */
export const STATUS_CLASSES = ['2xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** One minute of traffic: requests by status class. */
export interface MinuteBucket {
  /** Minutes since the epoch. */
  minute: number;
  counts: Record<StatusClass, number>;
}

/** One answered connector request, as the page lists it: nothing unmasked. */
export interface RecentRequest {
  at: Date;
  method: string;
  route: string;
  /** Masked (`+92******4567`). */
  phone?: string;
  status: number;
  durationMs: number;
  /** For a 404 on the customer route: the keys the number became, each masked. */
  keysTried?: string[];
}

export const MINUTES = 60;
export const RECENT = 50;

const classOf = (status: number): StatusClass => (status >= 500 ? '5xx' : status >= 400 ? '4xx' : '2xx');

/**
 * The in-process counters behind the status page, in bounded memory whatever the traffic: a
 * ring of {@link MINUTES} minute buckets, the last {@link RECENT} requests, cache counts and
 * the breaker's last state.
 */
export class StatusStats {
  readonly #buckets: MinuteBucket[] = [];
  readonly #recent: RecentRequest[] = [];
  readonly #cache = { labels: { hit: 0, miss: 0, stale: 0, evict: 0 }, customers: { hit: 0, miss: 0, stale: 0, evict: 0 } };
  // One breaker per repository method (a lookup outage leaves /label served), each shown.
  #breaker: Record<'findCustomerByPhone' | 'listLabels', 'closed' | 'half_open' | 'open'> = { findCustomerByPhone: 'closed', listLabels: 'closed' };
  readonly #defaultCountry: CountryCode | undefined;
  readonly #now: () => number;

  constructor(options: { defaultCountry?: CountryCode | undefined; now?: () => number } = {}) {
    this.#defaultCountry = options.defaultCountry;
    this.#now = options.now ?? Date.now;
  }

  /** One answered connector request; `search` is its query string, for the keys a 404 tried. */
  record(event: Omit<RequestLogEvent, 'path'>, search: string): void {
    const now = this.#now();
    const minute = Math.floor(now / 60_000);
    let bucket = this.#buckets.at(-1);
    if (bucket?.minute !== minute) {
      bucket = { minute, counts: { '2xx': 0, '4xx': 0, '5xx': 0 } };
      this.#buckets.push(bucket);
      while (this.#buckets.length > MINUTES) this.#buckets.shift();
    }
    bucket.counts[classOf(event.status)] += 1;
    const keysTried = event.status === 404 && event.route === 'customer' ? this.#keysTried(search) : undefined;
    this.#recent.push({
      at: new Date(now),
      method: event.method,
      route: event.route ?? 'other',
      status: event.status,
      durationMs: event.durationMs,
      ...(event.phone === undefined ? {} : { phone: event.phone }),
      ...(keysTried === undefined ? {} : { keysTried }),
    });
    if (this.#recent.length > RECENT) this.#recent.shift();
  }

  #keysTried(search: string): string[] | undefined {
    const param = readQueryParam(search, 'query');
    const query = param.ok ? parseCustomerQuery(param.value) : undefined;
    if (query?.ok !== true) return undefined;
    return phoneKeys(query.value.phone, this.#defaultCountry === undefined ? undefined : { defaultCountry: this.#defaultCountry }).map(maskPhone);
  }

  /** A sink that feeds these counters and passes every event on to `next` (the `/metrics` one). */
  observe(next: MetricsSink): MetricsSink {
    return {
      repositoryCall: (operation, outcome) => next.repositoryCall(operation, outcome),
      cacheEvent: (cache, event) => {
        this.#cache[cache][event] += 1;
        next.cacheEvent(cache, event);
      },
      breakerState: (state, operation) => {
        this.#breaker[operation] = state;
        next.breakerState(state, operation);
      },
    };
  }

  /** The last hour, one bucket per minute, oldest first; minutes without traffic are zeros. */
  minutes(): MinuteBucket[] {
    const last = Math.floor(this.#now() / 60_000);
    const byMinute = new Map(this.#buckets.map((bucket) => [bucket.minute, bucket]));
    return Array.from({ length: MINUTES }, (_, index) => {
      const minute = last - MINUTES + 1 + index;
      return byMinute.get(minute) ?? { minute, counts: { '2xx': 0, '4xx': 0, '5xx': 0 } };
    });
  }

  /** The last requests, newest first. */
  recent(): RecentRequest[] {
    return [...this.#recent].reverse();
  }

  /** Per cache: hits over hits and misses (a stale answer counts as a hit), or `undefined` before any lookup. */
  cacheHitRatio(cache: 'labels' | 'customers'): number | undefined {
    const counts = this.#cache[cache];
    const hits = counts.hit + counts.stale;
    const total = hits + counts.miss;
    return total === 0 ? undefined : hits / total;
  }

  breakerState(): Readonly<Record<'findCustomerByPhone' | 'listLabels', 'closed' | 'half_open' | 'open'>> {
    return this.#breaker;
  }
}
