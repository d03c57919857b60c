import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { abortAt } from './deadlines.js';

/** One request to the CRM, built from a profile's spec. */
export interface CrmRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What the client reads of an answer's headers (`Headers` has it too). */
export interface AnswerHeaders {
  get(name: string): string | null;
}

/** What one request got: an answer (its body bounded), no answer in time, or a network failure. */
export type CrmExchange =
  | { readonly kind: 'response'; readonly url: string; readonly status: number; readonly headers: AnswerHeaders; readonly body: string; readonly bodyTooLarge?: true }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network_error'; readonly code: unknown; readonly cause: unknown };

/** `IncomingMessage` headers read as `Headers.get` reads them (names lower case, repeats joined). */
class NodeHeaders implements AnswerHeaders {
  constructor(private readonly headers: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * One request over `node:http` / `node:https` (the global keep-alive agents, TLS verified with
 * Node's CAs and `NODE_EXTRA_CA_CERTS`): what the client sends when no `fetch` is given. It does
 * what the client asks of `fetch` (a 3xx is the answer, not followed; the body read up to
 * `maxBodyBytes` and the connection dropped past it; the request dropped at `deadline` or when
 * `signal` aborts) at less than half of `fetch`'s cost per request: no WHATWG Request, Response,
 * Headers and streams, and no per-request `AbortSignal`. Rejects only with `signal`'s reason.
 */
export function sendOverHttp(request: CrmRequest, deadline: number, signal: AbortSignal, maxBodyBytes: number): Promise<CrmExchange> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<CrmExchange>((resolve, reject) => {
    let settled = false;
    let timedOut = false;
    // No Accept-Encoding would allow any coding (RFC 9110 12.5.3), and nothing here decompresses.
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity', ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const send = request.url.startsWith('https:') ? httpsRequest : httpRequest;
    const outgoing = send(request.url, { method: request.method, headers }, (response) => {
      const answer = (body: string, tooLarge: boolean) => ({ kind: 'response' as const, url: request.url, status: response.statusCode ?? 0, headers: new NodeHeaders(response.headers), body, ...(tooLarge ? { bodyTooLarge: true as const } : {}) });
      // A declared length over the limit is refused before a byte is read; any other answer is counted as it arrives.
      if (Number(response.headers['content-length']) > maxBodyBytes) {
        settle(answer('', true));
        return void outgoing.destroy();
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length <= maxBodyBytes) return void chunks.push(chunk);
        settle(answer('', true));
        outgoing.destroy();
      });
      response.on('end', () => {
        if (!response.complete) return closedBeforeTheAnswer();
        settle(answer(decode(chunks, length), false));
      });
      response.on('error', failed);
      response.on('close', closedBeforeTheAnswer);
    });
    const done = abortAt(
      {
        abort: () => {
          timedOut = true;
          outgoing.destroy();
        },
      },
      deadline,
    );
    const onAbort = () => {
      outgoing.destroy();
      if (settled) return;
      settled = true;
      done();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    function settle(result: CrmExchange) {
      if (settled) return;
      settled = true;
      done();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    }
    // Whatever ends the exchange first decides it; a later error or close (of a destroyed request) changes nothing.
    function failed(error: unknown) {
      settle(timedOut ? { kind: 'timeout' } : { kind: 'network_error', code: (error as { code?: unknown } | null)?.code, cause: error });
    }
    // Every exchange ends in a close: the error (and its stack) only when nothing settled it before.
    function closedBeforeTheAnswer() {
      if (!settled) failed(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
    }
    outgoing.on('error', failed);
    outgoing.on('close', closedBeforeTheAnswer);
    outgoing.end(request.body);
  });
}

/** The body as text, as `Response.text()` decodes it (UTF-8, a leading byte order mark dropped). */
function decode(chunks: readonly Buffer[], length: number): string {
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, length).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
