import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { ConnectorResponse } from '../core/http.js';
import { sendNodeResponse } from './node-bridge.js';
import { type ProblemName, problemDetails, problemResponse } from '../core/problems.js';

/**
 * The part of the socket `node:http` passes to its `clientError` listeners that the handler uses:
 * a `net.Socket` fits.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { type ClientErrorSocket, createNodeHandler, handleClientError } from 'priority-routing-crm/node';
 * const server = createServer(createNodeHandler({ repository }));
 * server.on('clientError', (error: Error, socket: ClientErrorSocket) => handleClientError(error, socket));
 * ```
 */
export interface ClientErrorSocket {
  readonly writable: boolean;
  end(data: string, callback?: () => void): unknown;
  destroy(error?: Error): unknown;
}

/** Node's parser and timeout error codes that have their own status, as Node's own default answer has. */
const PROBLEM_OF_CODE: Readonly<Record<string, readonly [ProblemName, string]>> = {
  HPE_HEADER_OVERFLOW: ['headersTooLarge', problemDetails.headersTooLarge()],
  ERR_HTTP_REQUEST_TIMEOUT: ['requestTimeout', problemDetails.requestTimeout()],
};
const MALFORMED = ['badRequest', problemDetails.badRequest('malformed')] as const;

/** A response as raw HTTP/1.1 bytes, ending the connection: the parser's state is unknown now. */
function rawHttpResponse(response: ConnectorResponse): string {
  const body = response.body ?? '';
  const headers = { ...response.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n${head}\r\n${body}`;
}

/**
 * A `clientError` listener for a `node:http` server: what Node's HTTP parser refuses (a
 * malformed request line, `Transfer-Encoding` with `Content-Length`, an obs-folded header line,
 * headers over the size limit, a request timeout) is answered with problem+json, like every
 * other error of the connector, and `Connection: close`, instead of Node's bare status line.
 * The connection is closed either way; nothing is written when a response is already under
 * way or the socket can no longer be written.
 *
 * `serve` and `startReferenceServer` install it; install it on your own server with
 * `server.on('clientError', handleClientError)`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeHandler, handleClientError } from 'priority-routing-crm/node';
 *
 * const server = createServer(createNodeHandler({ repository, basePath: '/cim' }));
 * server.on('clientError', handleClientError);
 * server.listen(3000);
 * ```
 */
export function handleClientError(error: Error & { code?: string }, socket: ClientErrorSocket): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [name, detail] = (error.code === undefined ? undefined : PROBLEM_OF_CODE[error.code]) ?? MALFORMED;
  // end, then destroy once flushed: a client that never closes its side cannot keep the socket.
  socket.end(rawHttpResponse(problemResponse(name, detail)), () => socket.destroy());
}

/**
 * For a server made with `requireHostHeader: false`: answers an HTTP/1.1 request without `Host`
 * with a problem+json 400 and `Connection: close` (RFC 9112 §3.2), as Node would with a bare
 * 400, and says whether it did.
 */
export function refuseMissingHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.httpVersion !== '1.1' || req.headers.host !== undefined) return false;
  sendNodeResponse(res, problemResponse('badRequest', problemDetails.badRequest('missingHost'), { connection: 'close' }));
  return true;
}
