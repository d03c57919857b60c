import { setTimeout as sleep } from 'node:timers/promises';
import { base64 } from '../redaction/secrets.js';
import { parseJsonBody } from '../transport/body.js';
import { DEFAULT_MAX_BODY_BYTES, readBoundedBody } from '../transport/body-limit.js';
import { type FetchLike, mediaType } from '../transport/exchange.js';
import { abortAt } from './deadlines.js';
import { contentCoding, type CrmExchange, type CrmRequest, decodableCoding, sendOverHttp, undecodableCoding } from './http-transport.js';
import { KeptAnswers } from './kept.js';
import { crmErrorCode, crmErrorMessage, masker, type Masker, retryAfterSeconds } from './answers.js';
import { CrmRateLimitError, CrmResponseError, issue } from './errors.js';
import type { Evaluate, LoadedProfile } from './profile.js';
import type { CrmRequestSpec } from './schema.js';
import { type Bindings, expand, fill } from './template.js';
import { safeUrl, type Token, TokenSource } from './token.js';

/** One call's limits: its signal (the handler's timeout) and the time by which it must be done. */
export interface CallContext {
  readonly signal: AbortSignal;
  readonly deadline: number;
}

/** What a request got: the parsed answer, or `undefined` for "no results" (204, a notFoundStatus). */
export type CrmAnswer = { readonly body: unknown } | undefined;

type CrmResponse = Extract<CrmExchange, { kind: 'response' }>;

const MAX_RATE_LIMIT_RETRIES = 2;
/** How many request URLs (base and filled path) a client keeps checked. */
const CHECKED_TARGETS_KEPT = 100;

/**
 * The profile's HTTP side: builds each request from its spec, adds the credentials, sends it to
 * the base URL only, and reads the answer as untrusted (bounded in size and time, redirects not
 * followed, errors quoted by their code and masked). A 401 renews an OAuth2 token once and
 * retries once; a rate limit is waited out when the wait fits before the deadline, else it is a
 * {@link CrmRateLimitError}.
 */
export class CrmClient {
  readonly mask: Masker;
  readonly tokens: TokenSource | undefined;
  readonly maxBodyBytes: number;
  #base: { url: URL; for: Token | undefined } | undefined;
  /** Request URLs (base and filled path) already parsed and checked: a lookup's path is mostly the same every time. */
  readonly #targets = new KeptAnswers<string, string>(CHECKED_TARGETS_KEPT);
  /** Every request sent to the CRM (token requests excluded): for `crm check` and the benchmark. */
  calls = 0;

  constructor(
    private readonly loaded: LoadedProfile,
    private readonly options: { fetch?: FetchLike | undefined; timeoutMs: number; retryAfterHint?: Evaluate | undefined; onWarning?: ((message: string) => void) | undefined },
  ) {
    const { auth } = loaded.profile;
    const masked = masker(secretsOf(auth));
    this.maxBodyBytes = loaded.profile.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const tokens =
      auth.type === 'oauth2'
        ? new TokenSource(auth, { fetch: options.fetch, timeoutMs: options.timeoutMs, maxBodyBytes: this.maxBodyBytes, mask: masked, warn: options.onWarning, refreshTokenFrom: loaded.refreshTokenFrom })
        : undefined;
    this.tokens = tokens;
    // The access tokens too (a CRM's error may quote the Authorization header it was sent), and the refresh tokens it issued.
    this.mask = tokens === undefined ? masked : tokens.mask;
    if (auth.type === 'oauth2') checkUrl(auth.tokenUrl, 'auth.tokenUrl');
    if (!loaded.profile.baseUrl.includes('{token.')) checkUrl(loaded.profile.baseUrl, 'baseUrl');
  }

  /** Sends one request of `spec` with `bindings` and reads its answer. */
  async send(spec: CrmRequestSpec, bindings: Bindings, context: CallContext, what: string): Promise<CrmAnswer> {
    const pending = this.#token(context);
    let token = pending instanceof Promise ? await pending : pending;
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const base = this.#baseUrl(token);
      const request = this.#build(spec, bindings, base, token);
      const remaining = context.deadline - Date.now();
      if (remaining <= 0) throw new DOMException(`The CRM did not answer the ${what} in time`, 'TimeoutError');
      this.calls += 1;
      const result = await this.#exchange(request, remaining, context.signal);
      if (result.kind === 'timeout') throw new DOMException(`The CRM did not answer the ${what} in time`, 'TimeoutError');
      if (result.kind === 'network_error') throw new Error(this.mask(`cannot reach the CRM at ${base.origin}: ${describeCause(result.code, result.cause)}`));
      const { status } = result;
      if (status === 401 && this.tokens !== undefined && token !== undefined && !renewed) {
        // Expired or revoked: one new token (shared with every lookup that met the same 401), one retry.
        renewed = true;
        token = await this.tokens.renew(token);
        continue;
      }
      const byStatus = this.loaded.profile.rateLimit.statuses.includes(status);
      // An error whose body says "limit" (Salesforce's 403 REQUEST_LIMIT_EXCEEDED) is one whatever its status.
      const byBody = !byStatus && this.#rateLimitedByBody(result);
      if (byStatus || byBody) {
        const wait = this.#rateLimitWait(result);
        if (wait !== undefined && attempt < MAX_RATE_LIMIT_RETRIES && Date.now() + wait * 1000 < context.deadline - 50) {
          await sleep(wait * 1000, undefined, { signal: context.signal });
          continue;
        }
        if (wait !== undefined || status === 429 || byBody) {
          const body = parseJsonBody(result.body);
          throw new CrmRateLimitError(Math.max(1, Math.ceil(wait ?? 1)), status, body.ok ? crmErrorCode(body.value) : undefined);
        }
      }
      return this.#read(result, spec, what);
    }
  }

  /**
   * One request, bounded in time (the lookup's remaining time, or the caller's signal) and size,
   * redirects not followed: over `node:http` unless the options give a `fetch`.
   */
  #exchange(request: CrmRequest, timeoutMs: number, signal: AbortSignal): Promise<CrmExchange> {
    const deadline = Date.now() + timeoutMs;
    const given = this.options.fetch;
    return given === undefined ? sendOverHttp(request, deadline, signal, this.maxBodyBytes) : this.#fetchExchange(given, request, deadline, signal);
  }

  /**
   * The same through a given `fetch` (a proxy agent, a test): one controller and the shared
   * deadline timer instead of `AbortSignal.any` and `AbortSignal.timeout`, which cost more than the rest of a lookup.
   */
  async #fetchExchange(given: FetchLike, request: CrmRequest, deadline: number, signal: AbortSignal): Promise<CrmExchange> {
    if (signal.aborted) throw signal.reason;
    const controller = new AbortController();
    const done = abortAt(controller, deadline);
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const headers = { accept: 'application/json', ...request.headers };
    try {
      const init: RequestInit = { method: request.method, headers, signal: controller.signal, redirect: 'manual' };
      if (request.body !== undefined) init.body = request.body;
      const response = await given(request.url, init);
      const coding = contentCoding(response.headers.get('content-encoding'));
      if (coding !== 'identity' && !decodableCoding(coding)) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'response', url: request.url, status: response.status, headers: response.headers, body: '', undecodable: undecodableCoding(coding) };
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      // A declared length within the limit bounds the body already (HTTP framing), unless fetch
      // decompresses it (the length is the compressed one): else read counting decoded bytes.
      const { body, tooLarge } = declared <= this.maxBodyBytes && coding === 'identity' ? { body: await response.text(), tooLarge: false } : await readBoundedBody(response, this.maxBodyBytes);
      return { kind: 'response', url: request.url, status: response.status, headers: response.headers, body, ...(tooLarge ? { bodyTooLarge: true as const } : {}) };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (controller.signal.aborted) return { kind: 'timeout' };
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      return { kind: 'network_error', code: (cause as { code?: unknown } | null)?.code, cause };
    } finally {
      done();
      signal.removeEventListener('abort', onAbort);
    }
  }

  #read(result: CrmResponse, spec: CrmRequestSpec, what: string): CrmAnswer {
    const { status } = result;
    // Where it came from is only worked out for a message (parsing the URL is a lookup's cost otherwise).
    const where = () => safeUrl(result.url);
    const fail = (why: string) => new CrmResponseError(this.mask(`${what} from ${where()}: ${why}`), [issue('$', this.mask(`${what} (${spec.method} ${spec.path}): ${why}`))]);
    if (status >= 300 && status < 400) {
      const location = result.headers.get('location');
      throw fail(`HTTP ${status} redirect${location === null ? '' : ` to ${safeUrl(new URL(location, result.url).href)}`} not followed: set baseUrl to where the CRM really is`);
    }
    if (result.bodyTooLarge) throw fail(`answer larger than ${this.maxBodyBytes} bytes (limits.maxBodyBytes)`);
    if (status === 204 || ('notFoundStatus' in spec && spec.notFoundStatus?.includes(status))) return undefined;
    const body = parseJsonBody(result.body);
    if (status < 200 || status >= 300) {
      const code = body.ok ? crmErrorCode(body.value) : undefined;
      const said = body.ok ? crmErrorMessage(body.value, code) : undefined;
      const message = said === undefined ? '' : `: ${said}`;
      const why = `HTTP ${status}${code === undefined ? '' : ` ${code}`}${message}`;
      // A CRM that fails (5xx) is a failed lookup (500, counted by the breaker); one that refuses the request is our configuration (502).
      if (status >= 500) throw new Error(this.mask(`${what} from ${where()}: ${why}`));
      throw fail(status === 401 || status === 403 ? `${why} (check the credentials and their scopes)` : why);
    }
    // A body in a coding it cannot decode reads as none: an error status is still said as such, a success names the coding.
    if (!body.ok) throw fail(result.undecodable ?? `not JSON (${mediaType(result.headers.get('content-type')) || 'no content type'})`);
    return { body: body.value };
  }

  /** Whether one of the profile's `rateLimit.errors` conditions for this status finds something in the body. */
  #rateLimitedByBody(result: CrmResponse): boolean {
    const conditions = this.loaded.rateLimitErrors.filter((condition) => condition.status === result.status);
    if (conditions.length === 0) return false;
    const body = parseJsonBody(result.body);
    if (!body.ok) return false;
    return conditions.some(({ test }) => {
      try {
        return truthy(test(body.value));
      } catch {
        // A function given the wrong type (the CRM's body is not what the profile expects): not a rate limit.
        return false;
      }
    });
  }

  #rateLimitWait(result: CrmResponse): number | undefined {
    const hint = this.options.retryAfterHint;
    let bodyHint: unknown;
    if (hint !== undefined) {
      const body = parseJsonBody(result.body);
      bodyHint = body.ok ? hint(body.value) : undefined;
    }
    return retryAfterSeconds(result.headers, bodyHint);
  }

  #token(context: CallContext): Token | undefined | Promise<Token> {
    if (this.tokens === undefined) return undefined;
    const kept = this.tokens.current();
    if (kept !== undefined) return kept;
    const pending = this.tokens.get();
    // A caller whose time runs out stops waiting; the token request goes on for the others.
    return new Promise<Token>((resolve, reject) => {
      const abort = () => reject(new DOMException('The token request did not finish in time', 'TimeoutError'));
      if (context.signal.aborted) return abort();
      context.signal.addEventListener('abort', abort, { once: true });
      pending.then(
        (token) => {
          context.signal.removeEventListener('abort', abort);
          resolve(token);
        },
        (error: unknown) => {
          context.signal.removeEventListener('abort', abort);
          reject(error);
        },
      );
    });
  }

  /** The base URL, filled from the token answer where it says `{token.api_domain}`. */
  #baseUrl(token: Token | undefined): URL {
    if (this.#base !== undefined && this.#base.for === token) return this.#base.url;
    const { baseUrl } = this.loaded.profile;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(token?.answer ?? {})) if (typeof value === 'string') values[`token.${key}`] = value;
    const text = fill(baseUrl, { values, phones: [] }, undefined, true);
    if (text.includes('{token.')) throw new CrmResponseError(`baseUrl ${baseUrl}: the token answer has no such field`, [issue('(token)', `baseUrl ${baseUrl}: the token answer has no such field; set PRC_CRM_BASE_URL`)]);
    const url = checkUrl(text, 'baseUrl', CrmResponseError);
    this.#base = { url, for: token };
    return url;
  }

  #build(spec: CrmRequestSpec, bindings: Bindings, base: URL, token: Token | undefined): CrmRequest {
    const { auth, headers: common } = this.loaded.profile;
    const path = fill(spec.path, bindings, encodeURIComponent);
    const prefix = base.href.endsWith('/') ? base.href.slice(0, -1) : base.href;
    const target = this.#targets.get(prefix + path, (text) => {
      const url = new URL(text);
      // Only the base URL is ever called: a placeholder cannot climb out of its path (`..`, `//host`).
      if (url.origin !== base.origin || (!url.pathname.startsWith(base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`) && url.pathname !== base.pathname)) {
        throw new CrmResponseError(`the request path ${spec.path} leaves baseUrl`);
      }
      return url.href;
    });
    const query = Object.entries(spec.query ?? {}).map(([name, template]) => {
      const value = expand(template, bindings);
      return [name, typeof value === 'string' ? value : JSON.stringify(value)] as const;
    });
    let href: string;
    if (auth.type !== 'query' && !target.includes('?') && !target.includes('#')) {
      // A target without a query of its own: the parameters written directly, without re-parsing the URL.
      href = query.length === 0 ? target : `${target}?${queryString(query)}`;
    } else {
      const url = new URL(target);
      for (const [name, value] of query) url.searchParams.set(name, value);
      if (auth.type === 'query') url.searchParams.set(auth.name, auth.value);
      // As queryString writes it: a space is %20 (searchParams writes `+`, which only a form decoder reads as a space).
      url.search = url.search.replaceAll('+', '%20');
      href = url.href;
    }
    const headers: Record<string, string> = { ...common, ...spec.headers };
    if (auth.type === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    else if (auth.type === 'header') headers[auth.name.toLowerCase()] = auth.value;
    else if (auth.type === 'basic') headers.authorization = `Basic ${base64(`${auth.username}:${auth.password}`)}`;
    else if (auth.type === 'oauth2' && token !== undefined) headers.authorization = `${auth.scheme} ${token.value}`;
    const request: { url: string; method: string; headers: Record<string, string>; body?: string } = { url: href, method: spec.method, headers };
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      request.body = JSON.stringify(expand(spec.body, bindings));
    }
    return request;
  }
}

/**
 * Query parameters percent-encoded as RFC 3986 has them: a space is `%20`, not the `+` of HTML
 * forms, which OData's URL grammar (Dataverse's `$filter=telephone1 eq '…'`) does not read as a
 * space; `$` stays as written (`$filter`, `$select`), as a query may hold it.
 */
function queryString(query: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of query) out += `${out === '' ? '' : '&'}${encodeQuery(name)}=${encodeQuery(value)}`;
  return out;
}

// A lookup's own work is measured (bench/): the replace only where there is a `$`.
function encodeQuery(text: string): string {
  const encoded = encodeURIComponent(text);
  return encoded.includes('%24') ? encoded.replaceAll('%24', '$') : encoded;
}

/** The credential values of an auth section, for masking. */
export function secretsOf(auth: LoadedProfile['profile']['auth']): string[] {
  switch (auth.type) {
    case 'bearer':
      return [auth.token];
    case 'header':
    case 'query':
      return [auth.value];
    case 'basic':
      return [auth.password, base64(`${auth.username}:${auth.password}`)];
    case 'oauth2':
      return [auth.clientSecret, auth.refreshToken ?? ''];
    default:
      return [];
  }
}

function checkUrl(text: string, key: string, Problem: new (message: string) => Error = TypeError): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Problem(`${key}: expected an absolute http(s) URL, got ${JSON.stringify(safeUrl(text))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Problem(`${key}: expected an http(s) URL, got ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new Problem(`${key}: credentials go in auth, not in the URL`);
  return url;
}

/** JMESPath's truth: not null, false, an empty string, list or object. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== 'object' || Object.keys(value).length > 0;
}

/** `ECONNREFUSED: connect …` once: Node's message often names the code already. */
function describeCause(code: unknown, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
