/**
 * Thrown by a repository wrapped in {@link withCircuitBreaker} while its breaker is open: the
 * CRM was not asked. The connector answers it with 503 problem+json and a `Retry-After` of
 * {@link CircuitOpenError.retryAfterSeconds}.
 *
 * @example
 * ```ts
 * import { CircuitOpenError } from 'priority-routing-crm';
 * try {
 *   await repository.listLabels({ signal });
 * } catch (error) {
 *   if (error instanceof CircuitOpenError) console.log(`CRM shielded, retry in ${error.retryAfterSeconds} s`);
 * }
 * ```
 */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Whole seconds (at least 1) until the breaker lets a probe through to the CRM. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`The CRM failed repeatedly; calls fail fast for ${retryAfterSeconds} s before one probe is let through`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
