import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createCrmRepository, CrmResponseError, crmProfiles, paletteColor } from '../../src/crm/index.js';
import { crmSuite, customer, signal } from '../support/crm-suite.js';
import { takeStderr } from '../support/quiet-stderr.js';
import { customerFound, expectRedirectNotFollowed, expectRefusedCredential } from '../support/crm-checks.js';
import { customPersonFields, pipedriveEnv, pipedriveOAuth, pipedrivePersons, pipedriveToken, startFakePipedrive } from '../support/fake-pipedrive.js';

const { fake: pipedrive, repositoryOf, connectorOf } = crmSuite({
  start: startFakePipedrive,
  profile: 'pipedrive',
  env: pipedriveEnv,
  afterEach: (fake) => {
    fake.persons = [...pipedrivePersons];
  },
});
/** The OAuth2 profile docs/crm.md gives, as written there, and its environment pointed at the fake. */
const oauthProfile = () => JSON.parse(/```json\n(\{\n {2}"extends": "pipedrive",[^`]*)```/.exec(readFileSync(new URL('../../docs/crm.md', import.meta.url), 'utf8'))![1]!) as Record<string, unknown>;
const oauthEnv = () => ({ PRC_CRM_TOKEN_URL: pipedrive.tokenUrl, PRC_CRM_CLIENT_ID: pipedriveOAuth.clientId, PRC_CRM_CLIENT_SECRET: pipedriveOAuth.clientSecret, PRC_CRM_REFRESH_TOKEN: pipedriveOAuth.refreshToken });
const details = () => pipedrive.received.filter((request) => /^\/api\/v2\/persons\/\d+$/.test(request.path));

describe('Pipedrive profile against a fake Pipedrive (real HTTP on loopback)', () => {
  it('finds the person by an exact phone search with api_token in the query, then reads the person (labels, phones, emails, times) by a second request', async () => {
    expect(await customerFound(repositoryOf(), '03001234567')).toStrictEqual({
      _id: '101',
      first_name: 'Ayesha',
      last_name: 'Khan',
      email: 'ayesha@example.com',
      phone1: '+923001234567',
      phone2: '021 34567890',
      phone3: '',
      phone4: '',
      phone5: '',
      labels: ['1', '2'],
      createdAt: '2024-03-01T09:00:00.000Z',
      updatedAt: '2026-01-10T06:30:00.000Z',
      created_by: '',
      updated_by: '',
      __v: 0,
    });
    expect(pipedrive.searches()).toStrictEqual([{ term: '+923001234567', fields: 'phone', exact_match: 'true', limit: '10', api_token: pipedriveToken }]);
    expect(details().map((request) => request.path)).toStrictEqual(['/api/v2/persons/101']);
    expect(details()[0]!.query.get('api_token')).toBe(pipedriveToken);
  });

  it('sends one search per phone form, in order, until one finds the person (term takes one value)', async () => {
    const found = await repositoryOf().findCustomerByPhone({ phone: '+923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found?._id).toBe('102');
    expect(pipedrive.searches().map((search) => search.term)).toStrictEqual(['+923217654321', '03217654321']);
  });

  it('of several persons with the number, the newest (update_time) is answered', async () => {
    const found = await repositoryOf().findCustomerByPhone({ phone: '923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found).toMatchObject({ _id: '102', last_name: 'Ahmed', labels: ['2'] });
    expect(details()).toHaveLength(2);
  });

  it('an empty search for every form is a 404, and no person is read', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle(customer('+923009999990'))).status).toBe(404);
    expect(pipedrive.searches().map((search) => search.term)).toStrictEqual(['+923009999990', '03009999990', '923009999990']);
    expect(details()).toHaveLength(0);
  });

  it('loose hits (a search without exact_match, matching the last digits) are never answered, nor read: 404', async () => {
    const { connector } = connectorOf(repositoryOf({ profile: { extends: 'pipedrive', lookup: { query: { exact_match: 'false' } } } }));
    expect((await connector.handle(customer('+923451234567'))).status).toBe(404);
    // Each form's search did return Ayesha and Zain (same last seven digits); neither shows the number.
    expect(pipedrive.searches()).toHaveLength(3);
    expect(details()).toHaveLength(0);
    // Asked Zain's number, the same search returns both again: only Zain is read, and answered.
    pipedrive.reset();
    const response = await connector.handle(customer('+923331234567'));
    expect(JSON.parse(response.body!)).toMatchObject({ _id: '104' });
    expect(details().map((request) => request.path)).toStrictEqual(['/api/v2/persons/104']);
  });

  it('reads at most 5 persons per search (the chained requests are bounded): the 6th hit is never read', async () => {
    pipedrive.persons = Array.from({ length: 7 }, (_, index) => ({ ...pipedrivePersons[0]!, id: 201 + index, update_time: `2026-01-0${index + 1}T00:00:00Z` }));
    const found = await repositoryOf().findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });
    expect(details().map((request) => request.path).sort()).toStrictEqual(['/api/v2/persons/201', '/api/v2/persons/202', '/api/v2/persons/203', '/api/v2/persons/204', '/api/v2/persons/205']);
    expect(found?._id).toBe('205');
  });

  it('a person deleted between the search and the read (404 Person not found) is skipped', async () => {
    pipedrive.fault('person', { kind: 'status', status: 404, body: { success: false, error: 'Person not found', data: null } });
    const found = await repositoryOf().findCustomerByPhone({ phone: '923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found?._id).toMatch(/^10[23]$/);
  });

  it('labels are the options of the person field label_ids; colour names become #RRGGBB by the profile map, others the palette', async () => {
    const labels = await repositoryOf().listLabels({ signal: signal() });
    expect(labels.map(({ _id, name, color_code }) => ({ _id, name, color_code }))).toStrictEqual([
      { _id: '1', name: 'Gold', color_code: '#ffcc00' },
      { _id: '2', name: 'Vip', color_code: '#721ea9' },
      { _id: '3', name: 'Churn risk', color_code: '#4d4d4d' },
      { _id: '4', name: 'Custom', color_code: paletteColor('Custom') },
    ]);
    expect(pipedrive.received[0]!.path).toBe('/api/v1/personFields');
    expect(crmProfiles.pipedrive.colorNames).toMatchObject({ green: '#08a742', blue: '#317ae2', red: '#f94839', yellow: '#ffcc00', purple: '#721ea9', gray: '#a6a6a6' });
  });

  it('labels of a company with more person fields than a page holds: personFields read page by page (start, next_start) until more_items_in_collection is false', async () => {
    // 1,100 custom fields before label_ids: its options are on the third page of 500.
    pipedrive.customFields = customPersonFields(1100);
    try {
      const labels = await repositoryOf().listLabels({ signal: signal() });
      expect(labels.map(({ _id, name }) => `${_id}:${name}`)).toStrictEqual(['1:Gold', '2:Vip', '3:Churn risk', '4:Custom']);
      const pages = pipedrive.received.filter((request) => request.path === '/api/v1/personFields').map((request) => Object.fromEntries(request.query));
      expect(pages).toStrictEqual([
        { limit: '500', api_token: pipedriveToken },
        { limit: '500', start: '500', api_token: pipedriveToken },
        { limit: '500', start: '1000', api_token: pipedriveToken },
      ]);
    } finally {
      pipedrive.customFields = [];
    }
  });

  it('a field list longer than labels.pages.max pages is a 502 naming the key, never a list cut short', async () => {
    pipedrive.customFields = customPersonFields(1100);
    try {
      const repository = repositoryOf({ profile: { extends: 'pipedrive', labels: { pages: { max: 2 } } } });
      await expect(repository.listLabels({ signal: signal() })).rejects.toThrow(/the label list goes on past 2 pages \(labels\.pages\.max\)/);
      await expect(repository.listLabels({ signal: signal() })).rejects.toBeInstanceOf(CrmResponseError);
    } finally {
      pipedrive.customFields = [];
    }
  });

  describe('the api_token is never printed', () => {

    it("a wrong api token is a 502 quoting Pipedrive's HTTP 401 unauthorized access, never the token", async () => {
      const wrong = 'wrongtoken0123456789abcdef0123456789abcd';
      await expectRefusedCredential(repositoryOf({ env: { PRC_CRM_TOKEN: wrong } }), { url: '/label' }, 'HTTP 401: unauthorized access (check the credentials and their scopes)', wrong);
    });

    it.each([
      // The CRM's own error text is quoted, masked.
      ['a 5xx whose error echoes the URL', { kind: 'status', status: 500, body: { success: false, error: `internal error for /api/v2/persons/search?api_token=${pipedriveToken}`, errorCode: 500 } }, 500, 'api_token=***'],
      ['a redirect to a URL that carries it', { kind: 'redirect', location: `/api/v2/persons/search?term=x&api_token=${pipedriveToken}` }, 502, 'redirect to http'],
      ['an answer that is not JSON', { kind: 'not-json' }, 502, 'not JSON'],
    ] as const)('%s: the log line and the answer hold no api_token', async (_case, fault, status, said) => {
      pipedrive.fault('search', fault);
      const { connector, lines } = connectorOf(repositoryOf());
      const response = await connector.handle(customer('+923001234567'));
      expect(response.status).toBe(status);
      expect(lines()).toContain(said);
      expect(lines() + response.body!).not.toContain(pipedriveToken);
    });

    it('mask() hides the token and its URL-encoded form in any text', () => {
      const repository = repositoryOf();
      expect(repository.mask(`GET ${pipedrive.origin}/api/v2/persons/search?term=1&api_token=${pipedriveToken}`)).toBe(`GET ${pipedrive.origin}/api/v2/persons/search?term=1&api_token=***`);
    });
  });

  describe('rate limits (429 with Retry-After and x-ratelimit-*)', () => {
    it("a 429 whose Retry-After is beyond the lookup's timeout is a fast 503 with Retry-After", async () => {
      pipedrive.limitRate(1, 60_000);
      const { connector } = connectorOf(repositoryOf());
      expect((await connector.handle({ url: '/label' })).status).toBe(200);
      const response = await connector.handle(customer('+923001234567'));
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(pipedrive.searches()).toHaveLength(1);
    });

    it('a 429 that says its wait only in x-ratelimit-reset (no Retry-After, as the rate-limiting page documents the headers) is read by it: beyond the timeout a fast 503 with that Retry-After, within it waited out', async () => {
      const overLimit = (reset: string) => ({ kind: 'status' as const, status: 429, headers: { 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { success: false, error: 'Request over limit', errorCode: 429 } });
      pipedrive.fault('search', overLimit('30'));
      const { connector } = connectorOf(repositoryOf());
      const started = Date.now();
      const response = await connector.handle(customer('+923001234567'));
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(Date.now() - started).toBeLessThan(2000);
      pipedrive.fault('search', overLimit('1'));
      const found = await repositoryOf({ timeoutMs: 5000 }).findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });
      expect(found?._id).toBe('101');
      expect(pipedrive.searches().map((search) => search.term)).toStrictEqual(['+923001234567', '+923001234567', '+923001234567']);
    });

    it('a 429 whose wait fits in the timeout is waited out, search and person reads alike', async () => {
      pipedrive.limitRate(1, 1000);
      const found = await repositoryOf({ timeoutMs: 5000 }).findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });
      expect(found?._id).toBe('101');
      expect(pipedrive.received.length).toBeGreaterThan(2);
    });
  });

  it('a redirect is not followed (the other server is never called): 502', async () => {
    await expectRedirectNotFollowed(pipedrive, 'personFields', { path: '/api/v1/personFields', body: { success: true, data: [] } }, repositoryOf(), { url: '/label' });
  });

  it('PRC_CRM_TOKEN or PRC_CRM_BASE_URL missing is an error at creation naming it', () => {
    expect(() => createCrmRepository({ profile: 'pipedrive', env: { PRC_CRM_BASE_URL: pipedrive.origin } })).toThrow(/auth\.value: the environment variable PRC_CRM_TOKEN is not set/);
    expect(() => createCrmRepository({ profile: 'pipedrive', env: { PRC_CRM_TOKEN: pipedriveToken } })).toThrow(/baseUrl: the environment variable PRC_CRM_BASE_URL is not set/);
    expect(() => createCrmRepository({ profile: 'pipedrive', env: { PRC_CRM_TOKEN: pipedriveToken, PRC_CRM_BASE_URL: '' } })).toThrow(/baseUrl: the environment variable PRC_CRM_BASE_URL is set but empty/);
  });

  it('with OAuth2 instead of an API token (extends "pipedrive"): client id and secret in Basic, api_domain from the token answer, one token for a burst, renewed once on 401', async () => {
    const repository = createCrmRepository({ profile: oauthProfile(), defaultCountry: 'PK', env: oauthEnv(), onWarning: () => undefined });
    const found = await Promise.all(Array.from({ length: 20 }, () => repository.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() })));
    expect(found.every((record) => record?._id === '101')).toBe(true);
    expect(pipedrive.count('token')).toBe(1);
    const tokenRequest = pipedrive.received.find((request) => request.path === '/oauth/token')!;
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toStrictEqual({ grant_type: 'refresh_token', refresh_token: pipedriveOAuth.refreshToken });
    expect(details()[0]!.headers.authorization).toMatch(/^Bearer v1u:pd-access-/);
    expect(details()[0]!.query.has('api_token')).toBe(false);
    pipedrive.expireTokens();
    expect(await repository.listLabels({ signal: signal() })).toHaveLength(4);
    expect(pipedrive.count('token')).toBe(2);
  });

  it("with OAuth2, each token request sends the refresh token of the answer before (Pipedrive's answers carry one); the configured one, unused since the first, stops working 60 days on, as the one warning (no token in it) says it may", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const warnings: string[] = [];
      const repository = createCrmRepository({ profile: oauthProfile(), defaultCountry: 'PK', env: oauthEnv(), onWarning: (message) => warnings.push(message) });
      const start = Date.now();
      // An access token lives an hour: each month the kept one has expired, and a token request renews it.
      for (let day = 0; day <= 90; day += 30) {
        vi.setSystemTime(start + day * 24 * 3600_000);
        expect(await repository.listLabels({ signal: signal() })).toHaveLength(4);
      }
      const { refreshTokensSent: sent, refreshTokensIssued: issued } = pipedrive.oauth;
      expect(sent).toHaveLength(4);
      expect(sent).toStrictEqual([pipedriveOAuth.refreshToken, ...issued.slice(0, 3)]);
      // A restart 90 days on, with the configured refresh token: Pipedrive refuses it (unused for more than 60 days).
      const restarted = createCrmRepository({ profile: oauthProfile(), defaultCountry: 'PK', env: oauthEnv(), onWarning: () => undefined });
      await expect(restarted.listLabels({ signal: signal() })).rejects.toThrow(/HTTP 400 invalid_grant/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/carried a new refresh token: the connector uses it from now on, kept in memory only .*configured in PRC_CRM_REFRESH_TOKEN \(auth\.refreshToken\) may stop working.* set PRC_CRM_REFRESH_TOKEN to the new refresh token/);
      for (const token of [pipedriveOAuth.refreshToken, ...issued]) expect(warnings[0]).not.toContain(token);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without onWarning, the rotation is said once on stderr as a process warning (code PRC_CRM_REFRESH_TOKEN_ROTATED), as serve prints it; no token in it', async () => {
    const repository = createCrmRepository({ profile: oauthProfile(), defaultCountry: 'PK', env: oauthEnv() });
    for (let round = 0; round < 3; round++) {
      pipedrive.expireTokens();
      expect(await repository.listLabels({ signal: signal() })).toHaveLength(4);
    }
    await new Promise((resolve) => setImmediate(resolve));
    const lines = takeStderr();
    expect(lines.filter((line) => line.includes('[PRC_CRM_REFRESH_TOKEN_ROTATED] Warning: the CRM\'s token answer'))).toHaveLength(1);
    for (const token of [pipedriveOAuth.refreshToken, ...pipedrive.oauth.refreshTokensIssued]) expect(lines.join('\n')).not.toContain(token);
  });
});
