import { BrokenCircuitError, CircuitState, circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
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
  /** Called on every change of state, for a log line or a gauge; what it throws is ignored. */
  onStateChange?: ((state: CircuitBreakerState) => void) | undefined;
}

const STATES: Record<CircuitState, CircuitBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Wraps a repository in a circuit breaker (cockatiel's, consecutive-failure counting): after
 * `failureThreshold` consecutive failures or timeouts both methods fail fast with
 * {@link CircuitOpenError} for `cooldownMs`, without touching the CRM; then the next call is the
 * one probe (calls meanwhile still fail fast), and its success closes the breaker, its failure
 * opens it for another `cooldownMs`. A "not found" is a success. The connector answers the fast
 * failures with 503 problem+json and `Retry-After`.
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
  const policy = circuitBreaker(handleAll, { halfOpenAfter: cooldownMs, breaker: new ConsecutiveBreaker(failureThreshold) });
  // cockatiel compares Date.now() with the time it opened; so does the fast path below.
  let probeAt = 0;
  policy.onBreak(() => {
    probeAt = Date.now() + cooldownMs;
  });
  const onStateChange = options.onStateChange;
  if (onStateChange !== undefined) {
    policy.onStateChange((state) => {
      try {
        onStateChange(STATES[state]);
      } catch {
        // A hook observes; it never decides whether a chat gets routed.
      }
    });
  }

  const guarded = <T>(call: (context: RepositoryContext) => MaybePromise<T>, context: RepositoryContext): Promise<T> => {
    // Decided synchronously, so a fast failure costs the handler no timer and no promise chain.
    // While the probe runs, everyone else fails fast too instead of queueing behind it (cockatiel
    // would make them wait for the probe and then all call the CRM at once).
    if (policy.state === CircuitState.HalfOpen) throw new CircuitOpenError(1);
    if (policy.state === CircuitState.Open && Date.now() < probeAt) throw new CircuitOpenError(secondsUntil(probeAt));
    // A call abandoned by its signal (the handler's timeout) fails here even if the CRM never answers.
    return policy.execute(() => waitUnlessAborted(Promise.resolve(call(context)), context.signal)).catch((error: unknown) => {
      // Another call opened the breaker between the check above and this one.
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(secondsUntil(probeAt));
      throw error;
    });
  };

  return {
    findCustomerByPhone: (query, context) => guarded((inner) => repository.findCustomerByPhone(query, inner), context),
    listLabels: (context) => guarded((inner) => repository.listLabels(inner), context),
  };
}

const secondsUntil = (time: number) => Math.max(1, Math.ceil((time - Date.now()) / 1000));
