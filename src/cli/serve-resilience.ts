import type { CustomerRepository } from '../server/repository.js';
import { type CacheErrorEvent, withCache } from '../repositories/cache.js';
import { type CircuitBreakerState, withCircuitBreaker } from '../repositories/breaker.js';
import { UsageError } from './usage.js';

/** `serve`'s flags for {@link withCache} and {@link withCircuitBreaker}, merged into its option table. */
export const resilienceOptions = {
  'labels-ttl': { type: 'string' },
  'customers-ttl': { type: 'string' },
  // Node 20's parseArgs has no allowNegative: the negation is a flag of its own.
  'no-breaker': { type: 'boolean' },
} as const;

/** The lines of `serve --help` for {@link resilienceOptions}. */
export const RESILIENCE_HELP = `      --labels-ttl <ms>   keep the label list this long, then refresh it in the background
                          (default: 30000 with --database, else off; 0 turns it off)
      --customers-ttl <ms>
                          keep each customer found this long (default: 0, off)
      --no-breaker        no circuit breaker in front of --database (on by default there)
`;

/** What the flags chose: the wrapper to apply (if any) and the banner line saying so. */
export interface Resilience {
  /** The repository wrapped as chosen; the same one when nothing was. */
  wrap(repository: CustomerRepository, log: (line: string) => void): CustomerRepository;
  /** Whether {@link Resilience.wrap} changes anything. */
  readonly active: boolean;
  /** One banner line, such as `CRM protection: labels cached 30000 ms (stale up to 600000 ms on errors), …`. */
  readonly banner: string;
}

const STALE_IF_ERROR_MS = 600_000;
const FAILURE_THRESHOLD = 5;
const COOLDOWN_MS = 10_000;

function readMs(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new UsageError(`${flag} must be a whole number of milliseconds from 0 to 2147483647, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Reads `--labels-ttl`, `--customers-ttl` and `--no-breaker`. With `database` (a CRM that can be
 * slow or down) the label cache and the breaker are on unless turned off; over memory data,
 * which never fails, only what the flags ask for.
 *
 * @example
 * ```ts
 * const resilience = readResilience(values, false); // throws UsageError naming a bad flag
 * const repository = resilience.wrap(createMemoryRepository(data), (line) => stderr.write(line));
 * ```
 */
export function readResilience(
  values: { 'labels-ttl'?: string | undefined; 'customers-ttl'?: string | undefined; 'no-breaker'?: boolean | undefined },
  database: boolean,
): Resilience {
  const labelsTtlMs = readMs('--labels-ttl', values['labels-ttl']) ?? (database ? 30_000 : 0);
  const customersTtlMs = readMs('--customers-ttl', values['customers-ttl']) ?? 0;
  const breaker = database && values['no-breaker'] !== true;
  const cache = labelsTtlMs > 0 || customersTtlMs > 0 || database;
  const parts = [
    labelsTtlMs > 0 ? `labels cached ${labelsTtlMs} ms (stale up to ${STALE_IF_ERROR_MS} ms on errors)` : 'labels not cached',
    customersTtlMs > 0 ? `customers cached ${customersTtlMs} ms` : 'customers not cached',
    breaker ? `circuit breaker after ${FAILURE_THRESHOLD} failures, ${COOLDOWN_MS} ms cooldown` : 'no circuit breaker',
  ];
  return {
    active: cache || breaker,
    banner: `CRM protection: ${cache || breaker ? parts.join(', ') : 'off (--labels-ttl, --customers-ttl to turn on)'}`,
    wrap(repository, log) {
      let wrapped = repository;
      if (breaker) {
        const onStateChange = (state: CircuitBreakerState) => log(`${new Date().toISOString()} circuit breaker ${state}\n`);
        wrapped = withCircuitBreaker(wrapped, { failureThreshold: FAILURE_THRESHOLD, cooldownMs: COOLDOWN_MS, onStateChange });
      }
      if (cache) {
        const onError = (event: CacheErrorEvent) =>
          log(`${new Date().toISOString()} label refresh failed; ${event.stale ? `serving the list stale since ${event.staleSince.toISOString()}` : 'no list to serve'}\n`);
        wrapped = withCache(wrapped, { labelsTtlMs, customersTtlMs, staleIfErrorMs: STALE_IF_ERROR_MS, onError });
      }
      return wrapped;
    },
  };
}
