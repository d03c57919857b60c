import type { ConnectorResponse } from '../core/http.js';
import { type Connector, internalsOf, sendFailureReporter } from '../core/connector.js';
import type { MaybePromise } from '../core/repository.js';
import { answerNode, fromNodeRequest, respondNode, type NodeRequestLike, type NodeResponseLike } from './node-bridge.js';

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

/** How a node adapter answers one request with its connector, reading `url` instead of `req.url`; never rejects. */
export type NodeServe = (req: NodeRequestLike, res: NodeResponseLike, url: string) => Promise<void>;

/**
 * How the node adapters answer with `connector`, found once when the adapter is made. A
 * connector from `createConnector` is answered directly: an answer ready at once (the memory
 * repository's) is written in the same call, with no promise or microtask per request, and a
 * write that fails is reported without a closure per request. Another object shaped like a
 * connector, or one whose `handle` was since replaced, is answered through its `handle`.
 */
export function nodeServe(connector: Connector): NodeServe {
  const own = internalsOf(connector);
  if (own === undefined) return (req, res, url) => serveNode(connector, req, res, url);
  return (req, res, url) => {
    if (connector.handle !== own.handle) return serveNode(connector, req, res, url);
    let answered: MaybePromise<ConnectorResponse>;
    try {
      answered = own.respond(fromNodeRequest(req, url));
    } catch (error) {
      // A request whose getters throw: as serveNode answers it.
      answered = Promise.reject(error);
    }
    return answerNode(res, answered, own.sendFailed, url);
  };
}

/**
 * Answers one `node:http` request with the connector's `handle`, reading `url` instead of `req.url`; never rejects.
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
