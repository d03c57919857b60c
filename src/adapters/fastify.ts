import { resolveConnector, type ConnectorInput } from './connector-input.js';
import type { NodeRequestLike, NodeResponseLike } from '../server/node-bridge.js';
import { serveNode } from './node-serve.js';

/** The methods the catch-all route takes, so that the connector itself answers 405. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface FastifyRequestLike {
  raw: NodeRequestLike;
}

interface FastifyReplyLike {
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
 * const register = (app: FastifyInstanceLike) => fastifyConnector(app, { repository });
 * ```
 */
export interface FastifyInstanceLike {
  route(options: {
    method: string[];
    url: string;
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
  }): unknown;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(contentType: string, parser: (request: unknown, payload: unknown, done: (error: null) => void) => void): unknown;
}

/**
 * A Fastify plugin: `app.register(fastifyConnector, { repository, basePath: '/cim' })`, or
 * `app.register(fastifyConnector, connector)`. It adds a catch-all route in its own
 * (encapsulated) context; the connector answers its requests on the raw `node:http` objects
 * after `reply.hijack()`, and anything else goes to Fastify's not-found handler. Bodies are not
 * parsed: the connector refuses every method that has one.
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
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
  instance.route({
    method: METHODS,
    url: '/*',
    handler: async (request, reply) => {
      const url = request.raw.url ?? '/';
      if (!connector.matches(url)) {
        reply.callNotFound();
        return reply; // tells Fastify the reply is under way
      }
      reply.hijack();
      await serveNode(connector, request.raw, reply.raw, url);
    },
  });
}
