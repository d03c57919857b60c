// connector.node and connector.fetch are forms of the connector itself (public since the
// server-side issue), so the core reaches for the two bridges; they live with every other bridge
// in src/adapters and know only node:http's and fetch's shapes, no framework.
import { fromFetchRequest, toFetchResponse } from '../adapters/fetch-bridge.js';
import { answerNode, fromNodeRequest, type NodeRequestLike, type NodeResponseLike, type NodeSendFailure, sendFailedResponse } from '../adapters/node-bridge.js';
import { traceOf } from './answer.js';
import { answerCustomer } from './customer.js';
import { report } from './failures.js';
import type { ConnectorRoute } from './hooks.js';
import type { ConnectorHandle, ConnectorRequest, ConnectorResponse } from './http.js';
import { answerLabels } from './labels.js';
import { type HandlerOptions, resolveSettings } from './options.js';
import { handleRoute, notFoundDetail, respondRoute, type Routing } from './pipeline.js';
import type { CustomerRepository, MaybePromise } from './repository.js';
import { splitUrl } from './url.js';

/**
 * Options of {@link createConnector}: the repository, where the routes live, and the
 * {@link HandlerOptions} every route shares.
 *
 * @example
 * ```ts
 * import { type ConnectorOptions, bearerAuth } from 'priority-routing-crm';
 * const options: ConnectorOptions = { repository, basePath: '/cim', authenticate: bearerAuth({ token: process.env.CRM_TOKEN ?? '' }) };
 * ```
 */
export interface ConnectorOptions extends HandlerOptions {
  /** Where the customers and labels come from. */
  repository: CustomerRepository;
  /**
   * A path prefix for both routes, such as `/cim` (CIM's own URLs have it): the routes are then
   * `/cim/customer` and `/cim/label`. Default none.
   */
  basePath?: string | undefined;
}

/**
 * A connector: one {@link ConnectorHandle} and the forms each kind of server mounts.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createConnector } from 'priority-routing-crm';
 * const connector = createConnector({ repository });
 * createServer(connector.node).listen(3000);
 * ```
 */
export interface Connector {
  /** Neutral request in, neutral response out; never rejects. */
  handle: ConnectorHandle;
  /** For fetch runtimes (Hono, Next.js route handlers, Bun, Deno, workers). */
  fetch(request: Request): Promise<Response>;
  /**
   * For `node:http` and frameworks built on it: answers every request, 404 for other paths.
   * Reach for it when you already hold the connector (to share it with `fetch` or `matches`);
   * `createNodeHandler` from `priority-routing-crm/node` makes the same listener from options.
   * Both answer alike, and both read Express's `req.originalUrl` inside `app.use('/cim', …)`.
   */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  /** Whether the URL's path is one of the connector's two routes (any method): lets middleware pass on the rest. */
  matches(request: ConnectorRequest | string): boolean;
  /** The two route paths, with the base path: `{ customer: '/cim/customer', label: '/cim/label' }`. */
  readonly paths: { readonly customer: string; readonly label: string };
}

/**
 * `/cim/` → `/cim`, `cim` → `/cim`, `/` and `` → ``; throws a `TypeError` for a base path with
 * a query, fragment, white space or percent-encoding.
 */
export function normalizeBasePath(basePath: string): string {
  if (/[?#\s%]/.test(basePath)) throw new TypeError(`basePath must be a plain path such as /cim, got ${JSON.stringify(basePath)}`);
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Builds a connector that routes Hybrid Chat's two requests under an optional `basePath`:
 * `GET /customer?query=phone:{refId}` and `GET /label`, HEAD for both, 404 for other paths and
 * 405 with `Allow: GET, HEAD` for other methods; with `authenticate`, a request without valid
 * credentials gets 401 before either, so that it learns nothing of the routes. Options are checked here, once: a bad
 * `timeoutMs` or `basePath` throws.
 *
 * @example
 * ```ts
 * import { createConnector, createMemoryRepository, sampleDataSet } from 'priority-routing-crm';
 * import { createServer } from 'node:http';
 *
 * const connector = createConnector({ repository: createMemoryRepository(sampleDataSet), basePath: '/cim' });
 * createServer(connector.node).listen(3000, '127.0.0.1');
 * ```
 */
export function createConnector(options: ConnectorOptions): Connector {
  const { repository } = options;
  if (typeof repository?.findCustomerByPhone !== 'function' || typeof repository.listLabels !== 'function') {
    throw new TypeError('createConnector: repository must have findCustomerByPhone and listLabels methods');
  }
  const settings = resolveSettings(options);
  const base = normalizeBasePath(options.basePath ?? '');
  const paths = Object.freeze({ customer: `${base}/customer`, label: `${base}/label` });
  const routeOf = (path: string): ConnectorRoute | null =>
    path === paths.customer ? 'customer' : path === paths.label ? 'label' : null;
  const routing: Routing = {
    settings,
    routeOf,
    notFound: notFoundDetail(base),
    answer: (request, route, search) =>
      route === 'customer' ? answerCustomer(repository, search, settings) : answerLabels(repository, request, settings),
  };
  // Typed callers never send a malformed request, but JavaScript ones can: a 500, never a throw.
  const handle: ConnectorHandle = (request) => handleRoute(request, routing);

  const sendFailed: NodeSendFailure = (error, url) =>
    report(settings, traceOf(routeOf(splitUrl(url).path)), { kind: 'exception', status: 500, error });

  const connector: Connector = {
    handle,
    paths,
    fetch: async (request) => {
      const response = await handle(fromFetchRequest(request));
      try {
        return toFetchResponse(response);
      } catch (error) {
        sendFailed(error, request.url);
        return toFetchResponse(sendFailedResponse());
      }
    },
    node: (req, res) => {
      const request = fromNodeRequest(req);
      return answerNode(res, respondRoute(request, routing), sendFailed, request.url);
    },
    matches: (request) => routeOf(splitUrl(typeof request === 'string' ? request : request.url).path) !== null,
  };
  internals.set(connector, { handle, respond: (request) => respondRoute(request, routing), sendFailed });
  return connector;
}

/**
 * What the package's own adapters use of a connector made by {@link createConnector}, looked up
 * once when the adapter is made rather than on every request.
 */
export interface ConnectorInternals {
  /** The connector's `handle` as made: an adapter takes the direct path only while `connector.handle` is still this one. */
  readonly handle: ConnectorHandle;
  /** `handle`, but an answer ready at once is returned as is (no promise, no microtask). Never throws; a returned promise never rejects. */
  readonly respond: (request: ConnectorRequest) => MaybePromise<ConnectorResponse>;
  /** Reports to `onError` an answer for `url` that could not be written. */
  readonly sendFailed: NodeSendFailure;
}

const internals = new WeakMap<Connector, ConnectorInternals>();

/** The {@link ConnectorInternals} of a connector made by {@link createConnector}; `undefined` for another object shaped like one. */
export const internalsOf = (connector: Connector): ConnectorInternals | undefined => internals.get(connector);

/**
 * What an adapter calls when it cannot write the connector's answer for `url`: `onError` of a
 * connector made by {@link createConnector}, nothing for another object shaped like one.
 */
export function sendFailureReporter(connector: Connector, url: string): ((error: unknown) => void) | undefined {
  const own = internals.get(connector);
  return own === undefined ? undefined : (error) => own.sendFailed(error, url);
}
