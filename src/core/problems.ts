import { customerQueryMessages, type CustomerQueryError, type Problem } from '../contract/index.js';
import type { ConnectorResponse } from './http.js';

// Problem `type` URIs are identifiers that must never change, not links to follow (RFC 9457
// allows a URI that does not resolve). A `tag:` URI (RFC 4151) is one by construction: it
// claims no domain that someone has to keep registered and serving, and it cannot be confused
// with a page. The tagging entity is the package name and the year the types were minted.
const TYPE_BASE = 'tag:priority-routing-crm,2026:problem/';

/** Why the `query` parameter could not be read at all (missing, given twice, or not decodable). */
type QueryParamProblem = 'missing' | 'repeated' | 'malformed';

const QUERY_PARAM_DETAILS: Readonly<Record<QueryParamProblem, string>> = {
  missing: 'The query parameter is missing; send query=phone:{number}, such as query=phone:1111.',
  repeated: 'The query parameter must appear once.',
  malformed: 'The query parameter is not valid percent-encoded UTF-8.',
};

const capitalize = (sentence: string) => sentence.charAt(0).toUpperCase() + sentence.slice(1);

const DEFAULT_PATHS = { customer: '/customer', label: '/label' } as const;

const INTERNAL_ERROR_DETAILS = {
  unexpected: 'The connector failed unexpectedly. The connector log has the details.',
  authenticate: 'Checking the credentials failed.',
  send: 'The connector failed to send its answer. The connector log has the details.',
} as const;

const NOT_READY_DETAILS = {
  shuttingDown: 'The connector is shutting down.',
  timeout: 'The repository did not list the labels in time.',
  notAList: 'The repository did not answer with a list of labels.',
  failed: 'The repository failed to list the labels.',
} as const;

const BAD_REQUEST_DETAILS = {
  malformed: 'The request is not valid HTTP/1.1 and was not read.',
  missingHost: 'An HTTP/1.1 request must carry a Host header.',
} as const;

/**
 * The one table every problem body is built from: status, title, the `type` URI's last segment,
 * and the detail (a fixed sentence, or one built from safe parts only). The connector sends
 * these and the OpenAPI document shows them, so the two cannot drift apart.
 */
const PROBLEMS = {
  /** 400: `query` is missing, repeated, badly percent-encoded or not `phone:{number}`. */
  invalidQuery: {
    status: 400,
    title: 'Invalid customer query',
    slug: 'invalid-query',
    detail: (reason: QueryParamProblem | CustomerQueryError) =>
      reason in QUERY_PARAM_DETAILS
        ? QUERY_PARAM_DETAILS[reason as QueryParamProblem]
        : `${capitalize(customerQueryMessages[reason as CustomerQueryError])}.`,
  },
  /** 401: credentials are required and were missing or wrong. */
  unauthorized: { status: 401, title: 'Unauthorized', slug: 'unauthorized', detail: () => 'Credentials are missing or wrong.' },
  /** 404: no customer has the phone number. Hybrid Chat routes at priority 1. */
  customerNotFound: {
    status: 404,
    title: 'Customer not found',
    slug: 'customer-not-found',
    detail: () => 'No customer has the phone number given in query.',
  },
  /** 404: the path is neither of the connector's two routes; the detail names the real ones, a base path as `{base path}`. */
  notFound: {
    status: 404,
    title: 'Not found',
    slug: 'not-found',
    // 'probes': `serve --admin-port`'s port, which answers only the probes and the metrics.
    detail: (paths: { readonly customer: string; readonly label: string } | 'probes' = DEFAULT_PATHS) =>
      paths === 'probes'
        ? 'This port answers GET /healthz, GET /readyz and GET /metrics.'
        : `This connector answers GET ${paths.customer}?query=phone:{number} and GET ${paths.label}.`,
  },
  /** 405: a method other than GET or HEAD. */
  methodNotAllowed: {
    status: 405,
    title: 'Method not allowed',
    slug: 'method-not-allowed',
    detail: () => 'Only GET and HEAD are supported.',
  },
  /** 500: the connector itself failed (an `authenticate` function threw, sending failed, or a bug). */
  internalError: {
    status: 500,
    title: 'Internal error',
    slug: 'internal-error',
    detail: (cause: keyof typeof INTERNAL_ERROR_DETAILS = 'unexpected') => INTERNAL_ERROR_DETAILS[cause],
  },
  /** 500: the CRM lookup threw or rejected. */
  crmFailure: {
    status: 500,
    title: 'CRM lookup failed',
    slug: 'crm-failure',
    detail: () => 'The CRM lookup failed. The connector log has the details.',
  },
  /** 502: the CRM returned data that breaks the contract. */
  invalidCrmData: {
    status: 502,
    title: 'Invalid data from the CRM',
    slug: 'invalid-crm-data',
    detail: (what: string) => `The CRM returned ${what} that breaks the contract. The connector log has the details.`,
  },
  /** 503: the CRM kept failing, so a circuit breaker answers at once for a while instead of calling it. */
  circuitOpen: {
    status: 503,
    title: 'CRM unavailable',
    slug: 'circuit-open',
    detail: (retryAfterSeconds: number) =>
      `The CRM kept failing, so the connector is not calling it for now, to let it recover. Try again in ${retryAfterSeconds} s.`,
  },
  /** 504: the CRM did not answer within `timeoutMs`. */
  crmTimeout: {
    status: 504,
    title: 'CRM timed out',
    slug: 'crm-timeout',
    detail: (timeoutMs: number) => `The CRM did not answer within ${timeoutMs} ms.`,
  },
  // Node's HTTP parser refused the request before any route saw it (`handleClientError`): not
  // operations' responses, so the OpenAPI document leaves them out.
  /** 400: not valid HTTP/1.1 (bad request line, TE and CL, obs-fold), or no Host header. */
  badRequest: {
    status: 400,
    title: 'Bad request',
    slug: 'bad-request',
    detail: (cause: keyof typeof BAD_REQUEST_DETAILS = 'malformed') => BAD_REQUEST_DETAILS[cause],
  },
  /** 408: the request did not arrive within the server's request timeout. */
  requestTimeout: { status: 408, title: 'Request timeout', slug: 'request-timeout', detail: () => 'The request did not arrive in time.' },
  /** 431: the request headers are larger than the server accepts. */
  headersTooLarge: {
    status: 431,
    title: 'Request header fields too large',
    slug: 'headers-too-large',
    detail: () => 'The request headers are larger than the server accepts.',
  },
  // `serve`'s readiness probe (`/readyz`), outside the connector's routes: not in the OpenAPI document either.
  /** 503: the repository did not list the labels in time, failed, or the process is shutting down. */
  notReady: {
    status: 503,
    title: 'Not ready',
    slug: 'not-ready',
    detail: (cause: keyof typeof NOT_READY_DETAILS) => NOT_READY_DETAILS[cause],
  },
} as const;

/**
 * The problems Node's HTTP parser causes before a route sees the request; the OpenAPI document
 * leaves them out (no operation can describe a request that is not HTTP).
 */
export const transportProblems = ['badRequest', 'requestTimeout', 'headersTooLarge'] as const satisfies readonly ProblemName[];

/** The problems of `serve`'s own probes (`/readyz`), which the OpenAPI document leaves out too. */
export const probeProblems = ['notReady'] as const satisfies readonly ProblemName[];

/**
 * The name of one of the {@link problemTypes}.
 *
 * @example
 * ```ts
 * import type { ProblemName } from 'priority-routing-crm';
 * const name: ProblemName = 'customerNotFound';
 * ```
 */
export type ProblemName = keyof typeof PROBLEMS;

const mapProblems = <T>(pick: (entry: (typeof PROBLEMS)[ProblemName]) => T) =>
  Object.fromEntries(Object.entries(PROBLEMS).map(([name, entry]) => [name, pick(entry)])) as { [N in ProblemName]: T };

/**
 * The problem types the connector answers with, each a stable URI (RFC 9457 `type`): a
 * `tag:` URI (RFC 4151) that names the problem and never resolves. Clients and monitoring may
 * switch on them; they never change between versions.
 *
 * @example
 * ```ts
 * import { problemTypes } from 'priority-routing-crm';
 * problemTypes.customerNotFound; // 'tag:priority-routing-crm,2026:problem/customer-not-found'
 * ```
 */
export const problemTypes: { readonly [N in ProblemName]: `${typeof TYPE_BASE}${(typeof PROBLEMS)[N]['slug']}` } = Object.freeze(
  Object.fromEntries(Object.entries(PROBLEMS).map(([name, entry]) => [name, `${TYPE_BASE}${entry.slug}`])),
) as never;

/**
 * The status and title of each problem type: what the connector sends, and what the OpenAPI
 * document shows, from this one table.
 */
export const problemCatalog: Readonly<Record<ProblemName, { readonly status: number; readonly title: string }>> = Object.freeze(
  mapProblems(({ status, title }) => Object.freeze({ status, title })),
);

/**
 * The `detail` of each problem type, built from safe parts only (never the request's input, CRM
 * data or secrets): the sentences the connector sends and the OpenAPI document shows, such as
 * `problemDetails.crmTimeout(3000)`.
 */
export const problemDetails: { readonly [N in ProblemName]: (typeof PROBLEMS)[N]['detail'] } = Object.freeze(
  mapProblems((entry) => entry.detail),
) as never;

/**
 * Builds an `application/problem+json` response. `detail` must be a fixed sentence or one built
 * from safe parts: it reaches the client, so never put CRM data, stack traces or secrets in it.
 * Take it from {@link problemDetails}.
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

/**
 * The 503 a circuit breaker answers while it is open: `circuitOpen` problem+json with a
 * `Retry-After` header (whole seconds, rounded up, at least 1) saying when to try again:
 * `circuitOpenResponse(10)` answers 503 with `retry-after: 10`.
 */
export function circuitOpenResponse(retryAfterSeconds: number): ConnectorResponse {
  const seconds = Number.isFinite(retryAfterSeconds) ? Math.max(1, Math.ceil(retryAfterSeconds)) : 1;
  return problemResponse('circuitOpen', problemDetails.circuitOpen(seconds), { 'retry-after': String(seconds) });
}
