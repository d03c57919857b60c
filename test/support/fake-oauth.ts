import type { Received, Route } from './fake-crm.js';

/** What a fake's route answers. */
export type Answer = Awaited<ReturnType<Route>>;

/**
 * What a token answer of the refresh grant says of the refresh token (RFC 6749 section 6):
 * - `omitted`: nothing, the one sent stays valid (Zoho);
 * - `same`: the one sent, again (HubSpot: store the install's refresh token and reuse it);
 * - `new`: a new one; the one sent still works (Pipedrive: each answer carries a refresh_token,
 *   and one expires only when unused for 60 days);
 * - `new-revokes-old`: a new one, the one sent revoked at once (Salesforce with refresh token rotation).
 */
export type RefreshTokenRotation = 'omitted' | 'same' | 'new' | 'new-revokes-old';

/** A token endpoint's vendor quirks, as the vendor documents them. */
export interface FakeOAuthOptions {
  /** The grants it serves (`grant_type`); any other gets `refused.grant`. */
  grants: ReadonlyArray<'refresh_token' | 'client_credentials'>;
  /** Where the client id and secret come: the form (RFC 6749 2.3.1, the default) or `Authorization: Basic` (Pipedrive). */
  clientAuth?: 'body' | 'basic';
  /** Zoho reads the parameters from the query string too. */
  queryToo?: boolean;
  /** The registered clients: id → secret. */
  clients: Readonly<Record<string, string>>;
  /** The refresh tokens valid at start. */
  refreshTokens?: readonly string[];
  rotation?: RefreshTokenRotation;
  /** Milliseconds a refresh token stays valid unused (Pipedrive: 60 days); default for ever. */
  refreshTokenIdleMs?: number;
  /** The vendor's error answers. */
  refused: {
    grant: (grant: string | null) => Answer;
    /** An unknown client id, or a known one with a wrong secret. */
    client: (why: 'unknown' | 'secret', clientId: string) => Answer;
    /** A refresh token it did not issue, revoked or expired. */
    refreshToken?: () => Answer;
  };
  /** Checks before any other (Entra ID: the tenant in the path). */
  before?: (request: Received) => Answer | undefined;
  /** Checks once the client is known (Entra ID: the scope; Salesforce: the Run As user). */
  after?: (form: URLSearchParams, clientId: string) => Answer | undefined;
  /** The access token's text, `issued` counting from 1. */
  accessToken: (issued: number) => string;
  /** The rest of the answer's body, beside `access_token` (and `refresh_token` when it names one). */
  answer: (accessToken: string, clientId: string, issued: number) => Record<string, unknown>;
  /** The new refresh token's text, when `rotation` says to issue one. */
  newRefreshToken?: (issued: number) => string;
}

/** A fake token endpoint and the tokens it issued. */
export interface FakeOAuth {
  /** The route's handler (for `startFakeCrm`, named `token`). */
  readonly handle: Route;
  /** Whether `header` is `<scheme> <a token it issued>`, not expired. */
  authorized(header: string | string[] | undefined, scheme?: string): boolean;
  /** The client an access token was issued to. */
  clientOf(token: string): string | undefined;
  /** Every access token issued so far is refused from now on (the CRM answers 401). */
  expireTokens(): void;
  /** Whether a refresh token works now (a rotated one included). */
  refreshTokenWorks(token: string): boolean;
  /** The refresh token sent by each refresh request, in order. */
  readonly refreshTokensSent: readonly string[];
  /** The refresh tokens its answers carried that were not the one sent, in order. */
  readonly refreshTokensIssued: readonly string[];
  rotation: RefreshTokenRotation;
  /** Back to the refresh tokens and rotation it started with; nothing sent or issued (between tests). */
  restore(): void;
}

/**
 * A token endpoint (RFC 6749: the client credentials and refresh token grants, a form body) with
 * a vendor's quirks as options: where the client credentials go, its error bodies, what its answer
 * carries (`api_domain`, `instance_url`, `expires_in`), and what it does with refresh tokens.
 */
export function fakeOAuth(options: FakeOAuthOptions): FakeOAuth {
  const issued = new Map<string, string>();
  let count = 0;
  let refreshed = 0;
  /** Each valid refresh token and when it was last used. */
  const refreshTokens = new Map<string, number>();
  const refreshTokensSent: string[] = [];
  const refreshTokensIssued: string[] = [];
  const state = { rotation: options.rotation ?? 'omitted' };
  const restore = () => {
    refreshTokens.clear();
    for (const token of options.refreshTokens ?? []) refreshTokens.set(token, Date.now());
    refreshTokensSent.length = 0;
    refreshTokensIssued.length = 0;
    state.rotation = options.rotation ?? 'omitted';
  };
  restore();
  const usable = (token: string | null): boolean => {
    const last = token === null ? undefined : refreshTokens.get(token);
    return last !== undefined && Date.now() - last <= (options.refreshTokenIdleMs ?? Number.POSITIVE_INFINITY);
  };

  const handle: Route = (request) => {
    const early = options.before?.(request);
    if (early !== undefined) return early;
    const form = new URLSearchParams(request.body);
    const get = (name: string) => form.get(name) ?? (options.queryToo === true ? request.query.get(name) : null);
    const grant = get('grant_type');
    if (!options.grants.some((served) => served === grant)) return options.refused.grant(grant);
    const [clientId, secret] = clientOf(request, get, options.clientAuth ?? 'body');
    const known = Object.hasOwn(options.clients, clientId) ? options.clients[clientId] : undefined;
    if (known === undefined) return options.refused.client('unknown', clientId);
    if (secret !== known) return options.refused.client('secret', clientId);
    const sent = grant === 'refresh_token' ? (get('refresh_token') ?? '') : undefined;
    if (sent !== undefined) {
      refreshTokensSent.push(sent);
      if (!usable(sent)) return (options.refused.refreshToken ?? (() => options.refused.grant(grant)))();
    }
    const late = options.after?.(form, clientId);
    if (late !== undefined) return late;
    // Used: its idle time starts again (Pipedrive), and the answer may rotate it.
    if (sent !== undefined) refreshTokens.set(sent, Date.now());
    const refreshToken = sent === undefined ? undefined : rotate(sent);
    count += 1;
    const token = options.accessToken(count);
    issued.set(token, clientId);
    return { status: 200, body: { access_token: token, ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }), ...options.answer(token, clientId, count) } };
  };

  /** What the answer says of the refresh token `sent`, per `rotation`. */
  function rotate(sent: string): string | undefined {
    if (state.rotation === 'omitted') return undefined;
    if (state.rotation === 'same') return sent;
    refreshed += 1;
    const next = (options.newRefreshToken ?? ((n) => `rotated-refresh-${n}`))(refreshed);
    refreshTokens.set(next, Date.now());
    refreshTokensIssued.push(next);
    if (state.rotation === 'new-revokes-old') refreshTokens.delete(sent);
    return next;
  }

  return {
    handle,
    authorized: (header, scheme = 'Bearer') => typeof header === 'string' && header.startsWith(`${scheme} `) && issued.has(header.slice(scheme.length + 1)),
    clientOf: (token) => issued.get(token),
    expireTokens: () => issued.clear(),
    refreshTokenWorks: usable,
    refreshTokensSent,
    refreshTokensIssued,
    restore,
    get rotation() {
      return state.rotation;
    },
    set rotation(rotation: RefreshTokenRotation) {
      state.rotation = rotation;
    },
  };
}

/** The client id and secret of a token request, from the form or from `Authorization: Basic`. */
function clientOf(request: Received, get: (name: string) => string | null, where: 'body' | 'basic'): [string, string | null] {
  if (where === 'body') return [get('client_id') ?? '', get('client_secret')];
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return ['', null];
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // RFC 6749 2.3.1: each form-encoded before Basic.
  const unform = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
  return colon < 0 ? [unform(decoded), null] : [unform(decoded.slice(0, colon)), unform(decoded.slice(colon + 1))];
}
