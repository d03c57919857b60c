import type { Problem } from '../contract/index.js';
import type { ConnectorResponse } from './http.js';

const BASE = 'https://priority-routing-crm.dev/problems/';

/**
 * The problem types the connector answers with, each a stable URI (RFC 9457 `type`). Clients
 * and monitoring may switch on them; they never change between versions.
 *
 * @example
 * ```ts
 * import { problemTypes } from 'priority-routing-crm';
 * if (problem.type === problemTypes.customerNotFound) route(1);
 * ```
 */
export const problemTypes = {
  /** 400: `query` is missing, repeated, badly percent-encoded or not `phone:{number}`. */
  invalidQuery: `${BASE}invalid-query`,
  /** 401: credentials are required and were missing or wrong. */
  unauthorized: `${BASE}unauthorized`,
  /** 404: no customer has the phone number. Hybrid Chat routes at priority 1. */
  customerNotFound: `${BASE}customer-not-found`,
  /** 404: the path is neither of the connector's two routes. */
  notFound: `${BASE}not-found`,
  /** 405: a method other than GET or HEAD. */
  methodNotAllowed: `${BASE}method-not-allowed`,
  /** 500: the connector itself failed (an `authenticate` function threw). */
  internalError: `${BASE}internal-error`,
  /** 500: the CRM lookup threw or rejected. */
  crmFailure: `${BASE}crm-failure`,
  /** 502: the CRM returned data that breaks the contract. */
  invalidCrmData: `${BASE}invalid-crm-data`,
  /** 504: the CRM did not answer within `timeoutMs`. */
  crmTimeout: `${BASE}crm-timeout`,
  /** 400, 408, 431: Node's HTTP parser refused the request (see `handleClientError`). */
  badRequest: `${BASE}bad-request`,
  requestTimeout: `${BASE}request-timeout`,
  headersTooLarge: `${BASE}headers-too-large`,
  /** 503: the CRM failed repeatedly and a circuit breaker is shielding it; see `Retry-After`. */
  circuitOpen: `${BASE}circuit-open`,
} as const;

/**
 * The name of one of the {@link problemTypes}.
 *
 * @example
 * ```ts
 * const name: ProblemName = 'customerNotFound';
 * ```
 */
export type ProblemName = keyof typeof problemTypes;

/**
 * The status and title of each problem type: what the connector sends, and what the OpenAPI
 * document shows, from this one table.
 *
 * @example
 * ```ts
 * import { problemCatalog } from 'priority-routing-crm';
 * problemCatalog.crmTimeout; // { status: 504, title: 'CRM timed out' }
 * ```
 */
export const problemCatalog: Readonly<Record<ProblemName, { readonly status: number; readonly title: string }>> = {
  invalidQuery: { status: 400, title: 'Invalid customer query' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  customerNotFound: { status: 404, title: 'Customer not found' },
  notFound: { status: 404, title: 'Not found' },
  methodNotAllowed: { status: 405, title: 'Method not allowed' },
  internalError: { status: 500, title: 'Internal error' },
  crmFailure: { status: 500, title: 'CRM lookup failed' },
  invalidCrmData: { status: 502, title: 'Invalid data from the CRM' },
  crmTimeout: { status: 504, title: 'CRM timed out' },
  badRequest: { status: 400, title: 'Bad request' },
  requestTimeout: { status: 408, title: 'Request timeout' },
  headersTooLarge: { status: 431, title: 'Request header fields too large' },
  circuitOpen: { status: 503, title: 'CRM temporarily unavailable' },
};

/**
 * Builds an `application/problem+json` response. `detail` must be a fixed sentence or one built
 * from safe parts: it reaches the client, so never put CRM data, stack traces or secrets in it.
 *
 * @example
 * ```ts
 * const response = problemResponse('customerNotFound', 'No customer has that phone number.');
 * response.status; // 404
 * ```
 */
export function problemResponse(
  name: ProblemName,
  detail: string,
  headers?: Readonly<Record<string, string>>,
): ConnectorResponse {
  const { status, title } = problemCatalog[name];
  const problem: Problem = { type: problemTypes[name], title, status, detail };
  return {
    status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}
