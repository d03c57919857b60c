import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenApiDocument, openApiDocument, type OpenApiSecurity } from '../../src/openapi/index.js';
import {
  anyAuth,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  createMemoryRepository,
  queryTokenAuth,
  sampleDataSet,
  type Authenticate,
} from '../../src/index.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';

const SECRET = 's3cret';
const repository = createMemoryRepository(sampleDataSet);

let server: TestServer | undefined;
afterEach(() => server?.close());

/** Sends what a tool reading the document would send to satisfy one security scheme. */
function credentialsFor(scheme: any): { path: string; headers: Record<string, string> } {
  const path = '/customer?query=phone:1111';
  if (scheme.type === 'apiKey' && scheme.in === 'query') return { path: `${path}&${scheme.name}=${SECRET}`, headers: {} };
  if (scheme.type === 'apiKey' && scheme.in === 'header') return { path, headers: { [scheme.name]: SECRET } };
  if (scheme.scheme === 'basic') return { path, headers: { authorization: `Basic ${Buffer.from(`hybrid-chat:${SECRET}`).toString('base64')}` } };
  if (scheme.scheme === 'bearer') return { path, headers: { authorization: `Bearer ${SECRET}` } };
  throw new Error(`no credentials for ${JSON.stringify(scheme)}`);
}

describe('createOpenApiDocument({ security })', () => {
  it.each<[string, Authenticate, Record<string, unknown>]>([
    ['queryTokenAuth', queryTokenAuth({ token: SECRET, param: 'key' }), { queryToken: { type: 'apiKey', in: 'query', name: 'key' } }],
    ['queryTokenAuth (default param)', queryTokenAuth({ token: SECRET }), { queryToken: { type: 'apiKey', in: 'query', name: 'token' } }],
    ['apiKeyAuth', apiKeyAuth({ key: SECRET, header: 'x-crm-key' }), { apiKey: { type: 'apiKey', in: 'header', name: 'x-crm-key' } }],
    ['apiKeyAuth (default header)', apiKeyAuth({ key: SECRET }), { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } }],
    ['basicAuth', basicAuth({ username: 'hybrid-chat', password: SECRET }), { basicAuth: { type: 'http', scheme: 'basic' } }],
    ['bearerAuth', bearerAuth({ token: SECRET }), { bearerAuth: { type: 'http', scheme: 'bearer' } }],
  ])('declares what %s checks, and the connector enforces exactly that', async (_name, authenticate, expected) => {
    const document = createOpenApiDocument({ security: authenticate }) as any;
    const [name] = Object.keys(expected);
    expect(document.components.securitySchemes).toEqual({ [name!]: expect.objectContaining(expected[name!] as object) });
    expect(document.security).toEqual([{ [name!]: [] }]);
    expect((await new Validator().validate(JSON.parse(JSON.stringify(document)))).valid).toBe(true);

    server = await serveConnector({ repository, authenticate });
    const { path, headers } = credentialsFor(document.components.securitySchemes[name!]);
    expect((await server.get(path, { headers })).status).toBe(200);
    expect((await server.get('/customer?query=phone:1111')).status).toBe(401);
    expect(Object.keys(document.paths['/customer'].get.responses)).toContain('401');
  });

  it('declares each method of anyAuth as an alternative, and each one gets in', async () => {
    const authenticate = anyAuth(bearerAuth({ token: SECRET }), queryTokenAuth({ token: SECRET }));
    const document = createOpenApiDocument({ security: authenticate }) as any;
    expect(document.security).toEqual([{ bearerAuth: [] }, { queryToken: [] }]);
    server = await serveConnector({ repository, authenticate });
    for (const scheme of Object.values(document.components.securitySchemes)) {
      const { path, headers } = credentialsFor(scheme);
      expect((await server.get(path, { headers })).status).toBe(200);
    }
  });

  it('takes schemes described by hand, alone or in a list, without repeating one', () => {
    const security: OpenApiSecurity = [{ type: 'bearer' }, { type: 'api_key', header: 'x-key' }, { type: 'bearer' }, { type: 'query_token', param: 'a' }, { type: 'query_token', param: 'b' }];
    const document = createOpenApiDocument({ security }) as any;
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearerAuth', 'apiKey', 'queryToken', 'queryToken2']);
    expect(document.components.securitySchemes.queryToken2).toMatchObject({ in: 'query', name: 'b' });
    expect(createOpenApiDocument({ security: { type: 'basic' } }).security).toEqual([{ basicAuth: [] }]);
  });

  it('fails when the document is built for what it cannot describe, naming the option', () => {
    const custom: Authenticate = () => true;
    expect(() => createOpenApiDocument({ security: custom })).toThrow(/createOpenApiDocument: security: .*not made by queryTokenAuth/);
    expect(() => createOpenApiDocument({ security: anyAuth(bearerAuth({ token: SECRET }), custom) })).toThrow(TypeError);
    expect(() => createOpenApiDocument({ security: [] })).toThrow(/createOpenApiDocument: security: give at least one scheme/);
    expect(() => createOpenApiDocument({ security: { type: 'oauth' } as never })).toThrow(/createOpenApiDocument: security: expected/);
    expect(() => createOpenApiDocument({ security: { type: 'api_key', header: 'x key' } })).toThrow(/needs header/);
    expect(() => createOpenApiDocument({ security: { type: 'query_token' } as never })).toThrow(/needs param/);
  });

  it('leaves the default document, the reference connector, without security', () => {
    expect(openApiDocument).not.toHaveProperty('security');
    expect(openApiDocument.components).not.toHaveProperty('securitySchemes');
  });
});
