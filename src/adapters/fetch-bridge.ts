import type { ConnectorRequest, ConnectorResponse } from '../core/http.js';

/**
 * A {@link ConnectorRequest} over a fetch `Request` (Hono, Next.js route handlers, Bun, Deno,
 * workers). The body is never read.
 */
export function fromFetchRequest(request: Request): ConnectorRequest {
  return { method: request.method, url: request.url, headers: request.headers };
}

/**
 * A fetch `Response` for a {@link ConnectorResponse}, built with the runtime's own global
 * `Response`.
 */
export function toFetchResponse(response: ConnectorResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
