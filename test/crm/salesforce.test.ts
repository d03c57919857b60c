import { describe, expect, it, vi } from 'vitest';
import { withCircuitBreaker } from '../../src/index.js';
import { createCrmRepository, CrmProfileError, paletteColor } from '../../src/crm/index.js';
import { crmSuite, customer, signal } from '../support/crm-suite.js';
import { customerFound, expectOneRenewalForTheBurst, expectOneRenewalThen502, expectRedirectNotFollowed, expectRefusedCredential } from '../support/crm-checks.js';
import { startFakeCrm } from '../support/fake-crm.js';
import { LABEL_FIELD, salesforceCredentials, salesforceEnv, startFakeSalesforce } from '../support/fake-salesforce.js';

const { fake: salesforce, repositoryOf, connectorOf } = crmSuite({ start: startFakeSalesforce, profile: 'salesforce', env: salesforceEnv });
const find = (repository: ReturnType<typeof repositoryOf>, phone: string) => repository.findCustomerByPhone({ phone, normalizedPhone: phone.replace(/\D/g, '') }, { signal: signal() });
const searchesSent = () => salesforce.received.filter((request) => request.path.endsWith('/search'));

describe('Salesforce profile against a fake Salesforce (real HTTP on loopback)', () => {
  it.each(['+923001234567', '923001234567', '03001234567', '0300-1234567'])('finds the contact whose MobilePhone is 0300 1234567 when asked %s', async (asked) => {
    expect(await customerFound(repositoryOf(), asked)).toStrictEqual({
      _id: '003Qy00000AmnaAAA',
      first_name: 'Amna',
      last_name: 'Raza',
      email: 'amna@example.com',
      phone1: '',
      phone2: '0300 1234567',
      phone3: '',
      phone4: '',
      phone5: '',
      // The multi-select picklist's API values, split on ';'.
      labels: ['Gold', 'VIP_Plus'],
      // Salesforce's +0000 offsets, in the contract's UTC.
      createdAt: '2024-03-01T09:00:00.000Z',
      updatedAt: '2026-01-10T06:30:00.000Z',
      created_by: 'Integration User',
      updated_by: 'Sana Malik',
      __v: 0,
    });
  });

  it('sends one SOSL search: the phone forms ORed inside FIND {…} (the + escaped), IN PHONE FIELDS, RETURNING the mapped Contact fields, with the bearer token', async () => {
    await find(repositoryOf(), '03001234567');
    const sent = searchesSent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/services/data/v62.0/search');
    expect(sent[0]!.query.get('q')).toBe(
      `FIND {\\+923001234567 OR 03001234567 OR 923001234567} IN PHONE FIELDS RETURNING Contact(Id, FirstName, LastName, Email, Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, CreatedDate, LastModifiedDate, CreatedBy.Name, LastModifiedBy.Name, ${LABEL_FIELD}) LIMIT 20`,
    );
    expect(salesforce.searches()[0]).toMatchObject({ terms: ['+923001234567', '03001234567', '923001234567'], limit: 20 });
    expect(sent[0]!.headers.authorization).toMatch(/^Bearer 00DQy00000FakeOrg!AQ\d+\./);
  });

  it('escapes every SOSL reserved character of an asked value with a backslash: the value is one search term, it cannot end FIND {…}', async () => {
    const asked = `0300-1234567 } IN ALL FIELDS RETURNING User(Id) ?&|!{[]^~*:\\"'+`;
    const repository = repositoryOf({ profile: { extends: 'salesforce', lookup: { phoneForms: ['asked'] } } });
    // Its digits are Amna's number: found, through a search the fake could parse.
    expect((await find(repository, asked))?._id).toBe('003Qy00000AmnaAAA');
    expect(searchesSent()).toHaveLength(1);
    // The fake parsed it as Salesforce does (escapes undone, OR splits terms) and found one term: the asked text.
    expect(salesforce.searches()).toStrictEqual([{ terms: [asked], fields: expect.any(Array), limit: 20 }]);
    expect(searchesSent()[0]!.query.get('q')).toContain(String.raw`0300\-1234567 \} IN ALL FIELDS RETURNING User\(Id\) \?\&\|\!\{\[\]\^\~\*\:\\\"\'\+}`);
  });

  it('never answers a loose SOSL hit that is not the asked number: 404 (the search returned 0300 1234567 and 0333-1234567 for 0345-1234567)', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle(customer('+923451234567'))).status).toBe(404);
    expect(searchesSent()).toHaveLength(1);
    expect(salesforce.count('search')).toBeGreaterThan(0);
  });

  it('an empty search (searchRecords []) is a 404', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle(customer('+923009999990'))).status).toBe(404);
  });

  it.each([
    ['newest', 'Bilal', ['VIP_Plus']],
    ['oldest', 'Bilal-old', []],
    ['first', 'Bilal', ['VIP_Plus']],
  ] as const)('of several contacts with the number (OtherPhone, Phone), match "%s" answers %s', async (match, name, labels) => {
    const found = await find(repositoryOf({ profile: { extends: 'salesforce', match } }), '923217654321');
    expect(found).toMatchObject({ first_name: name, labels });
  });

  it("labels are the active values of PRC_CRM_LABEL_PROPERTY's picklist (describe): ids the API values, names the labels, colours from colors or the palette", async () => {
    const labels = await repositoryOf({ profile: { extends: 'salesforce', colors: { Gold: '#3cb44b' } } }).listLabels({ signal: signal() });
    expect(labels.map(({ _id, name, color_code }) => ({ _id, name, color_code }))).toStrictEqual([
      { _id: 'Gold', name: 'Gold', color_code: '#3cb44b' },
      { _id: 'VIP_Plus', name: 'VIP+', color_code: paletteColor('VIP+') },
    ]);
    expect(salesforce.received.map((request) => request.path)).toStrictEqual(['/services/oauth2/token', '/services/data/v62.0/sobjects/Contact/describe']);
  });

  describe('the token (client credentials, no expires_in)', () => {
    it('a burst of 100 concurrent lookups on a cold start makes one token request', async () => {
      const before = salesforce.count('token');
      // The count is the point, not the time: a machine under load gets the time it needs.
      const repository = repositoryOf({ timeoutMs: 20_000 });
      const found = await Promise.all(Array.from({ length: 100 }, () => find(repository, '+923001234567')));
      expect(found.every((record) => record?._id === '003Qy00000AmnaAAA')).toBe(true);
      expect(salesforce.count('token') - before).toBe(1);
      expect(repository.stats().tokenRequests).toBe(1);
      const form = new URLSearchParams(salesforce.received.find((request) => request.path === '/services/oauth2/token')!.body);
      expect(Object.fromEntries(form)).toStrictEqual({ grant_type: 'client_credentials', client_id: salesforceCredentials.clientId, client_secret: salesforceCredentials.clientSecret });
    });

    it('is kept however long it lives (the answer names no expiry): a day later, still one token request', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const repository = repositoryOf();
        const before = salesforce.count('token');
        const info = await repository.authenticate({ signal: signal() });
        expect(info).toStrictEqual({ tokenUrl: `${salesforce.myDomain}/services/oauth2/token`, token: 'Bearer 00DQy0***' });
        vi.setSystemTime(Date.now() + 24 * 3600_000);
        await repository.listLabels({ signal: signal() });
        expect(salesforce.count('token') - before).toBe(1);
      } finally {
        vi.useRealTimers();
      }
    });

    it('a 401 INVALID_SESSION_ID renews the token once and retries once, for all the lookups that met it', async () => {
      const repository = repositoryOf({ timeoutMs: 20_000 });
      await expectOneRenewalForTheBurst(salesforce, repository, () => find(repository, '+923001234567'), (record) => record?._id === '003Qy00000AmnaAAA');
    });

    it('a session that keeps being refused is a 502 after one renewal naming INVALID_SESSION_ID, not a loop', async () => {
      const refusal = { kind: 'status', status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] } as const;
      await expectOneRenewalThen502(salesforce, repositoryOf(), 'describe', refusal, { url: '/label' }, 'HTTP 401 INVALID_SESSION_ID: Session expired or invalid');
    });

    it('a wrong consumer secret is a 502 whose log names invalid_client, never the secret', async () => {
      await expectRefusedCredential(repositoryOf({ env: { PRC_CRM_CLIENT_SECRET: 'wrong-consumer-secret-9' } }), { url: '/label' }, 'HTTP 400 invalid_client', 'wrong-consumer-secret-9');
    });

    it('an error answer that quotes the access token it was sent: the log and crm check show it masked', async () => {
      const repository = repositoryOf();
      await repository.listLabels({ signal: signal() });
      const token = String(salesforce.received.at(-1)!.headers.authorization).slice('Bearer '.length);
      expect(token).toMatch(/^00DQy00000FakeOrg!AQ\d+\./);
      salesforce.fault('search', { kind: 'status', status: 400, body: [{ message: `MALFORMED_QUERY: header was Authorization: Bearer ${token}`, errorCode: 'MALFORMED_QUERY' }] });
      const { connector, lines } = connectorOf(repository);
      expect((await connector.handle(customer('+923001234567'))).status).toBe(502);
      expect(lines()).toContain('header was Authorization: Bearer ***');
      expect(lines()).not.toContain(token);
      expect(repository.mask(`Bearer ${token}`)).toBe('Bearer ***');
    });

    it("calls the API at the token answer's instance_url (the My Domain URL only gets the token request)", async () => {
      const instance = await startFakeCrm([{ name: 'describe', method: 'GET', path: /^\/services\/data\/v62\.0\/sobjects\/Contact\/describe$/, handle: () => ({ status: 200, body: { fields: [] } }) }]);
      try {
        salesforce.instanceUrl = instance.origin;
        expect(await repositoryOf().listLabels({ signal: signal() })).toStrictEqual([]);
        expect(instance.count('describe')).toBe(1);
        expect(instance.received[0]!.headers.authorization).toMatch(/^Bearer 00DQy/);
        expect(salesforce.received.map((request) => request.path)).toStrictEqual(['/services/oauth2/token']);
      } finally {
        salesforce.instanceUrl = '';
        await instance.close();
      }
    });

    it('a My Domain URL (PRC_CRM_BASE_URL) and an instance_url ending in /: the token and API requests still go to /services/…, never //', async () => {
      const instance = await startFakeCrm([{ name: 'describe', method: 'GET', path: /^\/services\/data\/v62\.0\/sobjects\/Contact\/describe$/, handle: () => ({ status: 200, body: { fields: [] } }) }]);
      try {
        salesforce.instanceUrl = `${instance.origin}/`;
        expect(await repositoryOf({ env: { PRC_CRM_BASE_URL: `${salesforce.origin}/` } }).listLabels({ signal: signal() })).toStrictEqual([]);
        // Both fakes answer a // path 404, as Salesforce does.
        expect(salesforce.received.map((request) => request.path)).toStrictEqual(['/services/oauth2/token']);
        expect(instance.received.map((request) => request.path)).toStrictEqual(['/services/data/v62.0/sobjects/Contact/describe']);
      } finally {
        salesforce.instanceUrl = '';
        await instance.close();
      }
    });

    it('a connected app with refresh token rotation (the refresh token flow): refresh after refresh keeps working, each sending the refresh token the answer before carried (the one sent is revoked); said once, no token in it', async () => {
      salesforce.oauth.rotation = 'new-revokes-old';
      const warnings: string[] = [];
      const profile = { extends: 'salesforce', auth: { grant: 'refresh_token', refreshToken: '${PRC_CRM_REFRESH_TOKEN}' } };
      const repository = repositoryOf({ profile, env: { PRC_CRM_REFRESH_TOKEN: salesforceCredentials.refreshToken }, onWarning: (message) => warnings.push(message) });
      for (let round = 0; round < 6; round++) {
        salesforce.expireTokens();
        expect(await repository.listLabels({ signal: signal() })).toHaveLength(2);
      }
      const { refreshTokensSent: sent, refreshTokensIssued: issued } = salesforce.oauth;
      expect(sent).toStrictEqual([salesforceCredentials.refreshToken, ...issued.slice(0, 5)]);
      expect(new Set(sent).size).toBe(6);
      // The configured one is revoked: after a restart it is refused, which is what the warning says may happen.
      expect(salesforce.oauth.refreshTokenWorks(salesforceCredentials.refreshToken)).toBe(false);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('The refresh token configured in PRC_CRM_REFRESH_TOKEN (auth.refreshToken) may stop working');
      for (const token of [salesforceCredentials.refreshToken, ...issued]) expect(warnings[0]).not.toContain(token);
      // An error answer quoting the refresh token in use shows it masked.
      expect(repository.mask(`refresh_token=${issued.at(-1)!}`)).toBe('refresh_token=***');
    });

    it('PRC_CRM_BASE_URL missing is an error at creation naming it and auth.tokenUrl', () => {
      const env = salesforceEnv(salesforce, { PRC_CRM_BASE_URL: undefined });
      expect(() => createCrmRepository({ profile: 'salesforce', env })).toThrow(CrmProfileError);
      expect(() => createCrmRepository({ profile: 'salesforce', env })).toThrow(/auth\.tokenUrl: the environment variable PRC_CRM_BASE_URL is not set/);
    });
  });

  describe('limits and untrusted answers', () => {
    const limitExceeded = { kind: 'status', status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] } as const;

    it('403 REQUEST_LIMIT_EXCEEDED is a rate limit: at once 503 with Retry-After, not an authorization failure', async () => {
      const repository = repositoryOf();
      await repository.authenticate({ signal: signal() });
      salesforce.fault('search', limitExceeded);
      const started = Date.now();
      const response = await connectorOf(repository).connector.handle(customer('+923001234567'));
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(3000);
      salesforce.fault('search', limitExceeded);
      await expect(find(repository, '+923001234567')).rejects.toThrow('The CRM answered 403 REQUEST_LIMIT_EXCEEDED (rate limit): retry in 1 s');
    });

    it('403 REQUEST_LIMIT_EXCEEDED counts toward the circuit breaker', async () => {
      const repository = repositoryOf();
      await repository.authenticate({ signal: signal() });
      const states: string[] = [];
      const guarded = withCircuitBreaker(repository, { failureThreshold: 2, onStateChange: (state) => states.push(state) });
      salesforce.fault('search', limitExceeded, 2);
      for (let i = 0; i < 2; i++) await expect(guarded.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() })).rejects.toThrow(/rate limit/);
      expect(states).toContain('open');
    });

    it('another 403 (the REST API not enabled) stays what it is: 502 naming its code', async () => {
      salesforce.fault('describe', { kind: 'status', status: 403, body: [{ message: 'The REST API is not enabled for this Organization.', errorCode: 'API_DISABLED_FOR_ORG' }] });
      const { connector, lines } = connectorOf(repositoryOf());
      expect((await connector.handle({ url: '/label' })).status).toBe(502);
      expect(lines()).toContain('HTTP 403 API_DISABLED_FOR_ORG: The REST API is not enabled for this Organization. (check the credentials and their scopes)');
    });

    it('a 429 with Retry-After beyond the timeout is a fast 503 with that Retry-After', async () => {
      const repository = repositoryOf();
      await repository.authenticate({ signal: signal() });
      salesforce.fault('search', { kind: 'status', status: 429, headers: { 'retry-after': '60' }, body: [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
      const response = await connectorOf(repository).connector.handle(customer('+923001234567'));
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('60');
    });

    it('a redirect is not followed (the other server is never called): 502', async () => {
      await expectRedirectNotFollowed(salesforce, 'search', { path: '/steal', body: { searchRecords: [] } }, repositoryOf(), customer('+923001234567'));
    });
  });
});
