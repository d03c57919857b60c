import type { ConnectorRequest, ConnectorResponse, HeaderValue } from './http.js';

/**
 * The part of `node:http`'s `IncomingMessage` the connector reads. Express's, Koa's `ctx.req`
 * and Fastify's `request.raw` all fit; no framework or `node:http` type is needed.
 *
 * @example
 * ```ts
 * const request: NodeRequestLike = { method: 'GET', url: '/label', headers: {} };
 * ```
 */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Readonly<Record<string, HeaderValue>>;
}

/**
 * The part of `node:http`'s `ServerResponse` the connector writes to.
 *
 * @example
 * ```ts
 * createServer((req, res: NodeResponseLike) => sendNodeResponse(res, { status: 204, headers: {}, body: null }));
 * ```
 */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/**
 * A {@link ConnectorRequest} over a `node:http` request, without copying its headers.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => connector.handle(fromNodeRequest(req)).then((r) => sendNodeResponse(res, r)));
 * ```
 */
export function fromNodeRequest(req: NodeRequestLike): ConnectorRequest {
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
}

/**
 * Writes a {@link ConnectorResponse} to a `node:http` response. Does nothing when headers were
 * already sent (another handler answered first).
 *
 * @example
 * ```ts
 * sendNodeResponse(res, await connector.handle(fromNodeRequest(req)));
 * ```
 */
export function sendNodeResponse(res: NodeResponseLike, response: ConnectorResponse): void {
  if (res.headersSent) return;
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
