import type { SecurityRequirementObject, SecuritySchemeObject } from 'openapi3-ts/oas31';
import type { Authenticate } from '../core/auth.js';
import { authSchemesOf, type AuthScheme } from '../core/auth-schemes.js';

/**
 * The `security` option of `createOpenApiDocument`: the connector's `authenticate` as made by
 * `queryTokenAuth`, `apiKeyAuth`, `basicAuth`, `bearerAuth` or `anyAuth` of them, or what it
 * checks as {@link AuthScheme}s. Several entries are alternatives: any one lets a request in.
 *
 * @example
 * ```ts
 * import { bearerAuth, createConnector } from 'priority-routing-crm';
 * import { createOpenApiDocument, type OpenApiSecurity } from 'priority-routing-crm/openapi';
 * const authenticate = bearerAuth({ token: process.env.CONNECTOR_TOKEN! });
 * const connector = createConnector({ repository, authenticate });
 * const security: OpenApiSecurity = authenticate;
 * createOpenApiDocument({ serverUrl: 'https://crm.example/cim', security }).security; // [{ bearerAuth: [] }]
 * ```
 */
export type OpenApiSecurity = Authenticate | AuthScheme | readonly (Authenticate | AuthScheme)[];

const OPTION = 'createOpenApiDocument: security';

const NAMES: Readonly<Record<AuthScheme['type'], string>> = {
  query_token: 'queryToken',
  api_key: 'apiKey',
  basic: 'basicAuth',
  bearer: 'bearerAuth',
};

function schemeObject(scheme: AuthScheme): SecuritySchemeObject {
  switch (scheme.type) {
    case 'query_token':
      return {
        type: 'apiKey',
        in: 'query',
        name: scheme.param,
        description: `A shared secret in the query parameter ${scheme.param}, on both URLs Hybrid Chat is configured with.`,
      };
    case 'api_key':
      return { type: 'apiKey', in: 'header', name: scheme.header, description: `An API key in the ${scheme.header} header.` };
    case 'basic':
      return { type: 'http', scheme: 'basic', description: 'HTTP Basic (RFC 7617), such as from user info in the URLs Hybrid Chat calls.' };
    case 'bearer':
      return { type: 'http', scheme: 'bearer', description: 'A bearer token in Authorization (RFC 6750).' };
  }
}

/** Checks one scheme given by hand, so that a mistake fails when the document is built. */
function checkedScheme(value: unknown): AuthScheme {
  const scheme = value as Partial<Record<string, unknown>> | null;
  const type = typeof scheme === 'object' && scheme !== null ? scheme['type'] : undefined;
  if (type === 'basic' || type === 'bearer') return { type };
  if (type === 'query_token' || type === 'api_key') {
    const key = type === 'query_token' ? 'param' : 'header';
    const name = scheme?.[key];
    if (typeof name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new TypeError(`${OPTION}: a ${type} scheme needs ${key}, a non-empty name without spaces or separators`);
    }
    return type === 'query_token' ? { type, param: name } : { type, header: name };
  }
  throw new TypeError(`${OPTION}: expected { type: 'query_token' | 'api_key' | 'basic' | 'bearer' } or an auth helper's result, got ${JSON.stringify(type ?? value)}`);
}

function schemesOf(entry: Authenticate | AuthScheme): readonly AuthScheme[] {
  if (typeof entry !== 'function') return [checkedScheme(entry)];
  const described = authSchemesOf(entry);
  if (described === undefined) {
    throw new TypeError(
      `${OPTION}: this authenticate function was not made by queryTokenAuth, apiKeyAuth, basicAuth, bearerAuth or anyAuth of them, so what it checks is unknown; pass that instead, such as { type: 'bearer' }`,
    );
  }
  return described;
}

/**
 * The `components.securitySchemes` and root `security` for a connector's auth: one requirement
 * per scheme, any of which is enough, as the connector accepts any of them.
 */
export function securityOf(option: OpenApiSecurity): {
  schemes: Record<string, SecuritySchemeObject>;
  requirements: SecurityRequirementObject[];
} {
  const entries = Array.isArray(option) ? (option as readonly (Authenticate | AuthScheme)[]) : [option as Authenticate | AuthScheme];
  if (entries.length === 0) throw new TypeError(`${OPTION}: give at least one scheme, or leave the option out when the connector takes no credentials`);
  const schemes: Record<string, SecuritySchemeObject> = {};
  const seen = new Map<string, string>();
  for (const scheme of entries.flatMap(schemesOf)) {
    const object = schemeObject(scheme);
    const key = JSON.stringify(object);
    if (seen.has(key)) continue;
    let name = NAMES[scheme.type];
    for (let n = 2; name in schemes; n++) name = `${NAMES[scheme.type]}${n}`;
    schemes[name] = object;
    seen.set(key, name);
  }
  return { schemes, requirements: Object.keys(schemes).map((name) => ({ [name]: [] })) };
}
