import { DEFAULT_MAX_BODY_BYTES, readBoundedBody } from './body-limit.js';
import { redactUrl } from '../redaction/redact.js';
import { base64, basicCredentials, secretMasker } from '../redaction/secrets.js';

/**
 * The `fetch` the client and the checker call: the global one by default, or any function with
 * the same shape (a test double, an in-process handler, `undici`'s fetch with a proxy agent).
 *
 * @example
 * ```ts
 * import { type FetchLike, createConnectorClient } from 'priority-routing-crm';
 * const logged: FetchLike = async (url, init) => {
 *   console.error(init.method, url);
 *   return fetch(url, init);
 * };
 * createConnectorClient({ customerQueryUrl, labelsUrl, fetch: logged });
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * One request to send.
 */
export interface ExchangeRequest {
  url: string;
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
  /** The largest body read, 1 MiB by default; a longer one is not read on (`bodyTooLarge`). */
  maxBodyBytes?: number;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

/**
 * What came back: the status, the headers and the whole body as text.
 */
export interface ExchangeResponse {
  kind: 'response';
  /** The URL as sent (`new URL(...).href`: spaces encoded, `+` kept, user info moved to a header). */
  url: string;
  method: string;
  status: number;
  headers: Headers;
  /** The media type without parameters, in lower case (`application/json`); `""` when none. */
  contentType: string;
  /** The body as text; `""` when it was larger than `maxBodyBytes`. */
  body: string;
  /** `true` when the body was larger than `maxBodyBytes`: reading stopped there. */
  bodyTooLarge?: boolean;
  /** From sending the request to reading the last byte of the body. */
  durationMs: number;
}

/**
 * The request never got an answer: refused, reset, DNS failure, TLS error.
 */
export interface ExchangeNetworkError {
  kind: 'network_error';
  url: string;
  method: string;
  /** What went wrong, with the system error code where there is one (`ECONNREFUSED`); never a credential or query token. */
  message: string;
  /** The system or TLS error code (`ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), when there is one. */
  code?: string;
  cause: unknown;
}

/**
 * No complete answer within `timeoutMs`.
 */
export interface ExchangeTimeout {
  kind: 'timeout';
  url: string;
  method: string;
  timeoutMs: number;
}

/**
 * The outcome of {@link exchange}: it never rejects, except when the caller's own signal aborts.
 */
export type ExchangeResult = ExchangeResponse | ExchangeNetworkError | ExchangeTimeout;

/**
 * The media type of a `Content-Type` value, lower case, without parameters.
 */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Whether a media type carries JSON: `application/json` and any `+json` type.
 */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

// undici wraps the socket error: the useful part ("connect ECONNREFUSED 127.0.0.1:1") is the cause.
const causeOf = (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause : error);

function errorCode(error: unknown): string | undefined {
  const code = (causeOf(error) as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeNetworkError(error: unknown): string {
  const cause = causeOf(error);
  if (cause instanceof Error) {
    const code = errorCode(error);
    return code !== undefined && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

// Every header value may be a credential, but not the content type the checker adds to a POST.
const credentialHeaders = (headers: Readonly<Record<string, string>> = {}) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !['accept', 'content-type'].includes(name.toLowerCase())));

/** Moves the URL's user info into an `Authorization: Basic` header, as browsers and curl do; fetch refuses it in the URL. */
function withBasicAuth(url: URL, headers: Record<string, string>): void {
  const credentials = basicCredentials(url.href);
  if (credentials === undefined) return;
  url.username = '';
  url.password = '';
  const given = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  if (!given) headers.authorization = `Basic ${base64(credentials)}`;
}

/**
 * Sends one request and reads the whole body, within `timeoutMs` for both, but no more than
 * `maxBodyBytes` of it (1 MiB by default). Never throws for
 * what the server, the network or the URL does; only an abort of the caller's `signal` rejects.
 * User info in the URL (`http://user:pass@host/…`) is sent as `Authorization: Basic …` unless
 * `headers` has an `authorization`. Error messages never quote a credential or a query token,
 * as given, trimmed or decoded. Redirects are not followed (`redirect: 'manual'`): a 3xx is the
 * answer, so that no header or credential is ever sent on to another server.
 */
export async function exchange(request: ExchangeRequest): Promise<ExchangeResult> {
  const method = request.method ?? 'GET';
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let url = request.url;
  const started = performance.now();
  try {
    const target = new URL(request.url);
    withBasicAuth(target, headers);
    url = target.href;
    const init: RequestInit = { method, headers, signal, redirect: 'manual' };
    if (request.body !== undefined) init.body = request.body;
    const response = await (request.fetch ?? fetch)(url, init);
    const { body, tooLarge } = await readBoundedBody(response, request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return {
      kind: 'response',
      url,
      method,
      status: response.status,
      headers: response.headers,
      contentType: mediaType(response.headers.get('content-type')),
      body,
      ...(tooLarge ? { bodyTooLarge: true } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (request.signal?.aborted === true) throw request.signal.reason;
    if (timeout.aborted) return { kind: 'timeout', url, method, timeoutMs: request.timeoutMs };
    const redactText = secretMasker({ headers: credentialHeaders(request.headers), urls: [{ url: request.url }] });
    let message = describeNetworkError(error);
    for (const quoted of [request.url, url]) message = message.replaceAll(quoted, redactUrl(quoted));
    const code = errorCode(error);
    return { kind: 'network_error', url, method, message: redactText(message), ...(code === undefined ? {} : { code }), cause: error };
  }
}
