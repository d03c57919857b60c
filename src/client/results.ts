import type { ContractIssue, Problem } from '../contract/index.js';

/**
 * What the client saw of an answer, for logs and reports.
 *
 * @example
 * ```ts
 * const result = await client.listLabels();
 * if (result.ok) console.log(`${result.response.status} in ${result.response.durationMs} ms`);
 * ```
 */
export interface ResponseInfo {
  /**
   * The URL as sent (user info moved to an `Authorization` header), with every query value but
   * the phone's masked (`token=***`) unless the client was made with `showSecrets`.
   */
  url: string;
  status: number;
  /** The media type, lower case, without parameters; `""` when the response had none. */
  contentType: string;
  durationMs: number;
}

/**
 * The answer broke the contract: not JSON, or a body that does not validate.
 *
 * @example
 * ```ts
 * if (result.kind === 'contract_violation') for (const issue of result.issues) console.error(`${issue.path}: ${issue.message}`);
 * ```
 */
export interface ContractViolationResult {
  ok: false;
  kind: 'contract_violation';
  /** The problems found, each with a JSON path and a sentence; at most 50 for a label list or a customer's label ids. */
  issues: ContractIssue[];
  /** How many more problems there were than `issues` lists; absent when it lists them all. */
  omittedIssues?: number;
  /** The body as parsed, or as text when it was not JSON. */
  body: unknown;
  response: ResponseInfo;
}

/**
 * The connector answered with a status the contract does not expect here.
 *
 * @example
 * ```ts
 * if (result.kind === 'http_error') console.error(result.status, result.problem?.detail);
 * ```
 */
export interface HttpErrorResult {
  ok: false;
  kind: 'http_error';
  status: number;
  /** The RFC 9457 problem in the body, when the body is one. */
  problem: Problem | undefined;
  response: ResponseInfo;
}

/**
 * The request got no answer: connection refused or reset, DNS or TLS failure.
 *
 * @example
 * ```ts
 * if (result.kind === 'network_error') console.error(`cannot reach ${result.url}: ${result.message}`); // secrets in the URL are masked
 * ```
 */
export interface NetworkErrorResult {
  ok: false;
  kind: 'network_error';
  url: string;
  /**
   * What went wrong, with the system error code where there is one (`ECONNREFUSED: …`). Never
   * quotes a URL password, a query token or a header value.
   */
  message: string;
  cause: unknown;
}

/**
 * No complete answer within the client's `timeoutMs`.
 *
 * @example
 * ```ts
 * if (result.kind === 'timeout') console.error(`no answer within ${result.timeoutMs} ms`);
 * ```
 */
export interface TimeoutResult {
  ok: false;
  kind: 'timeout';
  url: string;
  timeoutMs: number;
}

/**
 * The ways a request can fail, whichever endpoint it went to.
 *
 * @example
 * ```ts
 * import { type RequestFailure } from 'priority-routing-crm';
 * const describe = (failure: RequestFailure) => (failure.kind === 'http_error' ? `HTTP ${failure.status}` : failure.kind);
 * ```
 */
export type RequestFailure = ContractViolationResult | HttpErrorResult | NetworkErrorResult | TimeoutResult;

/**
 * The customer was found and conforms.
 *
 * @example
 * ```ts
 * if (result.kind === 'found') console.log(result.customer.labels);
 * ```
 */
export interface CustomerFound<C> {
  ok: true;
  kind: 'found';
  customer: C;
  response: ResponseInfo;
}

/**
 * 404: no customer has this number; Hybrid Chat routes the chat at priority 1.
 *
 * @example
 * ```ts
 * if (result.kind === 'not_found') console.log('routed at priority 1', result.problem?.detail);
 * ```
 */
export interface CustomerNotFound {
  ok: false;
  kind: 'not_found';
  problem: Problem | undefined;
  response: ResponseInfo;
}

/**
 * The outcome of `client.lookupCustomer(phone)`; tell the cases apart by `kind`.
 *
 * @example
 * ```ts
 * import { type CustomerLookupResult, type StrictCustomer } from 'priority-routing-crm';
 * const result: CustomerLookupResult<StrictCustomer> = await client.lookupCustomer('1111');
 * if (result.ok) console.log(result.customer._id);
 * ```
 */
export type CustomerLookupResult<C> = CustomerFound<C> | CustomerNotFound | RequestFailure;

/**
 * The label list was read and conforms.
 *
 * @example
 * ```ts
 * const result = await client.listLabels();
 * if (result.kind === 'found') console.log(result.labels.map((label) => label.name));
 * ```
 */
export interface LabelsFound<L> {
  ok: true;
  kind: 'found';
  labels: L;
  response: ResponseInfo;
}

/**
 * The outcome of `client.listLabels()`; tell the cases apart by `kind`.
 *
 * @example
 * ```ts
 * import { type LabelListResult, type StrictLabelList } from 'priority-routing-crm';
 * const result: LabelListResult<StrictLabelList> = await client.listLabels();
 * const names = result.ok ? result.labels.map((label) => label.name) : [];
 * ```
 */
export type LabelListResult<L> = LabelsFound<L> | RequestFailure;
