import { describe, expect, it, vi } from 'vitest';
import { withCache, withCircuitBreaker } from '../../src/index.js';
import { createCrmRepository, CrmProfileError } from '../../src/crm/index.js';
import { crmSuite, customer, signal } from '../support/crm-suite.js';
import { customerFound, expectOneRenewalForTheBurst, expectOneRenewalThen502, expectRedirectNotFollowed } from '../support/crm-checks.js';
import { startFakeCrm } from '../support/fake-crm.js';
import { startFakeZoho, zohoContacts, zohoCredentials, zohoEnv, zohoTags } from '../support/fake-zoho.js';

const { fake: zoho, repositoryOf, connectorOf } = crmSuite({ start: startFakeZoho, profile: 'zoho', env: zohoEnv });
const lookupAyesha = (repository: ReturnType<typeof repositoryOf>) => () => repository.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });

describe('Zoho CRM profile against a fake Zoho (real HTTP on loopback)', () => {
  it.each(['+923001234567', '923001234567', '03001234567', '0300 1234567'])('finds the contact stored as 0300-1234567 when asked %s', async (asked) => {
    expect(await customerFound(repositoryOf(), asked)).toStrictEqual({
      labels: [zohoTags[0]!.id],
      _id: '4876876000000500001',
      phone2: '',
      updated_by: 'Patricia Boyle',
      last_name: 'Khan',
      phone3: '',
      phone4: '',
      phone5: '',
      first_name: 'Ayesha',
      created_by: 'Patricia Boyle',
      email: 'ayesha@example.com',
      phone1: '0300-1234567',
      // Zoho's +05:30 local time, sent in UTC as the contract wants.
      createdAt: '2024-03-01T03:30:00.000Z',
      updatedAt: '2026-01-10T06:30:00.000Z',
      __v: 0,
    });
  });

  it("sends Zoho's phone search with Authorization: Zoho-oauthtoken, the E.164 form first", async () => {
    await repositoryOf().findCustomerByPhone({ phone: '03001234567', normalizedPhone: '03001234567' }, { signal: signal() });
    const search = zoho.received.find((request) => request.path === '/crm/v8/Contacts/search')!;
    expect(search.query.get('phone')).toBe('+923001234567');
    expect(search.headers.authorization).toMatch(/^Zoho-oauthtoken 1000\.access\./);
  });

  it('never answers a fuzzy hit that is not the asked number: 404 (the search returned 0300-1234567 and 0333-1234567 for 0345-1234567)', async () => {
    const { connector } = connectorOf(repositoryOf());
    const response = await connector.handle(customer('+923451234567'));
    expect(response.status).toBe(404);
    // Every form was tried, and each search did return hits.
    expect(zoho.received.filter((request) => request.path.endsWith('/search'))).toHaveLength(3);
  });

  it('an empty search (HTTP 204) for every form is a 404', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle(customer('+923009999990'))).status).toBe(404);
  });

  it.each([
    ['newest', 'Bilal'],
    ['oldest', 'Bilal-old'],
    ['first', 'Bilal'],
  ] as const)('of several contacts with the number, match "%s" answers %s', async (match, name) => {
    const repository = repositoryOf({ profile: { extends: 'zoho', match } });
    const found = await repository.findCustomerByPhone({ phone: '923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found?.first_name).toBe(name);
  });

  it("reads the module's tags as labels with their colours", async () => {
    const labels = await repositoryOf().listLabels({ signal: signal() });
    expect(labels).toStrictEqual([
      { _id: zohoTags[0]!.id, name: 'Gold', color_code: '#3CB44B', created_by: 'Patricia Boyle', updated_by: 'Patricia Boyle', createdAt: new Date('2025-12-29T05:13:05.000Z'), updatedAt: new Date('2025-12-29T05:13:05.000Z'), __v: 0 },
      { _id: zohoTags[1]!.id, name: 'Vip', color_code: '#F032E6', created_by: 'Patricia Boyle', updated_by: 'Patricia Boyle', createdAt: new Date('2025-12-29T05:25:07.000Z'), updatedAt: new Date('2025-12-29T05:30:00.000Z'), __v: 0 },
    ]);
    expect(zoho.received.find((request) => request.path === '/crm/v8/settings/tags')?.query.get('module')).toBe('Contacts');
  });

  it('a burst of 100 concurrent lookups on a cold start makes one token request', async () => {
    const before = zoho.count('token');
    const repository = repositoryOf();
    const found = await Promise.all(Array.from({ length: 100 }, () => repository.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() })));
    expect(found.every((record) => record?.first_name === 'Ayesha')).toBe(true);
    expect(zoho.count('token') - before).toBe(1);
    expect(repository.stats().tokenRequests).toBe(1);
  });

  it('keeps a token until shortly before its expires_in (a minute early), then asks for a new one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const repository = repositoryOf();
      const before = zoho.count('token');
      const start = Date.now();
      await repository.listLabels({ signal: signal() });
      vi.setSystemTime(start + 3_530_000);
      await repository.listLabels({ signal: signal() });
      expect(zoho.count('token') - before).toBe(1);
      vi.setSystemTime(start + 3_545_000);
      await repository.listLabels({ signal: signal() });
      expect(zoho.count('token') - before).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a 401 (token expired) renews the token once and retries once, for all the lookups that met it', async () => {
    const repository = repositoryOf();
    await expectOneRenewalForTheBurst(zoho, repository, lookupAyesha(repository), (record) => record?._id === '4876876000000500001');
  });

  it('a token that keeps being refused is a 502 after one renewal, not a loop', async () => {
    const refusal = { kind: 'status', status: 401, body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' } } as const;
    await expectOneRenewalThen502(zoho, repositoryOf(), 'tags', refusal, { url: '/label' }, 'INVALID_TOKEN');
  });

  it.each([
    ['a wrong client secret', { PRC_CRM_CLIENT_SECRET: 'wrong-secret-value' }, 'invalid_client', 'wrong-secret-value'],
    ['a revoked refresh token', { PRC_CRM_REFRESH_TOKEN: '1000.revoked.refresh' }, 'invalid_code', '1000.revoked.refresh'],
  ])('a failed token request (%s) is a 502 whose log line names the CRM error, never the secret', async (_case, env, code, secret) => {
    const { connector, lines } = connectorOf(repositoryOf({ env }));
    const response = await connector.handle({ url: '/label' });
    expect(response.status).toBe(502);
    expect(response.body).not.toContain(secret);
    const log = lines();
    expect(log).toContain(code);
    expect(log).not.toContain(secret);
    expect(log).not.toContain(zohoCredentials.refreshToken);
  });

  describe('rate limits', () => {
    const lookup = (repository: ReturnType<typeof repositoryOf>) => repository.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });

    it.each([
      ['Retry-After', { headers: { 'retry-after': '1' } }],
      ['X-RateLimit-Reset', { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } }],
      ["Zoho's body retry_after", { body: { code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded.', status: 'error', details: { retry_after: 1, limit: 100, window: 60 } } }],
    ])('a 429 with %s that fits in the timeout is waited out and retried', async (_hint, fault) => {
      const repository = repositoryOf({ timeoutMs: 5000 });
      await repository.authenticate({ signal: signal() });
      zoho.fault('search', { kind: 'status', status: 429, ...fault });
      expect((await lookup(repository))?.first_name).toBe('Ayesha');
      expect(zoho.count('search')).toBeGreaterThan(0);
    });

    it.each([
      ['Retry-After', { headers: { 'retry-after': '60' } }],
      ['X-RateLimit-Reset (a Unix time)', { headers: { 'x-ratelimit-reset': 'in 60 s' } }],
      ["Zoho's body retry_after", { body: { code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded.', status: 'error', details: { retry_after: 60 } } }],
    ])('a 429 with %s longer than the timeout fails fast: 503 with Retry-After', async (_hint, given) => {
      const reset = 'headers' in given ? (given.headers as Record<string, string>)['x-ratelimit-reset'] : undefined;
      const fault = reset === 'in 60 s' ? { headers: { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 61) } } : given;
      const repository = repositoryOf();
      await repository.authenticate({ signal: signal() });
      zoho.fault('search', { kind: 'status', status: 429, ...fault });
      const { connector } = connectorOf(repository);
      const started = Date.now();
      const response = await connector.handle(customer('+923001234567'));
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(Date.now() - started).toBeLessThan(3000); // fast, not at the timeout
    });

    it('rate-limited lookups count toward the circuit breaker', async () => {
      const repository = repositoryOf();
      await repository.authenticate({ signal: signal() });
      const states: string[] = [];
      const guarded = withCircuitBreaker(repository, { failureThreshold: 2, onStateChange: (state) => states.push(state) });
      zoho.fault('search', { kind: 'status', status: 429, headers: { 'retry-after': '60' } }, 2);
      for (let i = 0; i < 2; i++) await expect(guarded.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() })).rejects.toThrow();
      expect(states).toContain('open');
    });

    it('labels are served stale through withCache while the CRM rate-limits', async () => {
      const repository = withCache(repositoryOf(), { labelsTtlMs: 1, staleIfErrorMs: 600_000 });
      const { connector } = connectorOf(repository);
      expect((await connector.handle({ url: '/label' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
      zoho.fault('tags', { kind: 'status', status: 429, headers: { 'retry-after': '60' } }, 5);
      const before = zoho.count('tags');
      const stale = await connector.handle({ url: '/label' });
      expect(stale.status).toBe(200);
      expect(JSON.parse(stale.body!)).toHaveLength(2);
      // The refresh behind it met the rate limit (and is over before the next test queues its faults).
      await vi.waitFor(() => expect(zoho.count('tags')).toBe(before + 1));
    });
  });

  describe('untrusted answers', () => {
    it('a CRM error (5xx) is a 500, counted as a failure', async () => {
      zoho.fault('tags', { kind: 'status', status: 500, body: { code: 'INTERNAL_ERROR', message: 'internal error', status: 'error' } });
      const { connector, lines } = connectorOf(repositoryOf());
      expect((await connector.handle({ url: '/label' })).status).toBe(500);
      expect(lines()).toContain('HTTP 500 INTERNAL_ERROR');
    });

    it('a token URL that cannot be reached is the CRM unreachable (500 naming the token URL), not invalid data (502)', async () => {
      const closed = await import('node:net').then(({ createServer }) => new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => resolve(port));
        });
      }));
      const { connector, lines } = connectorOf(repositoryOf({ env: { PRC_CRM_TOKEN_URL: `http://127.0.0.1:${closed}/oauth/v2/token` } }));
      const response = await connector.handle(customer('+923001234567'));
      expect(response.status).toBe(500);
      expect(lines()).toContain("cannot reach the CRM's token URL");
      expect(lines()).not.toMatch(/invalid.data|breaks the contract/i);
    });

    it('a slow answer is cut at the timeout: 504', async () => {
      const repository = repositoryOf({ timeoutMs: 300 });
      await repository.authenticate({ signal: signal() });
      zoho.fault('tags', { kind: 'slow', ms: 1500 });
      const { connector } = connectorOf(repository, 300);
      expect((await connector.handle({ url: '/label' })).status).toBe(504);
    });

    it('a huge answer is not read past the limit: 502 naming limits.maxBodyBytes', async () => {
      zoho.fault('search', { kind: 'huge', bytes: 3 * 1024 * 1024 });
      const { connector, lines } = connectorOf(repositoryOf());
      expect((await connector.handle(customer('+923001234567'))).status).toBe(502);
      expect(lines()).toContain('limits.maxBodyBytes');
    });

    it('a redirect is not followed (the other server is never called): 502', async () => {
      await expectRedirectNotFollowed(zoho, 'tags', { path: '/steal', body: { tags: [] } }, repositoryOf(), { url: '/label' });
    });

    it('an answer that is not JSON is a 502', async () => {
      zoho.fault('tags', { kind: 'not-json' });
      const { connector } = connectorOf(repositoryOf());
      expect((await connector.handle({ url: '/label' })).status).toBe(502);
    });

    it('a result that does not map onto the contract is a 502 whose log line names the field and the profile key', async () => {
      const saved = zoho.contacts;
      zoho.contacts = [{ ...zohoContacts[0]!, First_Name: { display: 'Ayesha' } as unknown as string }];
      try {
        const { connector, lines } = connectorOf(repositoryOf());
        expect((await connector.handle(customer('+923001234567'))).status).toBe(502);
        expect(lines()).toMatch(/\$\.first_name: lookup\.fields\.first_name \(First_Name\): expected a string/);
      } finally {
        zoho.contacts = saved;
      }
    });
  });

  describe('the profile', () => {
    it('a missing environment variable is an error at creation naming it and the key', () => {
      expect(() => createCrmRepository({ profile: 'zoho', env: { PRC_CRM_CLIENT_ID: 'x', PRC_CRM_REFRESH_TOKEN: 'y' } })).toThrow(CrmProfileError);
      expect(() => createCrmRepository({ profile: 'zoho', env: { PRC_CRM_CLIENT_ID: 'x', PRC_CRM_REFRESH_TOKEN: 'y' } })).toThrow(/auth\.clientSecret: the environment variable PRC_CRM_CLIENT_SECRET is not set/);
      // Said once: not again as "expected a client secret, got an empty string".
      expect(() => createCrmRepository({ profile: 'zoho', env: { PRC_CRM_CLIENT_ID: 'x', PRC_CRM_REFRESH_TOKEN: 'y' } })).toThrow(/^invalid CRM profile "zoho":\n  auth\.clientSecret: the environment variable PRC_CRM_CLIENT_SECRET is not set$/);
    });

    it('a wrong key is named (strict objects), and a bad expression too', () => {
      expect(() => repositoryOf({ profile: { extends: 'zoho', lookup: { feilds: {} } } })).toThrow(/lookup: Unrecognized key: "feilds"/);
      expect(() => repositoryOf({ profile: { extends: 'zoho', lookup: { fields: { email: 'Email[' } } } })).toThrow(/lookup\.fields\.email: not a JMESPath expression/);
      expect(() => repositoryOf({ profile: { extends: 'zoho', match: 'latest' } })).toThrow(/match: expected newest, oldest or first/);
      expect(() => repositoryOf({ profile: { extends: 'zoho', auth: { type: 'oauth2', grant: 'password' } } })).toThrow(/auth\.grant: expected refresh_token or client_credentials/);
      expect(() => repositoryOf({ profile: { extends: 'zoho', auth: { type: 'oauth3' } } })).toThrow(/auth: expected auth\.type to be one of none, bearer, header, query, basic, oauth2/);
    });

    it('extends a built-in and overrides any part: Leads after Contacts', async () => {
      const repository = repositoryOf({ profile: { extends: 'zoho', lookup: { each: { module: ['Leads', 'Contacts'] } } } });
      const found = await repository.findCustomerByPhone({ phone: '+923001234567', normalizedPhone: '923001234567' }, { signal: signal() });
      expect(found?._id).toBe('4876876000000500001');
      expect(zoho.received.map((request) => request.path).filter((path) => path.endsWith('/search'))[0]).toBe('/crm/v8/Leads/search');
    });

    it('calls only the base URL: PRC_CRM_BASE_URL overrides the api_domain of the token answer', async () => {
      const other = await startFakeCrm([{ name: 'tags', method: 'GET', path: /\/settings\/tags$/, handle: () => ({ status: 200, body: { tags: [] } }) }]);
      try {
        const labels = await repositoryOf({ env: { PRC_CRM_BASE_URL: `${other.origin}/crm/v8` } }).listLabels({ signal: signal() });
        expect(labels).toStrictEqual([]);
        expect(other.count('tags')).toBe(1);
        expect(zoho.received.filter((request) => request.path.startsWith('/crm/'))).toHaveLength(0);
      } finally {
        await other.close();
      }
    });
  });
});
