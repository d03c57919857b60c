/**
 * `priority-routing-crm/node`: the connector as `node:http` request listeners and middleware,
 * for `node:http`, Express, Connect, Koa and Fastify. Framework types are structural (only the
 * members used): no framework is imported, so none is a dependency.
 *
 * @packageDocumentation
 */
import { resolveConnector, type ConnectorInput } from './connector-input.js';
import { requestUrl, type NodeResponseLike } from './node-bridge.js';
import { nodeServe, type NodeRequest } from './node-serve.js';

export type * from './connector-types.js';
export type { NodeRequest } from './node-serve.js';
export { createConnector } from '../core/connector.js';
export { createKoaMiddleware, type KoaContextLike, type KoaMiddleware } from './koa.js';
export { fastifyConnector, type FastifyInstanceLike, type FastifyRequestLike, type FastifyReplyLike } from './fastify.js';
export type { MemoryDataSet } from '../repositories/memory.js';
export { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../reference/server.js';
export { handleClientError, type ClientErrorSocket } from './client-error.js';

/**
 * A `node:http` request listener that resolves once the response is written.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { type NodeHandler, createNodeHandler } from 'priority-routing-crm/node';
 * const handler: NodeHandler = createNodeHandler({ repository });
 * createServer(handler).listen(8080);
 * ```
 */
export type NodeHandler = (req: NodeRequest, res: NodeResponseLike) => Promise<void>;

/**
 * Connect/Express middleware: answers the connector's requests and calls `next()` for the rest.
 *
 * @example
 * ```ts
 * import { type NodeMiddleware, createNodeMiddleware } from 'priority-routing-crm/node';
 * const middleware: NodeMiddleware = createNodeMiddleware({ repository, basePath: '/cim' });
 * app.use(middleware);
 * ```
 */
export type NodeMiddleware = (req: NodeRequest, res: NodeResponseLike, next: (error?: unknown) => void) => void;

/**
 * Makes a `(req, res)` request listener that answers every request it gets: the two routes
 * under `basePath`, problem+json 404 for any other path and 405 for other methods. Give it its
 * own server, or mount it where only the connector's requests reach it.
 *
 * Under Express or Connect it reads `req.originalUrl`, the URL Hybrid Chat called, so
 * `basePath` is the full prefix even inside `app.use('/cim', …)`.
 *
 * Reach for it to go from options straight to a listener; when you already hold a connector
 * from `createConnector` (to share it with `fetch` or `matches`), its `node` method is the same
 * listener and answers alike. Pass that connector here instead of options to keep one instance.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeHandler } from 'priority-routing-crm/node';
 *
 * createServer(createNodeHandler({ repository, basePath: '/cim' })).listen(3000);
 * ```
 */
export function createNodeHandler(input: ConnectorInput): NodeHandler {
  const serve = nodeServe(resolveConnector(input));
  return (req, res) => serve(req, res, requestUrl(req));
}

/**
 * Makes Connect/Express middleware: requests for the connector (its routes under `basePath`)
 * are answered; everything else goes on to `next()`, so the connector shares an app with other
 * routes. An answer that cannot be written becomes a 500 (or a closed connection) and an `onError` event.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createNodeMiddleware } from 'priority-routing-crm/node';
 *
 * const app = express();
 * app.use(createNodeMiddleware({ repository, basePath: '/cim' }));
 * app.get('/health', (_req, res) => res.send('ok'));
 * ```
 */
export function createNodeMiddleware(input: ConnectorInput): NodeMiddleware {
  const connector = resolveConnector(input);
  const serve = nodeServe(connector);
  return (req, res, next) => {
    const url = requestUrl(req);
    if (!connector.matches(url)) {
      next();
      return;
    }
    void serve(req, res, url);
  };
}
