import type { AuthDecision } from './auth.js';
import { type CallOutcome, isThenable } from './call.js';
import type { ConnectorErrorEvent, ConnectorRoute } from './hooks.js';
import { callHook } from './hooks.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import { invalidHeaderCharacter } from './header-value.js';
import type { Settings } from './options.js';
import type { MaybePromise } from './repository.js';
import { circuitOpenResponse, problemDetails, problemResponse } from './problems.js';
import { CircuitOpenError } from '../repositories/circuit-open-error.js';

/**
 * What one request carries through the pipeline, for the hooks.
 *
 * @example
 * ```ts
 * const exchange: Exchange = { route: 'customer', phone: undefined };
 * ```
 */
export interface Exchange {
  readonly route: ConnectorRoute | null;
  /** The masked (or not, per `maskPhone`) phone asked for, once known. */
  phone: string | undefined;
}

const ALLOW = { allow: 'GET, HEAD' } as const;

/**
 * The 404 detail for a path that is neither route, naming the routes so the caller can fix the
 * URL; the connector passes its own, with its base path.
 *
 * @example
 * ```ts
 * notFoundDetail({ customer: '/cim/customer', label: '/cim/label' });
 * // 'This connector answers GET /cim/customer?query=phone:{number} and GET /cim/label.'
 * ```
 */
export const notFoundDetail = (paths: { customer: string; label: string }) => problemDetails.notFound(paths);

const DEFAULT_NOT_FOUND = notFoundDetail({ customer: '/customer', label: '/label' });
const encoder = new TextEncoder();

/**
 * `GET` or `HEAD` in upper case, or `undefined` for any other method.
 */
export function readMethod(request: ConnectorRequest): 'GET' | 'HEAD' | undefined {
  const method = request.method;
  if (method === undefined || method === 'GET') return 'GET';
  if (method === 'HEAD') return 'HEAD';
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' ? upper : undefined;
}

/**
 * Reports a failure to `onError`, never letting the hook itself fail the response.
 *
 * @example
 * ```ts
 * reportError(settings, exchange, { kind: 'timeout', status: 504 });
 * ```
 */
export function reportError(settings: Settings, exchange: Exchange, event: Omit<ConnectorErrorEvent, 'route' | 'phone'>): void {
  const full: ConnectorErrorEvent = { ...event, route: exchange.route };
  if (exchange.phone !== undefined) full.phone = exchange.phone;
  callHook(settings.onError, full);
}

/**
 * The 500, 503 (circuit breaker open) or 504 for a repository call that threw, rejected or timed out.
 *
 * @example
 * ```ts
 * if (!outcome.ok) return failedCall(outcome, settings, exchange);
 * ```
 */
export function failedCall(outcome: Exclude<CallOutcome<unknown>, { ok: true }>, settings: Settings, exchange: Exchange): ConnectorResponse {
  if (outcome.reason === 'timeout') {
    reportError(settings, exchange, { kind: 'timeout', status: 504 });
    return problemResponse('crmTimeout', problemDetails.crmTimeout(settings.timeoutMs));
  }
  if (outcome.error instanceof CircuitOpenError) {
    // Not reported to onError: during an outage that would be one event per chat; the breaker's onStateChange reports it once.
    return circuitOpenResponse(outcome.error.retryAfterSeconds);
  }
  reportError(settings, exchange, { kind: 'exception', status: 500, error: outcome.error });
  return problemResponse('crmFailure', problemDetails.crmFailure());
}

/**
 * The 502 for repository data that breaks the contract (the issues go to `onError` only).
 *
 * @example
 * ```ts
 * if (!labels.ok) return invalidData(labels.issues, 'a label list', settings, exchange);
 * ```
 */
export function invalidData(issues: ConnectorErrorEvent['issues'], what: string, settings: Settings, exchange: Exchange): ConnectorResponse {
  reportError(settings, exchange, { kind: 'invalid_data', status: 502, issues: issues ?? [] });
  return problemResponse('invalidCrmData', problemDetails.invalidCrmData(what));
}

/**
 * Runs a route's handler inside what every route shares: 404 for no route (with `notFound` as
 * the detail), the method check (405), authentication
 * (401), HEAD without a body, the `onResponse` hook, and a last-resort 500 for a bug. A handler
 * that answers synchronously costs one promise in all.
 *
 * @example
 * ```ts
 * return runRoute('label', request, settings, (exchange) => answerLabels(repository, request, settings, exchange));
 * ```
 */
export function runRoute(
  route: ConnectorRoute | null,
  request: ConnectorRequest,
  settings: Settings,
  handler: (exchange: Exchange) => MaybePromise<ConnectorResponse>,
  notFound: string = DEFAULT_NOT_FOUND,
): Promise<ConnectorResponse> {
  const started = settings.onResponse === undefined ? 0 : performance.now();
  const exchange: Exchange = { route, phone: undefined };
  const method = readMethod(request);
  let result: MaybePromise<ConnectorResponse>;
  try {
    if (route === null) result = problemResponse('notFound', notFound);
    else if (method === undefined) result = problemResponse('methodNotAllowed', problemDetails.methodNotAllowed(), ALLOW);
    else if (settings.authenticate !== undefined) result = authenticateThen(request, settings, exchange, handler);
    else result = handler(exchange);
  } catch (error) {
    result = unexpected(error, settings, exchange);
  }
  if (!isThenable(result)) return Promise.resolve(finishResponse(result, method, request, settings, exchange, started));
  return Promise.resolve(result).then(
    (response) => finishResponse(response, method, request, settings, exchange, started),
    (error: unknown) => finishResponse(unexpected(error, settings, exchange), method, request, settings, exchange, started),
  );
}

function unexpected(error: unknown, settings: Settings, exchange: Exchange): ConnectorResponse {
  reportError(settings, exchange, { kind: 'exception', status: 500, error });
  return problemResponse('internalError', problemDetails.internalError('unexpected'));
}

function finishResponse(
  response: ConnectorResponse,
  method: 'GET' | 'HEAD' | undefined,
  request: ConnectorRequest,
  settings: Settings,
  exchange: Exchange,
  started: number,
): ConnectorResponse {
  if (method === 'HEAD' && response.body !== null) {
    response.headers['content-length'] = String(encoder.encode(response.body).byteLength);
    response.body = null;
  }
  if (settings.onResponse !== undefined) {
    const event = {
      method: (request.method ?? 'GET').toUpperCase(),
      route: exchange.route,
      status: response.status,
      durationMs: performance.now() - started,
    };
    callHook(settings.onResponse, exchange.phone === undefined ? event : { ...event, phone: exchange.phone }, (error) =>
      reportError(settings, exchange, { kind: 'hook', status: 0, error }),
    );
  }
  return response;
}

async function authenticateThen(
  request: ConnectorRequest,
  settings: Settings,
  exchange: Exchange,
  handler: (exchange: Exchange) => MaybePromise<ConnectorResponse>,
): Promise<ConnectorResponse> {
  let decision: AuthDecision | undefined;
  try {
    decision = await settings.authenticate?.(request);
  } catch (error) {
    reportError(settings, exchange, { kind: 'exception', status: 500, error });
    return problemResponse('internalError', problemDetails.internalError('authenticate'));
  }
  if (decision === true) return handler(exchange);
  if (typeof decision !== 'object' || decision === null) return problemResponse('unauthorized', problemDetails.unauthorized());
  // A challenge is computed per request, so it is checked per request: sent as is, a CR/LF or
  // non-Latin-1 character would make writeHead throw after the connector had answered.
  const challenge: unknown = decision.challenge;
  const bad = typeof challenge === 'string' ? invalidHeaderCharacter(challenge) : 'no string';
  if (bad !== undefined) {
    const error = new TypeError(`authenticate returned a challenge that cannot be sent in WWW-Authenticate (it holds ${bad})`);
    reportError(settings, exchange, { kind: 'exception', status: 500, error });
    return problemResponse('internalError', problemDetails.internalError('authenticate'));
  }
  return problemResponse('unauthorized', problemDetails.unauthorized(), { 'www-authenticate': challenge as string });
}
