import { BrokenCircuitError, CircuitState, circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { abortWatchOf } from '../core/call.js';
import type { CustomerRepository, MaybePromise, RepositoryContext } from '../core/repository.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { checkRepository, wholeNumberOption } from './options.js';
import { waitUnlessAborted } from './shared-call.js';

/**
 * The state of a {@link withCircuitBreaker} breaker: `closed` (calls go through), `open` (calls
 * fail fast with {@link CircuitOpenError}), `half_open` (one probe is with the CRM).
 *
 * @example
 * ```ts
 * import type { CircuitBreakerState } from 'priority-routing-crm';
 * const state: CircuitBreakerState = 'open';
 * ```
 */
export type CircuitBreakerState = 'closed' | 'open' | 'half_open';

/**
 * Options of {@link withCircuitBreaker}.
 *
 * @example
 * ```ts
 * import type { CircuitBreakerOptions } from 'priority-routing-crm';
 * const options: CircuitBreakerOptions = { failureThreshold: 3, cooldownMs: 30_000 };
 * ```
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures (throws, rejections, or calls abandoned by their signal) that open the breaker. Default 5. */
  failureThreshold?: number | undefined;
  /** How long an open breaker fails calls without asking the CRM before one probe decides. Default 10000. */
  cooldownMs?: number | undefined;
  /**
   * Called on every change of state of either breaker (one per method), with the method whose
   * breaker changed, for a log line or a gauge; what it throws is ignored.
   */
  onStateChange?: ((state: CircuitBreakerState, operation: CircuitBreakerOperation) => void) | undefined;
}

/**
 * The repository method a {@link withCircuitBreaker} breaker guards: each method has its own.
 *
 * @example
 * ```ts
 * import type { CircuitBreakerOperation } from 'priority-routing-crm';
 * const operation: CircuitBreakerOperation = 'listLabels';
 * ```
 */
export type CircuitBreakerOperation = 'findCustomerByPhone' | 'listLabels';

const STATES: Record<CircuitState, CircuitBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Wraps a repository in circuit breakers (cockatiel's, consecutive-failure counting), one per
 * method, so that lookups timing out never turn a healthy label list into 503 (nor the other
 * way round): after `failureThreshold` consecutive failures or timeouts of one method, that
 * method fails fast with {@link CircuitOpenError} for `cooldownMs`, without touching the CRM;
 * then its next call is the one probe (calls meanwhile still fail fast), and its success closes
 * the breaker, its failure opens it for another `cooldownMs`. A "not found" is a success. The
 * connector answers the fast failures with 503 problem+json and `Retry-After`.
 *
 * A call counts as a timeout when its `signal` aborts (the handler's `timeoutMs`), even if the
 * repository ignores the signal and never settles.
 *
 * @example
 * ```ts
 * import { createConnector, withCache, withCircuitBreaker } from 'priority-routing-crm';
 * const resilient = withCache(withCircuitBreaker(repository, { failureThreshold: 5, cooldownMs: 10_000 }));
 * const connector = createConnector({ repository: resilient });
 * ```
 */
export function withCircuitBreaker(repository: CustomerRepository, options: CircuitBreakerOptions = {}): CustomerRepository {
  checkRepository('withCircuitBreaker', repository);
  const failureThreshold = wholeNumberOption('failureThreshold', options.failureThreshold, 5, 1);
  const cooldownMs = wholeNumberOption('cooldownMs', options.cooldownMs, 10_000, 1);
  const lookups = breaker('findCustomerByPhone', failureThreshold, cooldownMs, options.onStateChange);
  const labels = breaker('listLabels', failureThreshold, cooldownMs, options.onStateChange);
  return {
    findCustomerByPhone: (query, context) => lookups((inner) => repository.findCustomerByPhone(query, inner), context),
    listLabels: (context) => labels((inner) => repository.listLabels(inner), context),
  };
}

/** One method's breaker: a function that runs a call through it. */
function breaker(
  operation: CircuitBreakerOperation,
  failureThreshold: number,
  cooldownMs: number,
  onStateChange: CircuitBreakerOptions['onStateChange'],
): <T>(call: (context: RepositoryContext) => MaybePromise<T>, context: RepositoryContext) => Promise<T> {
  const policy = circuitBreaker(handleAll, { halfOpenAfter: cooldownMs, breaker: new ConsecutiveBreaker(failureThreshold) });
  // cockatiel compares Date.now() with the time it opened; so does the fast path below.
  let probeAt = 0;
  policy.onBreak(() => {
    probeAt = Date.now() + cooldownMs;
  });
  if (onStateChange !== undefined) {
    policy.onStateChange((state) => {
      try {
        onStateChange(STATES[state], operation);
      } catch {
        // A hook observes; it never decides whether a chat gets routed.
      }
    });
  }

  return <T>(call: (context: RepositoryContext) => MaybePromise<T>, context: RepositoryContext): Promise<T> => {
    // Decided synchronously, so a fast failure costs the handler no timer and no promise chain.
    // While the probe runs, everyone else fails fast too instead of queueing behind it (cockatiel
    // would make them wait for the probe and then all call the CRM at once).
    if (policy.state === CircuitState.HalfOpen) throw new CircuitOpenError(1);
    if (policy.state === CircuitState.Open && Date.now() < probeAt) throw new CircuitOpenError(secondsUntil(probeAt));
    // A call abandoned by its signal (the handler's timeout) fails here even if the CRM never answers.
    return policy.execute(() => waitUnlessAborted(Promise.resolve(call(context)), abortWatchOf(context))).catch((error: unknown) => {
      // Another call opened the breaker between the check above and this one.
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(secondsUntil(probeAt));
      throw error;
    });
  };
}

const secondsUntil = (time: number) => Math.max(1, Math.ceil((time - Date.now()) / 1000));
