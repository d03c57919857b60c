import type { ConnectorRequest, ConnectorResponse, HeaderValue } from '../core/http.js';
import { isThenable } from '../core/call.js';
import { problemDetails, problemResponse } from '../core/problems.js';
import type { MaybePromise } from '../core/repository.js';

/**
 * The part of `node:http`'s `IncomingMessage` the connector reads. Express's, Koa's `ctx.req`
 * and Fastify's `request.raw` all fit; no framework or `node:http` type is needed.
 *
 * @example
 * ```ts
 * import { type NodeRequestLike } from 'priority-routing-crm/node';
 * const request: NodeRequestLike = { method: 'GET', url: '/label', headers: {} };
 * ```
 */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  /**
   * Set by Express and Connect: the URL before a mount path (`app.use('/cim', …)`) was cut off
   * `url`. The connector reads it first, so `basePath` is always the full prefix Hybrid Chat called.
   */
  originalUrl?: string | undefined;
  headers: Readonly<Record<string, HeaderValue>>;
}

/**
 * The part of `node:http`'s `ServerResponse` the connector writes to.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeHandler, type NodeResponseLike } from 'priority-routing-crm/node';
 * const handle = createNodeHandler({ repository });
 * createServer((req, res) => handle(req, res satisfies NodeResponseLike));
 * ```
 */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
  /** Closes the connection: the last resort when a response fails after its headers went out. */
  destroy?(error?: Error): unknown;
}

/**
 * A {@link ConnectorRequest} over a `node:http` request, without copying its headers. `url` is
 * for a caller that already read it (a middleware that matched on it, Koa's `ctx.originalUrl`).
 */
export function fromNodeRequest(req: NodeRequestLike, url: string = requestUrl(req)): ConnectorRequest {
  return { method: req.method ?? 'GET', url, headers: req.headers };
}

/**
 * The URL the client called: Express's and Connect's `originalUrl` when there is one, since a
 * mount rewrites `url`. One function for `connector.node` and `createNodeHandler`, so both
 * answer a mounted request alike: `/cim/customer?query=…` even inside `app.use('/cim', …)`.
 */
export function requestUrl(req: NodeRequestLike): string {
  return req.originalUrl ?? req.url ?? '/';
}

/**
 * What a node adapter calls when the answer for `url` could not be written: the request's URL is
 * an argument rather than captured, so one function serves every request (no closure per request).
 */
export type NodeSendFailure = (error: unknown, url: string) => void;

/**
 * Writes a {@link ConnectorResponse} to a `node:http` response. Does nothing when headers were
 * already sent (another handler answered first). Never throws: when writing fails (a header
 * value `writeHead` refuses), the answer becomes a 500 problem if no header has gone out yet,
 * else the connection is destroyed; `onFailure` then receives the error and `url`.
 */
export function sendNodeResponse(res: NodeResponseLike, response: ConnectorResponse, onFailure?: NodeSendFailure, url = ''): void {
  if (res.headersSent) return;
  try {
    writeResponse(res, response);
  } catch (error) {
    onFailure?.(error, url);
    sendFallback(res);
  }
}

const WRITTEN: Promise<void> = Promise.resolve();

/**
 * Writes the connector's answer for `url`: at once when it is ready (the memory repository's),
 * with no promise, await or microtask of its own (the shared promise returned is already
 * resolved), else once it settles, through {@link respondNode}. Never rejects.
 */
export function answerNode(res: NodeResponseLike, answered: MaybePromise<ConnectorResponse>, onFailure: NodeSendFailure | undefined, url: string): Promise<void> {
  if (isThenable(answered)) return respondNode(res, answered, onFailure, url);
  sendNodeResponse(res, answered, onFailure, url);
  return WRITTEN;
}

/**
 * The fixed 500 sent instead of an answer that could not be written (a header value the runtime
 * refuses): built from constants only, so it cannot fail the same way.
 */
export const sendFailedResponse = (): ConnectorResponse =>
  problemResponse('internalError', problemDetails.internalError('send'));

/** The last resort: a fixed 500 while nothing is on the wire, a destroyed socket otherwise. */
function sendFallback(res: NodeResponseLike): void {
  try {
    if (!res.headersSent) {
      writeResponse(res, sendFailedResponse());
      return;
    }
  } catch {
    // fall through: the connection cannot carry a valid answer any more
  }
  try {
    res.destroy?.();
  } catch {
    // nothing more can be done for this request
  }
}

function writeResponse(res: NodeResponseLike, response: ConnectorResponse): void {
  if (response.body === null) {
    res.writeHead(response.status, response.headers);
    res.end();
    return;
  }
  // With an explicit writeHead, node:http would fall back to chunked encoding without this.
  response.headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * Waits for a pending answer and writes it with {@link sendNodeResponse}; never rejects, so a
 * `node:http` listener or a framework handler that returns it can leave no rejection unhandled.
 * A rejected `pending` is answered as a 500 too.
 */
export async function respondNode(res: NodeResponseLike, pending: PromiseLike<ConnectorResponse>, onFailure?: NodeSendFailure, url = ''): Promise<void> {
  let response: ConnectorResponse;
  try {
    response = await pending;
  } catch (error) {
    onFailure?.(error, url);
    if (!res.headersSent) sendFallback(res);
    return;
  }
  sendNodeResponse(res, response, onFailure, url);
}
