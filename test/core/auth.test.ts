import { afterEach, describe, expect, it } from 'vitest';
import {
  anyAuth,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  createMemoryRepository,
  queryTokenAuth,
  sampleDataSet,
  type Authenticate,
  type ConnectorErrorEvent,
} from '../../src/index.js';
import { timingSafeEqualString } from '../../src/core/timing-safe.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';
import { expectProblem } from '../support/problems.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const repository = createMemoryRepository(sampleDataSet);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function withAuth(authenticate: Authenticate) {
  const errors: ConnectorErrorEvent[] = [];
  server = await serveConnector({ repository, authenticate, onError: (event) => void errors.push(event) });
  return { server, errors };
}

async function expect401(response: Response, challenge: RegExp | null) {
  const text = await expectProblem(response, 'unauthorized');
  if (challenge === null) expect(response.headers.get('www-authenticate')).toBeNull();
  else expect(response.headers.get('www-authenticate')).toMatch(challenge);
  return text;
}

describe('queryTokenAuth', () => {
  it('lets through either of two rotated tokens on both routes, in any position', async () => {
    const { server } = await withAuth(queryTokenAuth({ token: ['new-secret', 'old-secret'] }));
    expect((await server.get('/customer?token=new-secret&query=phone:1111')).status).toBe(200);
    expect((await server.get('/customer?query=phone:1111&token=old-secret')).status).toBe(200);
    expect((await server.get('/label?token=new-secret')).status).toBe(200);
  });

  it.each([
    ['no token', '/label'],
    ['a wrong token', '/label?token=guess'],
    ['a prefix of the token', '/label?token=new-secre'],
    ['the token twice', '/label?token=new-secret&token=new-secret'],
  ])('refuses %s with 401 and never echoes it', async (_case, path) => {
    const { server } = await withAuth(queryTokenAuth({ token: 'new-secret' }));
    const text = await expect401(await server.get(path), null);
    expect(text).not.toContain('secre');
  });

  it('reads another parameter name', async () => {
    const { server } = await withAuth(queryTokenAuth({ param: 'key', token: 's3cret' }));
    expect((await server.get('/label?key=s3cret')).status).toBe(200);
    expect((await server.get('/label?token=s3cret')).status).toBe(401);
  });
});

describe('basicAuth', () => {
  it('accepts the configured pair and answers a Basic challenge otherwise', async () => {
    const { server } = await withAuth(basicAuth({ username: 'hybrid-chat', password: 'pässword:1' }));
    expect((await server.get('/label', { headers: { authorization: basic('hybrid-chat', 'pässword:1') } })).status).toBe(200);
    await expect401(await server.get('/label'), /^Basic realm="priority-routing-crm", charset="UTF-8"$/);
    await expect401(await server.get('/label', { headers: { authorization: basic('hybrid-chat', 'wrong') } }), /^Basic /);
    await expect401(await server.get('/label', { headers: { authorization: basic('other', 'pässword:1') } }), /^Basic /);
    await expect401(await server.get('/label', { headers: { authorization: 'Basic !!!not-base64' } }), /^Basic /);
    await expect401(await server.get('/label', { headers: { authorization: 'Bearer pässword' } }), /^Basic /);
  });

  it('accepts any of several pairs', async () => {
    const { server } = await withAuth(basicAuth({ credentials: [{ username: 'a', password: '1' }, { username: 'b', password: '2' }] }));
    expect((await server.get('/label', { headers: { authorization: basic('b', '2') } })).status).toBe(200);
    expect((await server.get('/label', { headers: { authorization: basic('a', '2') } })).status).toBe(401);
  });
});

describe('bearerAuth and apiKeyAuth', () => {
  it('bearerAuth asks for a token, then says it is invalid', async () => {
    const { server } = await withAuth(bearerAuth({ token: 'tok', realm: 'crm' }));
    expect((await server.get('/label', { headers: { authorization: 'bearer tok' } })).status).toBe(200);
    await expect401(await server.get('/label'), /^Bearer realm="crm"$/);
    await expect401(await server.get('/label', { headers: { authorization: 'Bearer nope' } }), /^Bearer realm="crm", error="invalid_token"$/);
  });

  it('apiKeyAuth reads the configured header', async () => {
    const { server } = await withAuth(apiKeyAuth({ header: 'X-CRM-Key', key: ['k1', 'k2'] }));
    expect((await server.get('/label', { headers: { 'x-crm-key': 'k2' } })).status).toBe(200);
    await expect401(await server.get('/label', { headers: { 'x-api-key': 'k2' } }), null);
  });

  it('anyAuth accepts what any method accepts and sends the first challenge', async () => {
    const { server } = await withAuth(anyAuth(queryTokenAuth({ token: 'q' }), bearerAuth({ token: 'b' })));
    expect((await server.get('/label?token=q')).status).toBe(200);
    expect((await server.get('/label', { headers: { authorization: 'Bearer b' } })).status).toBe(200);
    await expect401(await server.get('/label'), /^Bearer /);
  });
});

describe('authentication and routing', () => {
  it('checks the credentials first: without them, another path or method is 401, not 404 or 405', async () => {
    const { server } = await withAuth(bearerAuth({ token: 'tok' }));
    expect((await server.get('/elsewhere')).status).toBe(401);
    expect((await server.get('/label', { method: 'POST' })).status).toBe(401);
    expect((await server.get('/elsewhere', { headers: { authorization: 'Bearer tok' } })).status).toBe(404);
    expect((await server.get('/label', { method: 'POST', headers: { authorization: 'Bearer tok' } })).status).toBe(405);
  });

  it('answers 500 without details when authenticate throws, then serves the next request', async () => {
    let calls = 0;
    const { server, errors } = await withAuth(() => {
      calls += 1;
      if (calls === 1) throw new Error('ldap down: secret-host');
      return true;
    });
    const response = await server.get('/label');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret-host');
    expect(errors[0]).toMatchObject({ kind: 'exception', route: 'label', status: 500 });
    expect((await server.get('/label')).status).toBe(200);
  });

  it('refuses empty secrets when the helper is built', () => {
    expect(() => queryTokenAuth({ token: '' })).toThrow(TypeError);
    expect(() => bearerAuth({ token: [] })).toThrow(TypeError);
    expect(() => basicAuth({ credentials: [] })).toThrow(TypeError);
  });
});

describe('timingSafeEqualString', () => {
  it.each([
    ['secret', 'secret', true],
    ['secreT', 'secret', false],
    ['secre', 'secret', false],
    ['secretsecret', 'secret', false],
    ['', 'secret', false],
    ['', '', false],
    ['ünïcode', 'ünïcode', true],
  ])('%j against %j is %s', (received, expected, result) => {
    expect(timingSafeEqualString(received, expected)).toBe(result);
  });
});

describe('a connector behind an unguessable base path (issue 20.13)', () => {
  it('answers an unauthenticated request 401 before any 404 or 405 that would confirm a route', async () => {
    server = await serveConnector({ repository, basePath: '/cim-7f3a9c', authenticate: bearerAuth({ token: 'right' }) });
    for (const path of ['/cim-7f3a9c/label', '/cim-7f3a9c/customer?query=phone:1111', '/guess/label', '/', '/cim-7f3a9c/other']) {
      await expectProblem(await server.get(path), 'unauthorized');
      await expectProblem(await server.get(path, { method: 'DELETE' }), 'unauthorized');
    }
    const ok = { headers: { authorization: 'Bearer right' } };
    expect((await server.get('/cim-7f3a9c/label', ok)).status).toBe(200);
    await expectProblem(await server.get('/guess/label', ok), 'notFound');
    await expectProblem(await server.get('/cim-7f3a9c/label', { ...ok, method: 'DELETE' }), 'methodNotAllowed');
  });

  it('never names the base path in a 404', async () => {
    server = await serveConnector({ repository, basePath: '/cim-7f3a9c' });
    const text = await expectProblem(await server.get('/label'), 'notFound');
    expect(text).not.toContain('cim-7f3a9c');
    expect(JSON.parse(text).detail).toBe('This connector answers GET {base path}/customer?query=phone:{number} and GET {base path}/label.');
  });
});
