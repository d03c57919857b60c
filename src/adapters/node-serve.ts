import type { ConnectorResponse } from '../core/http.js';
import { type Connector, sendFailureReporter } from '../core/connector.js';
import { fromNodeRequest, respondNode, type NodeRequestLike, type NodeResponseLike } from './node-bridge.js';

/**
 * A `node:http` request, as Express and Connect extend it: the same as {@link NodeRequestLike},
 * whose `originalUrl` is the URL before a mount path (`app.use('/cim', …)`) was cut off `url`.
 *
 * @example
 * ```ts
 * import { createNodeHandler, type NodeRequest, type NodeResponseLike } from 'priority-routing-crm/node';
 * const handle = createNodeHandler({ repository });
 * // Behind app.use('/cim', …), req.url is '/customer?…' and req.originalUrl '/cim/customer?…'.
 * const handler = (req: NodeRequest, res: NodeResponseLike) => handle(req, res);
 * ```
 */
export type NodeRequest = NodeRequestLike;

/**
 * Answers one `node:http` request with the connector, reading `url` instead of `req.url`; never rejects.
 */
export function serveNode(connector: Connector, req: NodeRequestLike, res: NodeResponseLike, url: string): Promise<void> {
  // Never rejects: a connector object that throws or rejects, or an answer that cannot be
  // written, becomes a 500 (or a closed connection), not an unhandled rejection in node:http.
  let pending: Promise<ConnectorResponse>;
  try {
    pending = connector.handle(fromNodeRequest(req, url));
  } catch (error) {
    pending = Promise.reject(error);
  }
  return respondNode(res, pending, sendFailureReporter(connector, url));
}
