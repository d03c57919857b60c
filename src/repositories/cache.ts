import { LRUCache } from 'lru-cache';
import { type AbortWatch, abortWatchOf } from '../core/call.js';
import type { CustomerRecord, CustomerRepository, LabelRecord, MaybePromise, RepositoryContext } from '../core/repository.js';
import { readyCustomer, readyLabels } from '../core/wire.js';
import { checkRepository, wholeNumberOption } from './options.js';
import { SharedCalls } from './shared-call.js';

/**
 * What `onError` of {@link withCache} receives when refreshing the label list failed or timed
 * out. For your logs; nothing of it reaches Hybrid Chat.
 *
 * @example
 * ```ts
 * import type { CacheErrorEvent } from 'priority-routing-crm';
 * const log = (event: CacheErrorEvent) =>
 *   event.stale ? console.warn(`serving labels stale since ${event.staleSince.toISOString()}`) : console.error(event.error);
 * ```
 */
export type CacheErrorEvent =
  | {
      kind: 'labels_refresh_failed';
      /** The last good list is still served. */
      stale: true;
      /** When the served list went stale (its fetch time plus `labelsTtlMs`). */
      staleSince: Date;
      /** What the refresh threw or rejected with (a `TimeoutError` `DOMException` for a timeout). */
      error: unknown;
      /** Failed refreshes in a row, this one included: `1` is the change worth a log line. */
      consecutiveFailures: number;
    }
  | {
      kind: 'labels_refresh_failed';
      /** No list could be served: none was read yet, or the last is older than `staleIfErrorMs` allows. */
      stale: false;
      error: unknown;
      consecutiveFailures: number;
    };

/**
 * What `onRecover` of {@link withCache} receives when the label list was read again after one or
 * more failed refreshes: how many failed, and since when. For your logs.
 *
 * @example
 * ```ts
 * import type { CacheRecoverEvent } from 'priority-routing-crm';
 * const log = (event: CacheRecoverEvent) =>
 *   console.info(`labels read again after ${event.failures} failed refreshes since ${event.failingSince.toISOString()}`);
 * ```
 */
export interface CacheRecoverEvent {
  kind: 'labels_refresh_recovered';
  /** The failed refreshes between the last good read and this one. */
  failures: number;
  /** When the first of them failed. */
  failingSince: Date;
}

/**
 * What `onEvent` of {@link withCache} receives for each read: which cache, and whether it was
 * answered from it (`hit`), served stale while one call refreshes it (`stale`), or went to the
 * repository (`miss`); `evict` when a kept customer made room for another.
 */
export interface CacheEvent {
  cache: 'labels' | 'customers';
  event: 'hit' | 'miss' | 'stale' | 'evict';
}

/**
 * Options of {@link withCache}.
 *
 * @example
 * ```ts
 * import type { CacheOptions } from 'priority-routing-crm';
 * const options: CacheOptions = { labelsTtlMs: 60_000, customersTtlMs: 5_000, maxCustomers: 50_000 };
 * ```
 */
export interface CacheOptions {
  /**
   * How long a label list is fresh. Once stale it is still served while one background call
   * refreshes it. `0` turns the label cache off (concurrent reads still share one call). Default 30000.
   */
  labelsTtlMs?: number | undefined;
  /** How long past going stale the last good list is served while refreshing fails or times out. Default 600000 (10 min). */
  staleIfErrorMs?: number | undefined;
  /** How long a found customer is reused. Default `0`: off, so that label changes show up at once. */
  customersTtlMs?: number | undefined;
  /** At most this many customers (and "not found" answers) kept; the least recently used go first. Default 10000. */
  maxCustomers?: number | undefined;
  /** How long a "not found" is reused. Default `0`: never cached. */
  notFoundTtlMs?: number | undefined;
  /**
   * How long a shared repository call may run before its signal aborts and it counts as failed:
   * no single request owns it, so it needs its own limit. Default 3000, the handlers' `timeoutMs`.
   */
  timeoutMs?: number | undefined;
  /**
   * Called when refreshing the label list failed; says whether a stale list is served and since
   * when, and how many refreshes failed in a row (log the first, not one line per request).
   */
  onError?: ((event: CacheErrorEvent) => void) | undefined;
  /** Called once when the label list is read again after failed refreshes, with their count. */
  onRecover?: ((event: CacheRecoverEvent) => void) | undefined;
  /** Called on every read with what the cache did (for metrics); it must not throw. */
  onEvent?: ((event: CacheEvent) => void) | undefined;
}

interface LabelEntry {
  list: readonly LabelRecord[];
  fetchedAt: number;
}

/** A customer as remembered: `null` for a remembered "not found". */
interface CustomerEntry {
  record: CustomerRecord | null;
}

const LABELS = 'labels';
/** One clock for the label list and lru-cache's TTLs (which default to `performance`), read at each call. */
const CLOCK = { now: () => Date.now() };

/**
 * Wraps a repository so that a burst of chats costs the CRM one call, not one per chat:
 *
 * - the label list is kept for `labelsTtlMs`, then served stale while one background call
 *   refreshes it; concurrent reads of a cold list share one call;
 * - when refreshing fails or times out, the last good list is served for up to `staleIfErrorMs`
 *   past going stale (`onError` says so and since when); after that the failure reaches the
 *   handler (500 or 504) until the CRM answers again;
 * - concurrent lookups of the same number share one call, always; found customers are kept for
 *   `customersTtlMs` (default off) and "not found" for `notFoundTtlMs` (default off), at most
 *   `maxCustomers` of them (least recently used evicted first, lru-cache);
 * - a request's `signal` ends that request's wait only: the shared call goes on for the others.
 *
 * Lookups are keyed by the query's first `phoneKeys` entry (the E.164 digits when the connector
 * has a `defaultCountry`), else its `normalizedPhone` (the digits). What is kept is validated once,
 * when stored, and kept reduced to the contract's fields and frozen, so a hit costs no validation.
 *
 * @example
 * ```ts
 * import { createConnector, withCache } from 'priority-routing-crm';
 * const connector = createConnector({ repository: withCache(repository, { labelsTtlMs: 30_000, staleIfErrorMs: 600_000 }) });
 * ```
 */
export function withCache(repository: CustomerRepository, options: CacheOptions = {}): CustomerRepository {
  checkRepository('withCache', repository);
  const labelsTtlMs = wholeNumberOption('labelsTtlMs', options.labelsTtlMs, 30_000);
  const staleIfErrorMs = wholeNumberOption('staleIfErrorMs', options.staleIfErrorMs, 600_000);
  const customersTtlMs = wholeNumberOption('customersTtlMs', options.customersTtlMs, 0);
  const maxCustomers = wholeNumberOption('maxCustomers', options.maxCustomers, 10_000, 1);
  const notFoundTtlMs = wholeNumberOption('notFoundTtlMs', options.notFoundTtlMs, 0);
  const timeoutMs = wholeNumberOption('timeoutMs', options.timeoutMs, 3000, 1);
  const { onError, onRecover } = options;
  const onEvent = options.onEvent ?? (() => {});

  const calls = new SharedCalls<string>(timeoutMs);
  const customers =
    customersTtlMs > 0 || notFoundTtlMs > 0 ? new LRUCache<string, CustomerEntry>({
          max: maxCustomers,
          perf: CLOCK,
          ttlResolution: 0,
          dispose: (_value, _key, reason) => {
            if (reason === 'evict') onEvent({ cache: 'customers', event: 'evict' });
          },
        }) : undefined;
  let labels: LabelEntry | undefined;
  // The failed refreshes since the last good one: an outage is one failing state, not a failure per request.
  let failing: { count: number; since: number } | undefined;

  const report = (error: unknown) => {
    const now = Date.now();
    failing = { count: (failing?.count ?? 0) + 1, since: failing?.since ?? now };
    const consecutiveFailures = failing.count;
    const event: CacheErrorEvent =
      labels !== undefined && servable(labels, now)
        ? { kind: 'labels_refresh_failed', stale: true, staleSince: new Date(labels.fetchedAt + labelsTtlMs), error, consecutiveFailures }
        : { kind: 'labels_refresh_failed', stale: false, error, consecutiveFailures };
    observe(onError, event);
  };
  const recovered = () => {
    if (failing === undefined) return;
    const event: CacheRecoverEvent = { kind: 'labels_refresh_recovered', failures: failing.count, failingSince: new Date(failing.since) };
    failing = undefined;
    observe(onRecover, event);
  };
  const servable = (entry: LabelEntry, now: number) => now < entry.fetchedAt + labelsTtlMs + staleIfErrorMs;

  const refreshLabels = (signal?: AbortWatch) =>
    calls.run(
      LABELS,
      (shared) => repository.listLabels(shared),
      signal,
      // Once per shared call (not per caller), and also when the call timed out rather than failed.
      (call) =>
        call.then(
          (list) => {
            if (labelsTtlMs > 0) labels = { list: readyLabels(list), fetchedAt: Date.now() };
            recovered();
          },
          report,
        ),
    );

  const findCustomer = (query: Parameters<CustomerRepository['findCustomerByPhone']>[0], context: RepositoryContext) => {
    // The canonical key when the connector has a defaultCountry, so every spelling of one number shares.
    const key = query.phoneKeys?.[0] ?? query.normalizedPhone;
    const kept = customers?.get(key);
    if (kept !== undefined) {
      onEvent({ cache: 'customers', event: 'hit' });
      return kept.record;
    }
    onEvent({ cache: 'customers', event: 'miss' });
    return calls.run(
      `customer:${key}`,
      async (shared) => {
        const record = (await repository.findCustomerByPhone(query, shared)) ?? null;
        const ttl = record === null ? notFoundTtlMs : customersTtlMs;
        // lru-cache reads a ttl of 0 as "forever"; here 0 means "do not keep".
        if (customers !== undefined && ttl > 0) customers.set(key, { record: record === null ? null : readyCustomer(record) }, { ttl });
        return record;
      },
      abortWatchOf(context),
    );
  };

  const cached: CustomerRepository = {
    findCustomerByPhone: findCustomer,
    listLabels(context): MaybePromise<readonly LabelRecord[]> {
      const entry = labels;
      const now = Date.now();
      if (entry === undefined || !servable(entry, now)) {
        onEvent({ cache: 'labels', event: 'miss' });
        return refreshLabels(abortWatchOf(context));
      }
      if (now - entry.fetchedAt < labelsTtlMs) {
        onEvent({ cache: 'labels', event: 'hit' });
        return entry.list;
      }
      // Stale but within stale-if-error: answer now, refresh behind it (once; the failure goes to onError).
      onEvent({ cache: 'labels', event: 'stale' });
      refreshLabels().catch(() => {});
      return entry.list;
    },
  };
  Object.defineProperty(cached, CACHE_STATS, { value: () => ({ customers: customers?.size ?? 0, running: calls.size }) });
  return cached;
}

/** Calls a hook that observes: what it throws never decides whether a chat gets routed. */
function observe<E>(hook: ((event: E) => void) | undefined, event: E): void {
  try {
    hook?.(event);
  } catch {
    // Ignored, as documented for every hook.
  }
}

const CACHE_STATS = Symbol('cacheStats');

/**
 * How many customers a {@link withCache} repository keeps and how many shared calls are running:
 * for the tests and benchmarks that check its memory stays bounded (not exported from the package).
 */
export function cacheStats(repository: CustomerRepository): { customers: number; running: number } {
  const stats = (repository as unknown as Record<symbol, (() => { customers: number; running: number }) | undefined>)[CACHE_STATS];
  if (stats === undefined) throw new TypeError('cacheStats needs a repository made by withCache');
  return stats();
}
