import type { ContractIssue } from '../contract/issues.js';
import { CircuitOpenError } from '../repositories/circuit-open-error.js';

/**
 * The CRM answered something the connector cannot use: a failed token request (`invalid_client`),
 * a redirect, an answer too large or not JSON, or a result that does not map onto the contract.
 * The connector answers 502 and logs each issue (which names the profile key); nothing of it, and
 * never a credential, reaches Hybrid Chat.
 *
 * @example
 * ```ts
 * import { CrmResponseError } from 'priority-routing-crm/crm';
 * try { await repository.listLabels({ signal }); } catch (error) { if (error instanceof CrmResponseError) console.error(error.issues); }
 * ```
 */
export class CrmResponseError extends Error {
  override readonly name = 'CrmResponseError';
  /** What was wrong, each with where (`$.first_name`, `(token)`) and a sentence naming the profile key. */
  readonly issues: ContractIssue[];
  constructor(message: string, issues: ContractIssue[] = [{ path: '$', message, code: 'crm_response', segments: [] }]) {
    super(message);
    this.issues = issues;
  }
}

/**
 * The CRM asked to slow down (429 or 503 with `Retry-After`, `X-RateLimit-Reset` or a body hint,
 * or an error the profile's `rateLimit.errors` names, such as Salesforce's 403 REQUEST_LIMIT_EXCEEDED)
 * for longer than the lookup could wait: the connector answers 503 with `Retry-After`, as for an
 * open circuit breaker, and the failure counts toward the breaker.
 *
 * @example
 * ```ts
 * import { CrmRateLimitError } from 'priority-routing-crm/crm';
 * try { await repository.listLabels({ signal }); } catch (error) { if (error instanceof CrmRateLimitError) console.warn(`CRM busy for ${error.retryAfterSeconds} s`); }
 * ```
 */
export class CrmRateLimitError extends CircuitOpenError {
  constructor(retryAfterSeconds: number, status: number, code?: string) {
    super(retryAfterSeconds);
    this.message = `The CRM answered ${status}${code === undefined ? '' : ` ${code}`} (rate limit): retry in ${retryAfterSeconds} s`;
  }
}

/** One issue from a place and a sentence. */
export const issue = (path: string, message: string): ContractIssue => ({ path, message, code: 'crm_response', segments: [] });
