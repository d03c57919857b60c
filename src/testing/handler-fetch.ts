import type { FetchLike } from '../transport/exchange.js';
import type { ConnectorHandle, ConnectorResponse } from '../core/http.js';

/**
 * A connector to call in-process: our `ConnectorHandle` (`connector.handle`) or any fetch-style
 * handler (`connector.fetch`, a Hono app's `app.fetch`, a Next.js route handler).
 *
 * @example
 * ```ts
 * import { type InProcessHandler, fetchFromHandler } from 'priority-routing-crm/testing';
 * const handler: InProcessHandler = (request: Request) => Response.json([], { status: request.method === 'GET' ? 200 : 405 });
 * const fetch = fetchFromHandler(handler);
 * ```
 */
export type InProcessHandler = ConnectorHandle | ((request: Request) => Response | Promise<Response>);

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toResponse(answer: Response | ConnectorResponse, method: string): Response {
  if (answer instanceof Response) return answer;
  const body = method === 'HEAD' || NULL_BODY_STATUSES.has(answer.status) ? null : answer.body;
  return new Response(body, { status: answer.status, headers: answer.headers });
}

/**
 * A `fetch` that hands each request to `handler` in this process, so checks run without a
 * port. Both handler kinds get a standard `Request` (which a `ConnectorHandle` reads as a
 * `ConnectorRequest`); the request's abort signal is honoured even if the handler hangs.
 *
 * @example
 * ```ts
 * import { createConnector } from 'priority-routing-crm';
 * import { fetchFromHandler, verifyConnector } from 'priority-routing-crm/testing';
 * const connector = createConnector({ repository });
 * await verifyConnector({ customerQueryUrl: 'http://connector.test/customer?query=phone:{refId}', labelsUrl: 'http://connector.test/label', phones: ['1111'], fetch: fetchFromHandler(connector.handle) });
 * ```
 */
export function fetchFromHandler(handler: InProcessHandler): FetchLike {
  return async (url, init) => {
    const request = new Request(url, init);
    const answer = Promise.resolve((handler as (request: Request) => Promise<Response | ConnectorResponse>)(request));
    const signal = init.signal;
    if (signal === null || signal === undefined) return toResponse(await answer, request.method);
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    return toResponse(await Promise.race([answer, aborted]), request.method);
  };
}
