import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { type BrotliOptions, brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
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

/**
 * What one request got: an answer (its body bounded, decoded when it came compressed; `undecodable`
 * says why it could not be), no answer in time, or a network failure.
 */
export type CrmExchange =
  | { readonly kind: 'response'; readonly url: string; readonly status: number; readonly headers: AnswerHeaders; readonly body: string; readonly bodyTooLarge?: true; readonly undecodable?: string }
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
    /** The whole body arrived and is being decoded: the connection's close says nothing more. */
    let complete = false;
    // No Accept-Encoding would allow any coding (RFC 9110 12.5.3): identity, though a compressed answer is decoded.
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity', ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const send = request.url.startsWith('https:') ? httpsRequest : httpRequest;
    const outgoing = send(request.url, { method: request.method, headers }, (response) => {
      const answer = (body: string, tooLarge: boolean, undecodable?: string) => ({
        kind: 'response' as const,
        url: request.url,
        status: response.statusCode ?? 0,
        headers: new NodeHeaders(response.headers),
        body,
        ...(tooLarge ? { bodyTooLarge: true as const } : {}),
        ...(undecodable === undefined ? {} : { undecodable }),
      });
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
        const coding = contentCoding(response.headers['content-encoding']);
        // An empty body (a 204 that names a coding anyway) has nothing to decode.
        if (coding === 'identity' || length === 0) return settle(answer(decode(chunks, length), false));
        // Compressed although identity was asked for (a proxy, a misconfigured gateway): decoded,
        // the decoded size bounded by the same limit, so a small bomb is cut, not inflated.
        complete = true;
        decompress(coding, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length), maxBodyBytes).then(
          (decoded) => settle(decoded === 'too large' ? answer('', true) : typeof decoded === 'string' ? answer('', false, decoded) : answer(decode([decoded], decoded.length), false)),
          failed,
        );
      });
      response.on('error', failed);
      response.on('close', closedBeforeTheAnswer);
    });
    const done = abortAt(
      {
        abort: () => {
          timedOut = true;
          outgoing.destroy();
          // Decoding a whole answer: no close is coming to say so.
          if (complete) failed(new Error('timed out while decoding'));
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
      if (!settled && !complete) failed(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
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

/** The decoders of the content codings an answer may come in (RFC 9110 8.4.1), bounded by `maxOutputLength`. */
const DECODERS: Record<string, (body: Buffer, options: ZlibOptions & BrotliOptions) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  // "deflate" is zlib-wrapped (RFC 1950); some servers send it raw: told apart by the first byte, as browsers do.
  deflate: (body, options) => ((body[0]! & 0x0f) === 0x08 ? promisify(inflate)(body, options) : promisify(inflateRaw)(body, options)),
  br: promisify(brotliDecompress),
};

/** The answer's content coding, lower case: `identity` when none (or only identity) is named; several named are returned as written. */
export function contentCoding(header: string | null | undefined): string {
  // Nearly every answer: no header (a lookup's hot path).
  if (header === undefined || header === null || header === '') return 'identity';
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.length === 0 ? 'identity' : codings.join(', ');
}

/** Whether the client can decode this coding (one of gzip, deflate, br). */
export const decodableCoding = (coding: string) => Object.hasOwn(DECODERS, coding);

/** What the client says of a coding it cannot decode. */
export const undecodableCoding = (coding: string) =>
  `the answer is compressed as ${JSON.stringify(coding.slice(0, 40))} (Content-Encoding), which the connector cannot decode: it asks for identity and decodes gzip, deflate and br; check what compresses the CRM's answers (a proxy?)`;

/**
 * A compressed body decoded, at most `maxBytes` of output (zlib stops there: a gzip bomb is cut,
 * not inflated): the bytes, `'too large'`, or why it cannot be decoded.
 */
export async function decompress(coding: string, body: Buffer, maxBytes: number): Promise<Buffer | 'too large' | string> {
  const decoder = DECODERS[coding];
  if (decoder === undefined) return undecodableCoding(coding);
  try {
    return await decoder(body, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return 'too large';
    return `the answer's ${coding} compression is broken (${(error as Error).message.split('\n')[0]!.slice(0, 200)})`;
  }
}
