import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmRepository } from '../../src/crm/index.js';
import { type FakeCrm, startFakeCrm } from '../support/fake-crm.js';
import { fakeOAuth } from '../support/fake-oauth.js';

/** A CRM that answers every search with one customer holding the asked number, and records what it got. */
const oauth = fakeOAuth({
  grants: ['client_credentials'],
  clients: { 'cc-id': 'cc-secret' },
  refused: { grant: () => ({ status: 400, body: { error: 'unsupported_grant_type' } }), client: () => ({ status: 401, body: { error: 'invalid_client' } }) },
  accessToken: () => 'cc-token',
  answer: () => ({ expires_in: 3600, token_type: 'Bearer' }),
});
let crm: FakeCrm;
beforeAll(async () => {
  crm = await startFakeCrm([
    { name: 'token', method: 'POST', path: /^\/token$/, handle: oauth.handle },
    { name: 'search', method: 'GET', path: /^\/api\/search$/, handle: ({ query }) => ({ status: 200, body: { hits: [{ id: 'x1', tel: query.get('q')?.match(/\d{6,}/)?.[0] ?? '' }] } }) },
    { name: 'labels', method: 'GET', path: /^\/api\/labels$/, handle: () => ({ status: 200, body: { items: [] } }) },
  ]);
});
afterAll(() => crm.close());

const profileWith = (auth: unknown, lookup: Record<string, unknown> = {}) => ({
  baseUrl: `${crm.origin}/api`,
  auth,
  lookup: { path: '/search', query: { q: '{phone}' }, phoneForms: ['international'], results: 'hits', fields: { _id: 'id', phone1: 'tel' }, ...lookup },
  labels: { path: '/labels', results: 'items', fields: { _id: 'id', name: 'name' } },
});
const lookup = (profile: unknown) =>
  createCrmRepository({ profile: profile as Record<string, unknown>, defaultCountry: 'PK', env: {} }).findCustomerByPhone({ phone: '03001234567', normalizedPhone: '03001234567' }, { signal: new AbortController().signal });
const last = () => crm.received.at(-1)!;

describe('the profile engine', () => {
  it.each([
    ['bearer', { type: 'bearer', token: 'tok-123456' }, (r: ReturnType<typeof last>) => r.headers.authorization === 'Bearer tok-123456'],
    ['header', { type: 'header', name: 'X-Api-Key', value: 'key-123456' }, (r: ReturnType<typeof last>) => r.headers['x-api-key'] === 'key-123456'],
    ['query', { type: 'query', name: 'api_token', value: 'qt-123456' }, (r: ReturnType<typeof last>) => r.query.get('api_token') === 'qt-123456'],
    ['basic', { type: 'basic', username: 'crm', password: 'pw-123456' }, (r: ReturnType<typeof last>) => r.headers.authorization === `Basic ${btoa('crm:pw-123456')}`],
    [
      'oauth2 client_credentials with a scheme',
      { type: 'oauth2', grant: 'client_credentials', tokenUrl: 'TOKEN_URL', clientId: 'cc-id', clientSecret: 'cc-secret', scope: 'crm.read', scheme: 'Token' },
      (r: ReturnType<typeof last>) => r.headers.authorization === 'Token cc-token',
    ],
  ])('auth %s puts the credential where the CRM reads it', async (_type, auth, sent) => {
    const resolved = 'tokenUrl' in auth ? { ...auth, tokenUrl: `${crm.origin}/token` } : auth;
    expect((await lookup(profileWith(resolved)))?._id).toBe('x1');
    expect(sent(last())).toBe(true);
  });

  it('client_credentials sends grant_type, client id and secret and the scope to the token URL', async () => {
    await lookup(profileWith({ type: 'oauth2', grant: 'client_credentials', tokenUrl: `${crm.origin}/token`, clientId: 'cc-id', clientSecret: 'cc-secret', scope: 'crm.read' }));
    const form = new URLSearchParams(crm.received.find((request) => request.path === '/token')!.body);
    expect(Object.fromEntries(form)).toStrictEqual({ grant_type: 'client_credentials', client_id: 'cc-id', client_secret: 'cc-secret', scope: 'crm.read' });
  });

  it("escapes placeholder values as the profile's escape table says (OData doubles ')", async () => {
    await lookup(profileWith({ type: 'none' }, { query: { q: "name eq '{asked}' or tel eq '{phone}'" }, phoneForms: ['international'], escape: { "'": "''" } }));
    // The asked text is what Hybrid Chat sent; a quote in it cannot end the literal.
    const profile = profileWith({ type: 'none' }, { query: { q: "tel eq '{asked}'" }, escape: { "'": "''" } });
    await createCrmRepository({ profile, env: {} }).findCustomerByPhone({ phone: "0300'1234567", normalizedPhone: '03001234567' }, { signal: new AbortController().signal });
    expect(last().query.get('q')).toBe("tel eq '0300''1234567'");
  });

  it('joins every phone form into one parameter with $eachPhone and $join', async () => {
    const searches = () => crm.received.filter((request) => request.path === '/api/search').length;
    const before = searches();
    await lookup(profileWith({ type: 'none' }, { query: { q: { $eachPhone: '(Phone:equals:{phone})', $join: 'or' } }, phoneForms: ['e164', 'national'] }));
    expect(last().query.get('q')).toBe('(Phone:equals:+923001234567)or(Phone:equals:03001234567)');
    // This lookup sent exactly one search (counted from before it, not from what earlier tests left).
    expect(searches() - before).toBe(1);
  });

  it('{lastDigits} is the last lookup.lastDigits digits of the number, for an "ends with" search of formatted stored numbers', async () => {
    await lookup(profileWith({ type: 'none' }, { query: { q: "endswith(tel,'{lastDigits}')" }, lastDigits: 7 }));
    expect(last().query.get('q')).toBe("endswith(tel,'1234567')");
    expect(() => createCrmRepository({ profile: profileWith({ type: 'none' }, { lastDigits: 2 }), env: {} })).toThrow(/lookup\.lastDigits: expected at least 4 digits/);
  });

  it('{ "$join", "$items" } joins templates into one parameter, an $eachPhone item once per phone form', async () => {
    const q = { $join: ' or ', $items: [{ $eachPhone: ["tel eq '{phone}'", "mobile eq '{phone}'"] }, "endswith(tel,'{lastDigits}')"] };
    await lookup(profileWith({ type: 'none' }, { query: { q }, phoneForms: ['e164', 'national'], lastDigits: 7 }));
    expect(last().query.get('q')).toBe("tel eq '+923001234567' or mobile eq '+923001234567' or tel eq '03001234567' or mobile eq '03001234567' or endswith(tel,'1234567')");
    // Written as RFC 3986 has it: a space is %20, never a + (which OData reads as a plus).
    expect(last().search).toContain('q=tel%20eq%20');
    expect(last().search).not.toContain('+');
  });

  it('a default may name another variable (${A:-…${B}…}), needed only when the outer one is not set', async () => {
    const nested = { ...profileWith({ type: 'none' }), baseUrl: '${CRM_API_URL:-http://127.0.0.1:${CRM_PORT}/api}' };
    const port = new URL(crm.origin).port;
    const found = await createCrmRepository({ profile: nested, defaultCountry: 'PK', env: { CRM_PORT: port } }).findCustomerByPhone({ phone: '03001234567', normalizedPhone: '03001234567' }, { signal: new AbortController().signal });
    expect(found?._id).toBe('x1');
    expect(createCrmRepository({ profile: nested, env: { CRM_API_URL: `${crm.origin}/api` } }).profile.baseUrl).toBe(`${crm.origin}/api`);
    expect(() => createCrmRepository({ profile: nested, env: {} })).toThrow(/baseUrl: the environment variable CRM_PORT is not set \(needed unless CRM_API_URL is set\)/);
    // Set but empty (PRC_CRM_BASE_URL= in a .env file) is said as such, and still fails.
    expect(() => createCrmRepository({ profile: nested, env: { CRM_API_URL: '', CRM_PORT: '' } })).toThrow(
      /baseUrl: the environment variable CRM_PORT is set but empty \(an empty value counts as not set\): give it a value \(needed unless CRM_API_URL is set\)/,
    );
  });

  it('a placeholder cannot leave the base URL (path values are percent-encoded, and checked)', async () => {
    const profile = profileWith({ type: 'none' }, { path: '/search/{phone}', phoneForms: ['asked'], notFoundStatus: [404] });
    await expect(
      createCrmRepository({ profile, env: {} }).findCustomerByPhone({ phone: '../../../token', normalizedPhone: '' }, { signal: new AbortController().signal }),
    ).resolves.toBeNull();
    expect(crm.received.every((request) => request.path !== '/token' || request.method === 'POST')).toBe(true);
    expect(last().path).toBe('/api/search/..%2F..%2F..%2Ftoken');
  });
});
