import type { ContractIssue } from './issues.js';

/**
 * The one result shape of the package: the value, or every issue found, never a thrown error.
 * Validation, query parsing and the connector's own record checks all return it.
 *
 * @example
 * ```ts
 * import { validateCustomer, type Result, type StrictCustomer } from 'priority-routing-crm';
 * const result: Result<StrictCustomer> = validateCustomer(await response.json());
 * if (result.ok) console.log(result.value.labels);
 * else console.error(result.issues.map((issue) => issue.path)); // e.g. ['$.createdAt']
 * ```
 */
export type Result<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

/**
 * The same shape with failure fields of one's own, for the internal steps whose failures are not
 * contract issues (a repository call that timed out, a query parameter that is missing). Kept
 * internal: the public API has {@link Result} only, which is `Outcome<T, { issues }>` written out
 * so that an editor's hover shows the plain shape.
 */
export type Outcome<T, Failure extends object> = { ok: true; value: T } | ({ ok: false } & Failure);
