import { base64 } from '../redaction/secrets.js';
import { exchange, type FetchLike } from '../transport/exchange.js';
import { parseJsonBody } from '../transport/body.js';
import { CrmResponseError, issue } from './errors.js';
import { crmErrorCode, crmErrorMessage, type Masker, masker } from './answers.js';
import { contentCoding, decodableCoding, undecodableCoding } from './http-transport.js';
import type { CrmProfile } from './schema.js';

type OAuth2 = Extract<CrmProfile['auth'], { type: 'oauth2' }>;

/** An access token and the token answer it came in (for `{token.api_domain}`). */
export interface Token {
  readonly value: string;
  /** Epoch ms after which it is not used; `Infinity` for an answer without `expires_in` (used until a 401). */
  readonly expiresAt: number;
  readonly answer: Readonly<Record<string, unknown>>;
}

/** Tokens are renewed this long before they expire (a tenth of a short lifetime), so none is sent stale. */
const EARLY_MS = 60_000;

/**
 * OAuth2 access tokens for one profile: kept until shortly before expiry, and fetched by one
 * request at a time however many lookups wait (Zoho locks a refresh token out after a few
 * token requests in ten minutes). `renew(stale)` after a 401 fetches a new one only if no other
 * caller already replaced `stale`.
 */
export class TokenSource {
  #token: Token | undefined;
  #pending: Promise<Token> | undefined;
  /**
   * The refresh token the next request sends: the configured one until a token answer carries
   * another (RFC 6749 6: the client MUST then discard the old one). Kept in memory only.
   */
  #refreshToken: string | undefined;
  #warnedOfRotation = false;
  /** How many token requests were sent: for `crm check` and the tests that count them. */
  requests = 0;
  /** The last access tokens obtained (the one in use and the one it replaced), for masking. */
  readonly recent: string[] = [];
  /** The last refresh tokens the CRM issued (the one in use and the one it replaced), for masking. */
  readonly issuedRefreshTokens: string[] = [];

  constructor(
    private readonly auth: OAuth2,
    private readonly options: {
      fetch?: FetchLike | undefined;
      timeoutMs: number;
      maxBodyBytes: number;
      mask: Masker;
      now?: () => number;
      /** Said once when the CRM rotates the refresh token (never the token itself). */
      warn?: ((message: string) => void) | undefined;
      /** Where the configured refresh token comes from (`PRC_CRM_REFRESH_TOKEN`), for that warning. */
      refreshTokenFrom?: readonly string[] | undefined;
    },
  ) {
    this.#refreshToken = auth.refreshToken;
  }

  /** `text` with every credential hidden: the configured ones, the access tokens, the refresh tokens the CRM issued. */
  readonly mask: Masker = (text) => masker([...this.recent, ...this.issuedRefreshTokens])(this.options.mask(text));

  /** The kept token while it is fresh, else `undefined` (no promise: the common case costs nothing). */
  current(): Token | undefined {
    const token = this.#token;
    return token !== undefined && this.#now() < token.expiresAt ? token : undefined;
  }

  /** The cached token, or the one being fetched, or a new one. */
  get(): Promise<Token> {
    const token = this.current();
    return token === undefined ? this.#fetchOnce() : Promise.resolve(token);
  }

  /** A token other than `stale` (which the CRM just refused). */
  renew(stale: Token): Promise<Token> {
    if (this.#token !== undefined && this.#token !== stale && this.#now() < this.#token.expiresAt) return Promise.resolve(this.#token);
    if (this.#token === stale) this.#token = undefined;
    return this.#fetchOnce();
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #fetchOnce(): Promise<Token> {
    if (this.#pending === undefined) {
      const pending = this.#request().then(
        (token) => {
          this.#token = token;
          remember(this.recent, token.value);
          this.#rotate(token.answer.refresh_token);
          return token;
        },
      );
      this.#pending = pending;
      const clear = () => {
        if (this.#pending === pending) this.#pending = undefined;
      };
      pending.then(clear, clear);
    }
    return this.#pending;
  }

  /**
   * A refresh token in a token answer replaces the one in use (Pipedrive sends one with every
   * answer; Salesforce with refresh token rotation revokes the old one at once). The first time it
   * differs from the configured one, the operator is told: that one may not work after a restart.
   */
  #rotate(issued: unknown): void {
    if (this.auth.grant !== 'refresh_token' || typeof issued !== 'string' || issued === '' || issued === this.#refreshToken) return;
    this.#refreshToken = issued;
    remember(this.issuedRefreshTokens, issued);
    if (this.#warnedOfRotation) return;
    this.#warnedOfRotation = true;
    const from = this.options.refreshTokenFrom ?? [];
    const setting = from.length === 0 ? 'auth.refreshToken of the profile' : from.join(' or ');
    this.options.warn?.(
      `the CRM's token answer (${safeUrl(this.auth.tokenUrl)}) carried a new refresh token: the connector uses it from now on, kept in memory only (never written anywhere). ` +
        `The refresh token configured in ${from.length === 0 ? setting : `${setting} (auth.refreshToken)`} may stop working (the CRM may have revoked it, or revoke it once it goes unused): ` +
        `if the token request fails after a restart (invalid_grant), authorize the app again and set ${setting} to the new refresh token (docs/crm.md, "Refresh token rotation").`,
    );
  }

  async #request(): Promise<Token> {
    const { auth, options } = this;
    const form = new URLSearchParams({ grant_type: auth.grant });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (auth.clientAuth === 'basic') headers.authorization = `Basic ${base64(`${formEncoded(auth.clientId)}:${formEncoded(auth.clientSecret)}`)}`;
    else {
      form.set('client_id', auth.clientId);
      form.set('client_secret', auth.clientSecret);
    }
    if (auth.grant === 'refresh_token') form.set('refresh_token', this.#refreshToken ?? '');
    if (auth.scope !== undefined && auth.scope !== '') form.set('scope', auth.scope);
    this.requests += 1;
    const where = safeUrl(auth.tokenUrl);
    const result = await exchange({
      url: auth.tokenUrl,
      method: 'POST',
      headers,
      body: form.toString(),
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    const fail = (why: string) => new CrmResponseError(this.mask(`token request to ${where} failed: ${why}`), [issue('(token)', this.mask(`auth.tokenUrl ${where}: ${why}`))]);
    // Not an answer at all: the CRM is unreachable (500) or slow (504), as for its API; only what
    // its token endpoint says is judged as the CRM's data (502).
    if (result.kind === 'timeout') throw new DOMException(`The CRM's token URL did not answer in time`, 'TimeoutError');
    if (result.kind === 'network_error') throw new Error(this.mask(`cannot reach the CRM's token URL at ${where}: ${result.message}`));
    if (result.bodyTooLarge) throw fail(`answer larger than ${options.maxBodyBytes} bytes`);
    // fetch decodes gzip, deflate and br (bounded by maxBodyBytes as it reads); any other coding is said as such, not "not JSON".
    const coding = contentCoding(result.headers.get('content-encoding'));
    if (coding !== 'identity' && !decodableCoding(coding)) throw fail(undecodableCoding(coding));
    if (result.status >= 300 && result.status < 400) throw fail(`HTTP ${result.status} redirect not followed`);
    const body = parseJsonBody(result.body);
    const answer = body.ok && typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>) : {};
    // Zoho answers a wrong client secret with 200 and { "error": "invalid_client" }.
    const accessToken = answer.access_token;
    if (result.status !== 200 || typeof accessToken !== 'string' || accessToken === '') {
      const code = crmErrorCode(answer);
      const words = crmErrorMessage(answer, code);
      const what = words !== undefined ? `: ${words}` : code !== undefined ? '' : body.ok ? ', no access_token in the answer' : ', not JSON';
      throw fail(`HTTP ${result.status}${code === undefined ? '' : ` ${code}`}${what}`);
    }
    const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : typeof answer.expires_in === 'string' ? Number(answer.expires_in) : Number.NaN;
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Number.POSITIVE_INFINITY;
    const early = Math.min(EARLY_MS, lifetime / 10);
    return { value: accessToken, expiresAt: this.#now() + lifetime - early, answer };
  }
}

/** `value` first in `list`, which keeps the last two. */
function remember(list: string[], value: string): void {
  list.unshift(value);
  list.length = Math.min(list.length, 2);
}

/** A value form-encoded, as RFC 6749 (2.3.1) encodes the client id and secret before Basic. */
const formEncoded = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/** A URL as shown in messages: origin and path, never its query (which may hold a credential). */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
