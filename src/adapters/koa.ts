import { resolveConnector, type ConnectorInput } from './connector-input.js';
import type { NodeRequestLike, NodeResponseLike } from './node-bridge.js';
import { nodeServe } from './node-serve.js';

/**
 * The part of a Koa context the middleware uses (tested with Koa 3): Koa's own `ctx` fits.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createKoaMiddleware, type KoaContextLike } from 'priority-routing-crm/node';
 * const middleware = createKoaMiddleware({ repository });
 * const app = new Koa();
 * app.use((ctx, next) => middleware(ctx satisfies KoaContextLike, next));
 * ```
 */
export interface KoaContextLike {
  req: NodeRequestLike;
  res: NodeResponseLike;
  /** The URL before any router or mount rewrote `ctx.url`. */
  originalUrl: string;
  /** Set to `false` so Koa leaves the already written response alone. */
  respond?: boolean | undefined;
}

/**
 * Koa middleware: `(ctx, next) => Promise`.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { type KoaMiddleware, createKoaMiddleware } from 'priority-routing-crm/node';
 * const middleware: KoaMiddleware = createKoaMiddleware({ repository, basePath: '/cim' });
 * new Koa().use(middleware);
 * ```
 */
export type KoaMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>;

/**
 * Makes Koa middleware: the connector answers its own requests (its routes under `basePath`,
 * read from `ctx.originalUrl`) on `ctx.res` with `ctx.respond = false`; everything else goes
 * on to `next()`.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createKoaMiddleware } from 'priority-routing-crm/node';
 *
 * const app = new Koa();
 * app.use(createKoaMiddleware({ repository, basePath: '/cim' }));
 * app.listen(3000);
 * ```
 */
export function createKoaMiddleware(input: ConnectorInput): KoaMiddleware {
  const connector = resolveConnector(input);
  const serve = nodeServe(connector);
  return async (ctx, next) => {
    if (!connector.matches(ctx.originalUrl)) {
      await next();
      return;
    }
    ctx.respond = false;
    await serve(ctx.req, ctx.res, ctx.originalUrl);
  };
}
