import { type Answer, answer, traceOf } from './answer.js';
import { isThenable } from './call.js';
import { checkCredentials } from './credentials.js';
import { report, unexpected } from './failures.js';
import { type ConnectorResponseEvent, type ConnectorRoute, hearsRequest, type RequestResponseHook, withPhone } from './hooks.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import type { Settings } from './options.js';
import { problemDetails, problemResponse } from './problems.js';
import type { MaybePromise } from './repository.js';
import { splitUrl } from './url.js';

/**
 * What every request is answered from, fixed when the connector is made. Nothing in it changes
 * per request: each step takes what it needs from here and from the request, and returns what
 * it produced.
 */
export interface Routing {
  readonly settings: Settings;
  /** The route a URL path names; `null` for any other path. */
  readonly routeOf: (path: string) => ConnectorRoute | null;
  /** The 404 detail, naming the routes (never the base path, which may be a secret) so the caller can fix the URL. */
  readonly notFound: string;
  /** The route's own steps, for a request already let through: see `answerCustomer` and `answerLabels`. */
  readonly answer: (request: ConnectorRequest, route: ConnectorRoute, search: string) => MaybePromise<Answer>;
}

/**
 * The 404 detail for a path that is neither route. A base path is shown as `{base path}`, never
 * spelled out: some sites guard the connector with an unguessable one.
 */
export const notFoundDetail = (basePath: string) =>
  problemDetails.notFound(basePath === '' ? undefined : { customer: '{base path}/customer', label: '{base path}/label' });

const DEFAULT_NOT_FOUND = notFoundDetail('');

/**
 * Routing that sends a request at any path to `route`: what `lookupCustomer` and
 * `listLabels` answer with, outside a connector.
 */
export const singleRoute = (route: ConnectorRoute, settings: Settings, answer: Routing['answer']): Routing & { route: ConnectorRoute } => ({
  route,
  settings,
  routeOf: () => route,
  notFound: DEFAULT_NOT_FOUND,
  answer,
});

/**
 * The request path ({@link respond}) for a request from a caller's own code (`connector.handle`,
 * `lookupCustomer`, `listLabels`), where nothing may have typed it: one that is not
 * `{ url: string, method?: string }` is a bug in that code, answered 500 and reported to
 * `onError` like any other, never thrown.
 */
export function handleRoute(request: unknown, routing: Routing & { route?: ConnectorRoute }): Promise<ConnectorResponse> {
  const answered = respondRoute(request, routing);
  return isThenable(answered) ? (answered as Promise<ConnectorResponse>) : Promise.resolve(answered);
}

/**
 * {@link handleRoute}, but an answer that is ready at once is returned as is, not in a promise:
 * the node adapter writes it in the same call, with no promise or microtask per request.
 * Never throws; a returned promise never rejects.
 */
export function respondRoute(request: unknown, routing: Routing & { route?: ConnectorRoute }): MaybePromise<ConnectorResponse> {
  let reason: unknown;
  try {
    if (isRequestLike(request)) return respond(request, routing);
    reason = new TypeError(`the request must be an object { url: string, method?: string, headers? }, got ${describeRequest(request)}`);
  } catch (error) {
    // A getter or proxy on the request that throws.
    reason = error;
  }
  return unexpected(reason, routing.settings, traceOf(routing.route ?? null)).response;
}

function isRequestLike(request: unknown): request is ConnectorRequest {
  if (typeof request !== 'object' || request === null) return false;
  const { url, method } = request as { url?: unknown; method?: unknown };
  return typeof url === 'string' && (method === undefined || typeof method === 'string');
}

function describeRequest(request: unknown): string {
  if (request === null || typeof request !== 'object') return request === null ? 'null' : typeof request;
  const { url, method } = request as { url?: unknown; method?: unknown };
  return typeof url !== 'string' ? `url of type ${typeof url}` : `method of type ${typeof method}`;
}

const ALLOW = { allow: 'GET, HEAD' } as const;
const encoder = new TextEncoder();

/**
 * The request path, top to bottom: route → method → credentials → the route's own steps (query
 * → repository → shape) → HEAD → `onResponse`. Never throws, and a returned promise never
 * rejects: a bug is a 500 reported to `onError`. A route that answers synchronously returns its
 * response itself, so the caller decides whether it needs a promise.
 */
function respond(request: ConnectorRequest, routing: Routing): MaybePromise<ConnectorResponse> {
  const { settings } = routing;
  const started = settings.onResponse === undefined ? 0 : performance.now();
  const { path, search } = splitUrl(request.url);
  const route = routing.routeOf(path);
  const method = readMethod(request);
  let answered: MaybePromise<Answer>;
  try {
    answered = answerRequest(request, route, method, search, routing);
  } catch (error) {
    answered = unexpected(error, settings, traceOf(route));
  }
  if (!isThenable(answered)) return finish(answered, method, request, settings, started);
  return Promise.resolve(answered).then(
    (done) => finish(done, method, request, settings, started),
    (error: unknown) => finish(unexpected(error, settings, traceOf(route)), method, request, settings, started),
  );
}

/**
 * What every route shares before its own steps: the credentials first, then 404 for no route
 * and 405. Credentials come first so that, without them, a 404 or 405 never tells which paths
 * exist (a site may guard the connector with an unguessable base path).
 */
function answerRequest(
  request: ConnectorRequest,
  route: ConnectorRoute | null,
  method: 'GET' | 'HEAD' | undefined,
  search: string,
  routing: Routing,
  authenticated = false,
): MaybePromise<Answer> {
  const { authenticate } = routing.settings;
  if (authenticate !== undefined && !authenticated) {
    return checkCredentials(request, authenticate, routing.settings, traceOf(route)).then(
      (refusal) => refusal ?? answerRequest(request, route, method, search, routing, true),
    );
  }
  // 404 for no route, 405 for another method, else the route's own steps.
  if (route === null) return answer(problemResponse('notFound', routing.notFound), traceOf(null));
  if (method === undefined) return answer(problemResponse('methodNotAllowed', problemDetails.methodNotAllowed(), ALLOW), traceOf(route));
  return routing.answer(request, route, search);
}

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

/** The last step: HEAD loses the body (keeping its length), and `onResponse` hears of the answer. */
function finish(
  { response, trace }: Answer,
  method: 'GET' | 'HEAD' | undefined,
  request: ConnectorRequest,
  settings: Settings,
  started: number,
): ConnectorResponse {
  // The response was made for this request alone, so HEAD edits it in place rather than copying it.
  if (method === 'HEAD' && response.body !== null) {
    response.headers['content-length'] = String(encoder.encode(response.body).byteLength);
    response.body = null;
  }
  if (settings.onResponse !== undefined) {
    const event = {
      method: (request.method ?? 'GET').toUpperCase(),
      route: trace.route,
      status: response.status,
      durationMs: performance.now() - started,
    };
    const hook = settings.onResponse;
    // As callHook, without its two closures per request. serve's own hook reads the (masked)
    // phone only when it needs it; a user's hook gets it in the event.
    const hookFailed = (error: unknown) => report(settings, trace, { kind: 'hook', status: 0, error });
    try {
      const result = hearsRequest(hook) ? (hook as RequestResponseHook)(event, request, trace) : hook(withPhone(event, trace));
      if (isThenable(result)) Promise.resolve(result).catch(hookFailed);
    } catch (error) {
      hookFailed(error);
    }
  }
  return response;
}
