import type { Authenticate } from './auth.js';

/**
 * How a connector takes credentials, as its OpenAPI document declares them: a token in a query
 * parameter, HTTP Basic, a bearer token, or an API key in a header.
 *
 * @example
 * ```ts
 * import { createOpenApiDocument, type AuthScheme } from 'priority-routing-crm/openapi';
 * const scheme: AuthScheme = { type: 'query_token', param: 'token' };
 * createOpenApiDocument({ security: scheme }).components?.securitySchemes;
 * // { queryToken: { type: 'apiKey', in: 'query', name: 'token', description: '…' } }
 * ```
 */
export type AuthScheme =
  | { readonly type: 'query_token'; readonly param: string }
  | { readonly type: 'api_key'; readonly header: string }
  | { readonly type: 'basic' }
  | { readonly type: 'bearer' };

// The auth helpers return plain functions; this marks what each one checks, so that the value
// given to createConnector can be given to createOpenApiDocument too. A registered symbol, not a
// module-level WeakMap: each entry point (and its ESM and CJS builds) bundles its own copy of
// this module, and they must all read the same mark.
const SCHEMES = Symbol.for('priority-routing-crm.authSchemes');

/** Marks the schemes `authenticate` accepts (any one of them) and returns it. */
export function describedAs(authenticate: Authenticate, accepted: readonly AuthScheme[]): Authenticate {
  Object.defineProperty(authenticate, SCHEMES, { value: Object.freeze(accepted.map((scheme) => Object.freeze({ ...scheme }))) });
  return authenticate;
}

/** The schemes an `authenticate` made by the auth helpers accepts; `undefined` for any other function. */
export function authSchemesOf(authenticate: Authenticate): readonly AuthScheme[] | undefined {
  return (authenticate as unknown as { [SCHEMES]?: readonly AuthScheme[] })[SCHEMES];
}
