import type { CustomerRepository } from '../../core/repository.js';
import type { CacheErrorEvent, CacheEvent, CacheRecoverEvent } from '../../repositories/cache.js';
import type { CircuitBreakerOperation, CircuitBreakerState } from '../../repositories/breaker.js';
import type { ServeLogger } from './logging.js';
import type { MetricsSink } from './metrics.js';

/** What the flags chose: the wrapper to apply (if any) and the banner line saying so. */
export interface Resilience {
  /**
   * The repository wrapped as chosen; the same one when nothing was. Async because the breaker's
   * library (cockatiel, some 50 ms of start-up) is loaded only when the breaker is on.
   */
  wrap(repository: CustomerRepository, log: Pick<ServeLogger, 'info' | 'warn'>, metrics: MetricsSink, reason?: (error: unknown) => string): Promise<CustomerRepository>;
  /** Whether {@link Resilience.wrap} changes anything. */
  readonly active: boolean;
  /** Whether it adds `withCache` and `withCircuitBreaker`, for the metrics to register. */
  readonly cache: boolean;
  readonly breaker: boolean;
  /** One banner line, such as `CRM protection: labels cached 30000 ms (stale up to 600000 ms on errors), …`. */
  readonly banner: string;
}

const STALE_IF_ERROR_MS = 600_000;
const FAILURE_THRESHOLD = 5;
const COOLDOWN_MS = 10_000;

/** The error's name only (`TimeoutError`, `CircuitOpenError`): its message may quote the database. */
const errorName = (error: unknown) => (error instanceof Error || error instanceof DOMException ? error.name : typeof error);

/** A logged reason's length at most: a driver's message is a line, never a page. */
const MAX_REASON = 500;

/**
 * What `--labels-ttl`, `--customers-ttl` and `--no-breaker` (already validated by serve's option
 * table) turn on. With `database` (a CRM that can be slow or down) the label cache and the
 * breaker are on unless turned off; over memory data, which never fails, only what the flags ask for.
 */
export function readResilience(
  values: { labelsTtl?: number | undefined; customersTtl?: number | undefined; noBreaker?: boolean | undefined },
  database: boolean,
  /** The label cache's default for this source (a CRM: 300000); else 30000 with `database`, 0 without. */
  defaultLabelsTtlMs?: number,
): Resilience {
  const labelsTtlMs = values.labelsTtl ?? defaultLabelsTtlMs ?? (database ? 30_000 : 0);
  const customersTtlMs = values.customersTtl ?? 0;
  const breaker = database && values.noBreaker !== true;
  const cache = labelsTtlMs > 0 || customersTtlMs > 0 || database;
  const parts = [
    labelsTtlMs > 0 ? `labels cached ${labelsTtlMs} ms (stale up to ${STALE_IF_ERROR_MS} ms on errors)` : 'labels not cached',
    customersTtlMs > 0 ? `customers cached ${customersTtlMs} ms` : 'customers not cached',
    breaker ? `circuit breaker after ${FAILURE_THRESHOLD} failures, ${COOLDOWN_MS} ms cooldown` : 'no circuit breaker',
  ];
  return {
    active: cache || breaker,
    cache,
    breaker,
    banner: `CRM protection: ${cache || breaker ? parts.join(', ') : 'off (--labels-ttl, --customers-ttl to turn on)'}`,
    async wrap(repository, log, metrics, reason) {
      let wrapped = repository;
      if (breaker) {
        const { withCircuitBreaker } = await import('../../repositories/breaker.js');
        metrics.breakerState('closed', 'findCustomerByPhone');
        metrics.breakerState('closed', 'listLabels');
        const onStateChange = (state: CircuitBreakerState, operation: CircuitBreakerOperation) => {
          metrics.breakerState(state, operation);
          (state === 'closed' ? log.info : log.warn)(`circuit breaker ${state}`, { operation });
        };
        wrapped = withCircuitBreaker(wrapped, { failureThreshold: FAILURE_THRESHOLD, cooldownMs: COOLDOWN_MS, onStateChange });
      }
      if (cache) {
        // Loaded here, as the breaker is: memory data without --labels-ttl starts without lru-cache.
        const { withCache } = await import('../../repositories/cache.js');
        // Once when refreshing starts failing and once when it recovers, with the count between:
        // during an outage every stale answer tries a refresh, and a line each would flood the log.
        const onError = (event: CacheErrorEvent) => {
          if (event.consecutiveFailures !== 1) return;
          log.warn(`label refresh failing; ${event.stale ? `serving the list stale since ${event.staleSince.toISOString()}` : 'no list to serve'}`, { reason: (reason ?? errorName)(event.error).slice(0, MAX_REASON) });
        };
        const onRecover = (event: CacheRecoverEvent) =>
          log.info('label refresh recovered', { failures: event.failures, failingSince: event.failingSince.toISOString() });
        const onEvent = ({ cache: name, event }: CacheEvent) => metrics.cacheEvent(name, event);
        wrapped = withCache(wrapped, { labelsTtlMs, customersTtlMs, staleIfErrorMs: STALE_IF_ERROR_MS, onError, onRecover, onEvent });
      }
      return wrapped;
    },
  };
}
