import type { ContractIssue, Problem } from '../contract/index.js';

/** What the client saw of an answer, for logs and reports. */
export interface ResponseInfo {
  /** The URL as sent. */
  url: string;
  status: number;
  /** The media type, lower case, without parameters; `""` when the response had none. */
  contentType: string;
  durationMs: number;
}

/** The answer broke the contract: not JSON, or a body that does not validate. */
export interface ContractViolationResult {
  ok: false;
  kind: 'contract_violation';
  /** Every problem found, each with a JSON path and a sentence. */
  issues: ContractIssue[];
  /** The body as parsed, or as text when it was not JSON. */
  body: unknown;
  response: ResponseInfo;
}

/** The connector answered with a status the contract does not expect here. */
export interface HttpErrorResult {
  ok: false;
  kind: 'http_error';
  status: number;
  /** The RFC 9457 problem in the body, when the body is one. */
  problem: Problem | undefined;
  response: ResponseInfo;
}

/** The request got no answer: connection refused or reset, DNS or TLS failure. */
export interface NetworkErrorResult {
  ok: false;
  kind: 'network_error';
  url: string;
  /** What went wrong, with the system error code where there is one (`ECONNREFUSED: …`). */
  message: string;
  cause: unknown;
}

/** No complete answer within the client's `timeoutMs`. */
export interface TimeoutResult {
  ok: false;
  kind: 'timeout';
  url: string;
  timeoutMs: number;
}

/** The ways a request can fail, whichever endpoint it went to. */
export type RequestFailure = ContractViolationResult | HttpErrorResult | NetworkErrorResult | TimeoutResult;

/** The customer was found and conforms. */
export interface CustomerFound<C> {
  ok: true;
  kind: 'found';
  customer: C;
  response: ResponseInfo;
}

/** 404: no customer has this number; Hybrid Chat routes the chat at priority 1. */
export interface CustomerNotFound {
  ok: false;
  kind: 'not_found';
  problem: Problem | undefined;
  response: ResponseInfo;
}

/** The outcome of `client.lookupCustomer(phone)`; tell the cases apart by `kind`. */
export type CustomerLookupResult<C> = CustomerFound<C> | CustomerNotFound | RequestFailure;

/** The label list was read and conforms. */
export interface LabelsFound<L> {
  ok: true;
  kind: 'found';
  labels: L;
  response: ResponseInfo;
}

/** The outcome of `client.listLabels()`; tell the cases apart by `kind`. */
export type LabelListResult<L> = LabelsFound<L> | RequestFailure;
