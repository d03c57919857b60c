/**
 * The neutral request and response that the core speaks. Every adapter translates its
 * runtime's request into a {@link ConnectorRequest} and sends the {@link ConnectorResponse}
 * back; the core itself never sees a framework or `node:http`.
 */

/**
 * Header values as `node:http` gives them: a string, several strings, or nothing.
 *
 * @example
 * ```ts
 * import { type HeaderValue } from 'priority-routing-crm';
 * import { createServer } from 'node:http';
 * createServer((req, res) => {
 *   const accept: HeaderValue = req.headers.accept;
 *   res.end(String(accept));
 * });
 * ```
 */
export type HeaderValue = string | readonly string[] | undefined;

/**
 * A request as the handlers read it.
 *
 * @example
 * ```ts
 * import { type ConnectorRequest } from 'priority-routing-crm';
 * const request: ConnectorRequest = { method: 'GET', url: '/customer?query=phone:1111', headers: { accept: 'application/json' } };
 * ```
 */
export interface ConnectorRequest {
  /** HTTP method; `GET` when left out. Compared case-insensitively. */
  method?: string | undefined;
  /**
   * Path and query as `node:http`'s `req.url` has them (`/cim/customer?query=phone:1111`), or
   * an absolute URL (`http://crm.example/cim/customer?…`).
   */
  url: string;
  /** Request headers, names in lower case (as `node:http` gives them) or any case. */
  headers?: Readonly<Record<string, HeaderValue>> | Headers | undefined;
}

/**
 * What the handlers answer: a status, headers and a body that any server can send as is.
 * `body` is the serialized JSON (or `null` for 304 and HEAD), so adapters never stringify.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { type ConnectorResponse } from 'priority-routing-crm';
 * createServer(async (req, res) => {
 *   const { status, headers, body }: ConnectorResponse = await connector.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
 *   res.writeHead(status, headers).end(body ?? undefined);
 * });
 * ```
 */
export interface ConnectorResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** The body, already serialized; `null` when there is none (HEAD, 304). */
  body: string | null;
}

/**
 * The one function every adapter wraps: a neutral request in, a neutral response out. It never
 * rejects; every failure is already a problem+json response.
 *
 * @example
 * ```ts
 * import { type ConnectorHandle, createConnector } from 'priority-routing-crm';
 * const handle: ConnectorHandle = createConnector({ repository }).handle;
 * await handle({ url: '/customer?query=phone:1111' }); // { status: 200, … }
 * ```
 */
export type ConnectorHandle = (request: ConnectorRequest) => Promise<ConnectorResponse>;
