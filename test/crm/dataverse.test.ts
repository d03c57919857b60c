import { describe, expect, it } from 'vitest';
import { CrmProfileError, paletteColor } from '../../src/crm/index.js';
import { crmSuite, customer, signal } from '../support/crm-suite.js';
import { customerFound, expectOneRenewalForTheBurst, expectOneRenewalThen502, expectRedirectNotFollowed, expectRefusedCredential } from '../support/crm-checks.js';
import { dataverseCredentials, dataverseEnv, dataverseTenant, LABEL_COLUMN, SINGLE_CHOICE_COLUMN, startFakeDataverse } from '../support/fake-dataverse.js';

// A lookup's time is not what these tests measure: 10 s, so that a loaded machine does not cut the bursts short.
const { fake: dataverse, repositoryOf, connectorOf } = crmSuite({ start: startFakeDataverse, profile: 'dataverse', env: dataverseEnv, timeoutMs: 10_000 });
const lookup = (repository: ReturnType<typeof repositoryOf>, phone: string) => repository.findCustomerByPhone({ phone, normalizedPhone: phone.replace(/\D/g, '') }, { signal: signal() });
const contactRequests = () => dataverse.received.filter((request) => request.path === '/api/data/v9.2/contacts');

describe('Dynamics 365 / Dataverse profile against a fake Dataverse (real HTTP on loopback)', () => {
  it('one GET /contacts whose $filter ORs the phone forms over the phone columns and endswith on the last 7 digits: finds a number stored formatted (0300 2223344)', async () => {
    expect(await customerFound(repositoryOf(), '+923002223344')).toStrictEqual({
      _id: '5a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01',
      first_name: 'Ayesha',
      last_name: 'Khan',
      email: 'ayesha@example.com',
      phone1: '0300 2223344',
      phone2: '',
      phone3: '',
      phone4: '',
      phone5: '',
      labels: ['100000000', '100000001'],
      createdAt: '2024-03-01T04:00:00.000Z',
      updatedAt: '2026-01-10T07:00:00.000Z',
      created_by: 'Patricia Boyle',
      updated_by: 'Patricia Boyle',
      __v: 0,
    });
    expect(contactRequests()).toHaveLength(1);
    const eq = (phone: string) => ['telephone1', 'mobilephone', 'telephone2', 'telephone3'].map((column) => `${column} eq '${phone}'`);
    const ends = ['telephone1', 'mobilephone', 'telephone2', 'telephone3'].map((column) => `endswith(${column},'2223344')`);
    // Active contacts only (statecode 0): a deactivated duplicate, merged away later, is not Ayesha's answer.
    expect(dataverse.filters()).toStrictEqual([`statecode eq 0 and (${[...eq('+923002223344'), ...eq('03002223344'), ...eq('923002223344'), ...ends].join(' or ')})`]);
    const [request] = contactRequests();
    expect(request!.query.get('$select')).toBe(`contactid,firstname,lastname,emailaddress1,telephone1,mobilephone,telephone2,telephone3,createdon,modifiedon,_createdby_value,_modifiedby_value,${LABEL_COLUMN}`);
    expect(request!.query.get('$top')).toBe('50');
    // RFC 3986 encoding: spaces as %20 (OData does not read a + as a space), $ as written.
    expect(request!.search).toMatch(/^\?\$select=.*&\$filter=statecode%20eq%200%20and%20\(telephone1%20eq%20%27%2B923002223344%27%20or%20/);
    expect(request!.headers).toMatchObject({ 'odata-maxversion': '4.0', 'odata-version': '4.0', accept: 'application/json', prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' });
    expect(request!.headers.authorization).toMatch(/^Bearer eyJ0eXAi/);
  });

  it('a near miss that endswith also returns (0333 2223344, newer) is never answered: Ayesha for her number, 404 for a third number with the same ending', async () => {
    const repository = repositoryOf();
    expect((await lookup(repository, '03002223344'))?.first_name).toBe('Ayesha');
    const { connector } = connectorOf(repository);
    expect((await connector.handle(customer('+923452223344'))).status).toBe(404);
    expect(dataverse.filters().at(-1)).toContain("endswith(telephone1,'2223344')");
  });

  it('digits not written together at the end (0300-222-3344) need a shorter lookup.lastDigits, as docs/crm.md says', async () => {
    const saved = dataverse.contacts;
    dataverse.contacts = [{ ...saved[0]!, telephone1: '0300-222-3344' }];
    try {
      expect(await lookup(repositoryOf(), '+923002223344')).toBeNull();
      expect((await lookup(repositoryOf({ profile: { extends: 'dataverse', lookup: { lastDigits: 4 } } }), '+923002223344'))?.phone1).toBe('0300-222-3344');
      expect(dataverse.filters().at(-1)).toContain("endswith(telephone1,'3344')");
    } finally {
      dataverse.contacts = saved;
    }
  });

  it('of several contacts with the number, the newest (or, with match "oldest", the oldest) is answered', async () => {
    expect(await lookup(repositoryOf(), '923217654321')).toMatchObject({ first_name: 'Bilal', phone2: '+923217654321', labels: ['100000001'] });
    expect(await lookup(repositoryOf({ profile: { extends: 'dataverse', match: 'oldest' } }), '923217654321')).toMatchObject({ first_name: 'Bilal-old', phone3: '03217654321', labels: [] });
  });

  it('no contact (an empty value list) is a 404', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle(customer('+923009999990'))).status).toBe(404);
    expect(contactRequests()).toHaveLength(1);
  });

  it("escapes OData string literals: a ' in the asked number is doubled, and the filter stays well-formed", async () => {
    const found = await lookup(repositoryOf(), "0300'2223344");
    expect(found?.first_name).toBe('Ayesha');
    expect(dataverse.filters()[0]).toContain("telephone1 eq '0300''2223344'");
  });

  it('labels are the options of the multi-select choice column PRC_CRM_LABEL_PROPERTY, read from its attribute metadata: ids the values, names the labels, colours from Color (or the palette)', async () => {
    const labels = await repositoryOf().listLabels({ signal: signal() });
    expect(labels.map(({ _id, name, color_code }) => ({ _id, name, color_code }))).toStrictEqual([
      { _id: '100000000', name: 'Gold', color_code: '#FFD700' },
      { _id: '100000001', name: 'Vip', color_code: '#800080' },
      { _id: '100000002', name: 'Silver', color_code: paletteColor('Silver') },
    ]);
    const [request] = dataverse.received.filter((received) => received.path.includes('EntityDefinitions'));
    expect(decodeURIComponent(request!.path)).toBe(`/api/data/v9.2/EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='${LABEL_COLUMN}')/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata`);
    expect(request!.query.get('$expand')).toBe('OptionSet($select=Options)');
  });

  it('a single choice column: extends dataverse with attributeType PicklistAttributeMetadata; a contact\'s label is its one value', async () => {
    const profile = { extends: 'dataverse', labels: { each: { attributeType: ['PicklistAttributeMetadata'] } } };
    const repository = repositoryOf({ profile, env: { PRC_CRM_LABEL_PROPERTY: SINGLE_CHOICE_COLUMN } });
    expect((await repository.listLabels({ signal: signal() })).map((label) => label.name)).toStrictEqual(['Gold', 'Vip']);
    expect((await lookup(repository, '+923002223344'))?.labels).toStrictEqual(['100000000']);
    // The built-in profile on a single choice column: the CRM's 404 is quoted.
    const { connector, lines } = connectorOf(repositoryOf({ env: { PRC_CRM_LABEL_PROPERTY: SINGLE_CHOICE_COLUMN } }));
    expect((await connector.handle({ url: '/label' })).status).toBe(502);
    expect(lines()).toContain(`HTTP 404 0x80060888: The attribute '${SINGLE_CHOICE_COLUMN}' is a PicklistAttributeMetadata`);
  });

  it("a label column that does not exist is a 502 quoting Dataverse's OData error code and message", async () => {
    const { connector, lines } = connectorOf(repositoryOf({ env: { PRC_CRM_LABEL_PROPERTY: 'new_prioritytie' } }));
    expect((await connector.handle({ url: '/label' })).status).toBe(502);
    expect(lines()).toContain("HTTP 404 0x80040217: Could not find attribute with name 'new_prioritytie' for entity 'contact'.");
  });

  it('a burst of 100 cold lookups makes one client-credentials token request, scoped to the environment', async () => {
    const before = dataverse.count('token');
    const repository = repositoryOf();
    const found = await Promise.all(Array.from({ length: 100 }, () => lookup(repository, '+923002223344')));
    expect(found.every((record) => record?.first_name === 'Ayesha')).toBe(true);
    expect(dataverse.count('token') - before).toBe(1);
    expect(repository.stats().tokenRequests).toBe(1);
    const form = new URLSearchParams(dataverse.received.find((request) => request.path.endsWith('/token'))!.body);
    expect(Object.fromEntries(form)).toStrictEqual({ grant_type: 'client_credentials', client_id: dataverseCredentials.clientId, client_secret: dataverseCredentials.clientSecret, scope: `${dataverse.origin}/.default` });
  });

  it('a 401 (token expired) renews the token once and retries once, for all the lookups that met it', async () => {
    const repository = repositoryOf();
    await expectOneRenewalForTheBurst(dataverse, repository, () => lookup(repository, '+923002223344'), (record) => record?.first_name === 'Ayesha');
  });

  it('a token that keeps being refused is a 502 after one renewal, not a loop', async () => {
    const refusal = { kind: 'status', status: 401, headers: { 'www-authenticate': 'Bearer error=invalid_token' } } as const;
    await expectOneRenewalThen502(dataverse, repositoryOf(), 'contacts', refusal, customer('+923002223344'), 'HTTP 401');
  });

  it('a 429 of the service protection limits with Retry-After beyond the timeout is a fast 503 with Retry-After; one that fits is waited out', async () => {
    const repository = repositoryOf();
    await repository.authenticate({ signal: signal() });
    const limited = { kind: 'status' as const, status: 429, body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } };
    // 20 s does not fit in the lookup's 10 s.
    dataverse.fault('contacts', { ...limited, headers: { 'retry-after': '20' } });
    const { connector } = connectorOf(repository);
    const started = Date.now();
    const response = await connector.handle(customer('+923002223344'));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('20');
    expect(Date.now() - started).toBeLessThan(2000);
    dataverse.fault('contacts', { ...limited, headers: { 'retry-after': '1' } });
    expect((await lookup(repository, '+923002223344'))?.first_name).toBe('Ayesha');
  });

  it('a redirect is not followed (the other server is never called): 502', async () => {
    await expectRedirectNotFollowed(dataverse, 'contacts', { path: '/api/data/v9.2/contacts', body: { value: [] } }, repositoryOf(), customer('+923002223344'));
  });

  it("a wrong client secret is a 502 whose log quotes Entra ID's invalid_client and AADSTS7000215, never the secret", async () => {
    const secret = 'Wr0ng~secret.value_zyxwvutsrqponm';
    const { log, body } = await expectRefusedCredential(repositoryOf({ env: { PRC_CRM_CLIENT_SECRET: secret } }), customer('+923002223344'), 'HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided.', secret);
    // Entra's trace lines are not quoted, and nothing shows the secret.
    expect(log).not.toContain('Trace ID');
    expect(log + body).not.toContain(dataverseCredentials.clientSecret);
  });

  describe('the token URL', () => {
    it('is https://login.microsoftonline.com/${PRC_CRM_TENANT_ID}/oauth2/v2.0/token unless PRC_CRM_TOKEN_URL is set', async () => {
      const requested: string[] = [];
      // The one outside address, sent to the fake (still real HTTP): the URL the profile built is what is asserted.
      const routed: typeof fetch = (input, init) => {
        const url = String(input);
        requested.push(url);
        return fetch(url.replace('https://login.microsoftonline.com', dataverse.origin), init);
      };
      const repository = repositoryOf({ env: { PRC_CRM_TOKEN_URL: undefined, PRC_CRM_TENANT_ID: dataverseTenant }, fetch: routed });
      expect(repository.profile.auth).toMatchObject({ tokenUrl: `https://login.microsoftonline.com/${dataverseTenant}/oauth2/v2.0/token` });
      expect((await repository.authenticate({ signal: signal() }))?.token).toMatch(/^Bearer eyJ0eX\*\*\*$/);
      expect(requested).toStrictEqual([`https://login.microsoftonline.com/${dataverseTenant}/oauth2/v2.0/token`]);
    });

    it('a tenant Entra ID does not know is a 502 quoting AADSTS90002', async () => {
      const { connector, lines } = connectorOf(repositoryOf({ env: { PRC_CRM_TOKEN_URL: `${dataverse.origin}/contoso.example/oauth2/v2.0/token` } }));
      expect((await connector.handle({ url: '/label' })).status).toBe(502);
      expect(lines()).toContain("HTTP 400 invalid_request: AADSTS90002: Tenant 'contoso.example' not found.");
    });

    it('neither PRC_CRM_TENANT_ID nor PRC_CRM_TOKEN_URL: an error at creation naming the tenant variable', () => {
      expect(() => repositoryOf({ env: { PRC_CRM_TOKEN_URL: undefined } })).toThrow(CrmProfileError);
      expect(() => repositoryOf({ env: { PRC_CRM_TOKEN_URL: undefined } })).toThrow(
        /^invalid CRM profile "dataverse":\n {2}auth\.tokenUrl: the environment variable PRC_CRM_TENANT_ID is not set \(needed unless PRC_CRM_TOKEN_URL is set\)$/,
      );
    });

    it('PRC_CRM_BASE_URL ending in / (as copied from the browser): requests to /api/… and the scope <url>/.default, never //', async () => {
      const repository = repositoryOf({ env: { PRC_CRM_BASE_URL: `${dataverse.origin}//` } });
      expect((await lookup(repository, '+923002223344'))?.first_name).toBe('Ayesha');
      expect((await repository.listLabels({ signal: signal() })).map((label) => label.name)).toStrictEqual(['Gold', 'Vip', 'Silver']);
      // The fake answers a path with // 404 and the token only for the scope <origin>/.default, as Dataverse and Entra ID do.
      expect(dataverse.received.map((request) => request.path).filter((path) => path.includes('//'))).toStrictEqual([]);
      expect(new URLSearchParams(dataverse.received.find((request) => request.method === 'POST')!.body).get('scope')).toBe(`${dataverse.origin}/.default`);
    });

    it('PRC_CRM_BASE_URL missing is said once, with the scope that uses it too', () => {
      expect(() => repositoryOf({ env: { PRC_CRM_BASE_URL: undefined } })).toThrow(/baseUrl: the environment variable PRC_CRM_BASE_URL is not set \(also used at auth\.scope\)/);
    });
  });
});
