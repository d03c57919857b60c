import { connect } from 'node:net';

/** An HTTP/1.1 response as read off the socket, or `null` when the server closed without one. */
export interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

/** What to send, byte for byte: nothing is validated or encoded on the way. */
export interface RawRequest {
  method: string;
  target: string;
  /** Header lines as `[name, value]`, sent in order; `Connection: close` is always added. */
  headers: ReadonlyArray<readonly [string, string]>;
}

/** The request as it goes on the wire (latin1: every char one byte, as a careless client sends it). */
export function serialize(request: RawRequest): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, ...request.headers.map(([name, value]) => `${name}: ${value}`), 'Connection: close'];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function parse(bytes: Buffer): RawResponse | null {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return null;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const raw = bytes.subarray(headEnd + 4);
  const body = headers['transfer-encoding'] === 'chunked' ? decodeChunked(raw) : raw;
  return { status, headers, body: body.toString('utf8') };
}

/**
 * Sends one request over a fresh TCP connection and reads the response until the server closes
 * it (every request carries `Connection: close`; a raw `Buffer` must say so itself or be refused). Resolves `null` when the server closed (or reset) the connection without answering.
 */
export function sendRaw(port: number, request: RawRequest | Buffer, timeoutMs = 5000): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer is Node closing a connection it refused: keep what arrived.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => resolve(parse(Buffer.concat(chunks))));
    // write, not end: Node's server drops the answer to a client that half-closes before an
    // asynchronous response is ready (httpAllowHalfOpen is off); `Connection: close` ends it.
    socket.write(Buffer.isBuffer(request) ? request : serialize(request));
  });
}
