import type { ConnectorResponse } from '../core/http.js';
import { type Connector, sendFailureReporter } from '../core/connector.js';
import { fromNodeRequest, respondNode, type NodeRequestLike, type NodeResponseLike } from './node-bridge.js';

/**
 * A `node:http` request, as Express and Connect extend it: `originalUrl` is the URL before a
 * mount path (`app.use('/cim', …)`) was cut off `url`.
 *
 * @example
 * ```ts
 * const handler = (req: NodeRequest, res: NodeResponseLike) => serveNode(connector, req, res, requestUrl(req));
 * ```
 */
export type NodeRequest = NodeRequestLike & { originalUrl?: string | undefined };

export { requestUrl } from './node-bridge.js';

/**
 * Answers one `node:http` request with the connector, reading `url` instead of `req.url`; never rejects.
 *
 * @example
 * ```ts
 * await serveNode(connector, ctx.req, ctx.res, ctx.originalUrl);
 * ```
 */
export function serveNode(connector: Connector, req: NodeRequestLike, res: NodeResponseLike, url: string): Promise<void> {
  // Never rejects: a connector object that throws or rejects, or an answer that cannot be
  // written, becomes a 500 (or a closed connection), not an unhandled rejection in node:http.
  let pending: Promise<ConnectorResponse>;
  try {
    pending = connector.handle({ ...fromNodeRequest(req), url });
  } catch (error) {
    pending = Promise.reject(error);
  }
  return respondNode(res, pending, sendFailureReporter(connector, url));
}
