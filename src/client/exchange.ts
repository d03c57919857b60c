/**
 * The `fetch` the client and the checker call: the global one by default, or any function with
 * the same shape (a test double, an in-process handler, `undici`'s fetch with a proxy agent).
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** One request to send. */
export interface ExchangeRequest {
  url: string;
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

/** What came back: the status, the headers and the whole body as text. */
export interface ExchangeResponse {
  kind: 'response';
  /** The URL as sent (`new URL(...).href`: spaces encoded, `+` kept). */
  url: string;
  method: string;
  status: number;
  headers: Headers;
  /** The media type without parameters, in lower case (`application/json`); `""` when none. */
  contentType: string;
  body: string;
  /** From sending the request to reading the last byte of the body. */
  durationMs: number;
}

/** The request never got an answer: refused, reset, DNS failure, TLS error. */
export interface ExchangeNetworkError {
  kind: 'network_error';
  url: string;
  method: string;
  /** What went wrong, with the system error code where there is one (`ECONNREFUSED`). */
  message: string;
  cause: unknown;
}

/** No complete answer within `timeoutMs`. */
export interface ExchangeTimeout {
  kind: 'timeout';
  url: string;
  method: string;
  timeoutMs: number;
}

/** The outcome of {@link exchange}: it never rejects, except when the caller's own signal aborts. */
export type ExchangeResult = ExchangeResponse | ExchangeNetworkError | ExchangeTimeout;

/**
 * The media type of a `Content-Type` value, lower case, without parameters.
 *
 * @example
 * ```ts
 * mediaType('Application/JSON; charset=utf-8'); // 'application/json'
 * ```
 */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Whether a media type carries JSON: `application/json` and any `+json` type.
 *
 * @example
 * ```ts
 * isJsonMediaType('application/problem+json'); // true
 * isJsonMediaType('text/html'); // false
 * ```
 */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

// undici wraps the socket error: the useful part ("connect ECONNREFUSED 127.0.0.1:1") is the cause.
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/**
 * Sends one request and reads the whole body, within `timeoutMs` for both. Never throws for
 * what the server or the network does; only an abort of the caller's `signal` rejects.
 *
 * @example
 * ```ts
 * const result = await exchange({ url: 'http://127.0.0.1:3000/label', timeoutMs: 5000 });
 * if (result.kind === 'response') console.log(result.status, result.contentType, result.durationMs);
 * ```
 */
export async function exchange(request: ExchangeRequest): Promise<ExchangeResult> {
  const method = request.method ?? 'GET';
  const url = new URL(request.url).href;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
  const init: RequestInit = { method, headers: { accept: 'application/json', ...request.headers }, signal, redirect: 'follow' };
  if (request.body !== undefined) init.body = request.body;
  const started = performance.now();
  try {
    const response = await (request.fetch ?? fetch)(url, init);
    const body = await response.text();
    return {
      kind: 'response',
      url,
      method,
      status: response.status,
      headers: response.headers,
      contentType: mediaType(response.headers.get('content-type')),
      body,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (request.signal?.aborted === true) throw request.signal.reason;
    if (timeout.aborted) return { kind: 'timeout', url, method, timeoutMs: request.timeoutMs };
    return { kind: 'network_error', url, method, message: describeNetworkError(error), cause: error };
  }
}
