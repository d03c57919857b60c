import { METHODS as METHODS_NODE_PARSES } from 'node:http';
import { resolveConnector, type ConnectorInput } from './connector-input.js';
import type { NodeRequestLike, NodeResponseLike } from './node-bridge.js';
import { nodeServe } from './node-serve.js';

/**
 * Every method Node's parser accepts (TRACE, PROPFIND, QUERY, …; CONNECT never reaches a route),
 * so that the connector itself answers 405 with `Allow: GET, HEAD`, as under the other adapters.
 */
const METHODS = METHODS_NODE_PARSES.filter((method) => method !== 'CONNECT');

/** The part of a Fastify request the connector reads: the Node request underneath. */
export interface FastifyRequestLike {
  raw: NodeRequestLike;
}

/** The part of a Fastify reply the connector uses: it writes the Node response itself. */
export interface FastifyReplyLike {
  raw: NodeResponseLike;
  hijack(): unknown;
  callNotFound(): unknown;
}

/**
 * The part of a Fastify instance the plugin uses (tested with Fastify 5): Fastify's own
 * instance fits, without this package depending on Fastify's types.
 *
 * @example
 * ```ts
 * import { type FastifyInstanceLike, fastifyConnector } from 'priority-routing-crm/node';
 * const register = (app: FastifyInstanceLike) => fastifyConnector(app, { repository });
 * ```
 */
export interface FastifyInstanceLike {
  route(options: {
    method: string[];
    url: string;
    onRequest: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
  }): unknown;
  /** The methods Fastify routes (Fastify 5); those missing are added with `addHttpMethod`. */
  readonly supportedMethods?: readonly string[];
  addHttpMethod?(method: string): unknown;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(contentType: string, parser: (request: unknown, payload: unknown, done: (error: null) => void) => void): unknown;
}

/**
 * A Fastify plugin: `app.register(fastifyConnector, { repository, basePath: '/cim' })`, or
 * `app.register(fastifyConnector, connector)`. It adds a catch-all route for every method in
 * its own (encapsulated) context; the connector answers its requests on the raw `node:http`
 * objects after `reply.hijack()`, and anything else goes to Fastify's not-found handler. Bodies
 * are not parsed: the connector refuses every method that has one. Methods Fastify does not
 * route by default (PROPFIND, LOCK, …) are added with `addHttpMethod`, for the whole app, so
 * that they too get the connector's 405.
 *
 * `basePath` is the full path Hybrid Chat calls; a Fastify `prefix` option, if you add one,
 * only narrows which requests reach the plugin.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyConnector } from 'priority-routing-crm/node';
 *
 * const app = Fastify();
 * await app.register(fastifyConnector, { repository, basePath: '/cim' });
 * await app.listen({ port: 3000 });
 * ```
 */
export async function fastifyConnector(instance: FastifyInstanceLike, options: ConnectorInput): Promise<void> {
  const connector = resolveConnector(options);
  const serve = nodeServe(connector);
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const supported = new Set(instance.supportedMethods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
  const methods = instance.addHttpMethod === undefined ? METHODS.filter((method) => supported.has(method)) : METHODS;
  for (const method of methods) if (!supported.has(method)) instance.addHttpMethod?.(method);
  instance.route({
    method: methods,
    url: '/*',
    // The connector answers in onRequest, before Fastify reads a body or checks a Content-Type
    // (a QUERY without one would get Fastify's own 400).
    onRequest: async (request, reply) => {
      const url = request.raw.url ?? '/';
      if (!connector.matches(url)) return;
      reply.hijack();
      await serve(request.raw, reply.raw, url);
    },
    handler: async (_request, reply) => {
      reply.callNotFound();
      return reply; // tells Fastify the reply is under way
    },
  });
}
