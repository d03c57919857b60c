import type { MaybePromise } from './repository.js';
import type { ConnectorRequest } from './http.js';
import { authSchemesOf, describedAs } from './auth-schemes.js';
import { readHeader } from './headers.js';
import { assertHeaderValue } from './header-value.js';
import { matchesAnySecret } from './timing-safe.js';
import { readQueryParam, splitUrl } from './url.js';

/**
 * What an {@link Authenticate} function decides: `true` lets the request through, `false`
 * answers 401, `{ challenge }` answers 401 with that `WWW-Authenticate` header.
 *
 * @example
 * ```ts
 * import { type AuthDecision } from 'priority-routing-crm';
 * const decision: AuthDecision = { challenge: 'Bearer realm="crm"' }; // 401 with that challenge
 * ```
 */
export type AuthDecision = boolean | { readonly challenge: string };

/**
 * Decides whether a request may be answered. Runs after the route and method are known and
 * before the repository is asked; a throw or rejection answers 500.
 *
 * @example
 * ```ts
 * import { type Authenticate } from 'priority-routing-crm';
 * // Headers arrive as node:http gives them (lower-case names) or as a Fetch `Headers`.
 * const authenticate: Authenticate = ({ headers }) =>
 *   (headers instanceof Headers ? headers.get('x-forwarded-for') : headers?.['x-forwarded-for']) === '10.0.0.5';
 * ```
 */
export type Authenticate = (request: ConnectorRequest) => MaybePromise<AuthDecision>;

/**
 * One secret, or several that are all accepted (to rotate without downtime).
 *
 * @example
 * ```ts
 * import { type Secrets } from 'priority-routing-crm';
 * const tokens: Secrets = [process.env.TOKEN!, process.env.PREVIOUS_TOKEN!];
 * ```
 */
export type Secrets = string | readonly string[];

function secretList(secrets: Secrets, what: string): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : [...secrets];
  if (list.length === 0 || list.some((secret) => typeof secret !== 'string' || secret.length === 0)) {
    throw new TypeError(`${what} must be a non-empty string or a non-empty array of them`);
  }
  return list;
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The `realm="…"` of a challenge, checked at creation: it becomes a `WWW-Authenticate` value. */
function realmOf(realm: string | undefined, what: string): string {
  const value = realm ?? 'priority-routing-crm';
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  assertHeaderValue(what, value);
  return `realm=${quoted(value)}`;
}

/**
 * A shared secret in the query string, such as `&token=…`: the one way that fits inside both
 * URLs Hybrid Chat is configured with (`CIM_CUSTOMER_QUERY_URL=…/customer?token=…&query=phone:{refId}`,
 * `CIM_LABELS_API_PATH=…/label?token=…`). The parameter must appear exactly once.
 *
 * Query strings end up in access logs and proxies: prefer a header where the caller can send one.
 *
 * @example
 * ```ts
 * import { createConnector, queryTokenAuth } from 'priority-routing-crm';
 * createConnector({ repository, authenticate: queryTokenAuth({ token: [process.env.TOKEN!, process.env.OLD_TOKEN!] }) });
 * ```
 */
export function queryTokenAuth(options: { token: Secrets; param?: string | undefined }): Authenticate {
  return describedAs(checkQueryToken(options), [{ type: 'query_token', param: options.param ?? 'token' }]);
}

function checkQueryToken(options: { token: Secrets; param?: string | undefined }): Authenticate {
  const tokens = secretList(options.token, 'queryTokenAuth: token');
  const param = options.param ?? 'token';
  return (request) => {
    const found = readQueryParam(splitUrl(request.url).search, param);
    return found.ok && matchesAnySecret(found.value, tokens);
  };
}

/**
 * An API key in a request header (default `x-api-key`).
 *
 * @example
 * ```ts
 * import { apiKeyAuth, createConnector } from 'priority-routing-crm';
 * createConnector({ repository, authenticate: apiKeyAuth({ header: 'x-api-key', key: process.env.API_KEY! }) });
 * ```
 */
export function apiKeyAuth(options: { key: Secrets; header?: string | undefined }): Authenticate {
  return describedAs(checkApiKey(options), [{ type: 'api_key', header: options.header ?? 'x-api-key' }]);
}

function checkApiKey(options: { key: Secrets; header?: string | undefined }): Authenticate {
  const keys = secretList(options.key, 'apiKeyAuth: key');
  const header = options.header ?? 'x-api-key';
  return (request) => {
    const received = readHeader(request, header);
    return received !== undefined && matchesAnySecret(received, keys);
  };
}

/** Splits `Authorization: <scheme> <credentials>`; the scheme compares case-insensitively. */
function credentialsFor(request: ConnectorRequest, scheme: string): string | undefined {
  const authorization = readHeader(request, 'authorization');
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(' ');
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== scheme) return undefined;
  return authorization.slice(space + 1).trim();
}

/**
 * A bearer token in `Authorization: Bearer …` (RFC 6750). A missing or wrong token answers 401
 * with a `WWW-Authenticate: Bearer` challenge.
 *
 * @example
 * ```ts
 * import { bearerAuth, createConnector } from 'priority-routing-crm';
 * createConnector({ repository, authenticate: bearerAuth({ token: process.env.CONNECTOR_TOKEN! }) });
 * ```
 */
export function bearerAuth(options: { token: Secrets; realm?: string | undefined }): Authenticate {
  return describedAs(checkBearer(options), [{ type: 'bearer' }]);
}

function checkBearer(options: { token: Secrets; realm?: string | undefined }): Authenticate {
  const tokens = secretList(options.token, 'bearerAuth: token');
  const challenge = `Bearer ${realmOf(options.realm, 'bearerAuth: realm')}`;
  const missing = { challenge };
  const invalid = { challenge: `${challenge}, error="invalid_token"` };
  return (request) => {
    const token = credentialsFor(request, 'bearer');
    if (token === undefined) return missing;
    return matchesAnySecret(token, tokens) || invalid;
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decodeBasic(credentials: string): { username: string; password: string } | undefined {
  try {
    const binary = atob(credentials);
    const text = decoder.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    const colon = text.indexOf(':');
    return colon === -1 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/**
 * A user name and password accepted by {@link basicAuth}.
 *
 * @example
 * ```ts
 * import { type BasicCredentials } from 'priority-routing-crm';
 * const pair: BasicCredentials = { username: 'hybrid-chat', password: process.env.CRM_PASSWORD! };
 * ```
 */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * HTTP Basic authentication (RFC 7617). Hybrid Chat sends it when its URLs carry user info
 * (`http://user:pass@crm.example/cim/label`). Several pairs may be accepted, for rotation.
 * A missing or wrong pair answers 401 with a `WWW-Authenticate: Basic` challenge.
 *
 * @example
 * ```ts
 * import { basicAuth, createConnector } from 'priority-routing-crm';
 * createConnector({ repository, authenticate: basicAuth({ username: 'hybrid-chat', password: process.env.CRM_PASSWORD! }) });
 * ```
 */
export function basicAuth(options: BasicAuthOptions): Authenticate {
  return describedAs(checkBasic(options), [{ type: 'basic' }]);
}

/** Options of {@link basicAuth}: one user (`username`, `password`) or several (`credentials`), and the `realm` of the challenge. */
export type BasicAuthOptions = (BasicCredentials | { credentials: readonly BasicCredentials[] }) & { realm?: string | undefined };

function checkBasic(options: BasicAuthOptions): Authenticate {
  const pairs = 'credentials' in options ? options.credentials : [options];
  if (pairs.length === 0) throw new TypeError('basicAuth: give at least one username and password');
  const usernames = pairs.map((pair) => secretList(pair.username, 'basicAuth: username')[0] as string);
  const passwords = pairs.map((pair) => secretList(pair.password, 'basicAuth: password')[0] as string);
  const unauthorized = { challenge: `Basic ${realmOf(options.realm, 'basicAuth: realm')}, charset="UTF-8"` };
  return (request) => {
    const credentials = credentialsFor(request, 'basic');
    const given = credentials === undefined ? undefined : decodeBasic(credentials);
    if (given === undefined) return unauthorized;
    let matched = false;
    for (let index = 0; index < usernames.length; index++) {
      const user = matchesAnySecret(given.username, [usernames[index] as string]);
      const password = matchesAnySecret(given.password, [passwords[index] as string]);
      matched = (user && password) || matched;
    }
    return matched || unauthorized;
  };
}

/**
 * Accepts a request that any of the given methods accepts (for example a bearer token or a
 * query token while callers migrate). When all refuse, the first challenge given is sent.
 *
 * @example
 * ```ts
 * import { anyAuth, bearerAuth, createConnector, queryTokenAuth } from 'priority-routing-crm';
 * const token = process.env.CRM_TOKEN ?? '';
 * const connector = createConnector({ repository, authenticate: anyAuth(bearerAuth({ token }), queryTokenAuth({ token })) });
 * ```
 */
export function anyAuth(...methods: readonly Authenticate[]): Authenticate {
  const schemes = methods.map(authSchemesOf);
  const authenticate = checkAny(methods);
  // Describable only when every method is: a document must not omit a way in.
  return schemes.every((accepted) => accepted !== undefined) ? describedAs(authenticate, schemes.flat()) : authenticate;
}

function checkAny(methods: readonly Authenticate[]): Authenticate {
  return async (request) => {
    let refusal: AuthDecision = false;
    for (const method of methods) {
      const decision = await method(request);
      if (decision === true) return true;
      if (refusal === false && decision !== false) refusal = decision;
    }
    return refusal;
  };
}
