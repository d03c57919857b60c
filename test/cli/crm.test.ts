import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { startFakeCrm } from '../support/fake-crm.js';
import { type FakeHubSpot, hubspotEnv, startFakeHubSpot } from '../support/fake-hubspot.js';
import { type FakeSalesforce, salesforceCredentials, salesforceEnv, startFakeSalesforce } from '../support/fake-salesforce.js';
import { type FakePipedrive, pipedriveEnv, pipedriveToken, startFakePipedrive } from '../support/fake-pipedrive.js';
import { type FakeZoho, startFakeZoho, zohoCredentials, zohoEnv } from '../support/fake-zoho.js';
import { appWithoutUser, dataverseCredentials, dataverseEnv, type FakeDataverse, startFakeDataverse } from '../support/fake-dataverse.js';

let zoho: FakeZoho;
let hubspot: FakeHubSpot;
let salesforce: FakeSalesforce;
let dataverse: FakeDataverse;
let pipedrive: FakePipedrive;
beforeAll(async () => {
  [zoho, hubspot, salesforce, dataverse, pipedrive] = await Promise.all([startFakeZoho(), startFakeHubSpot(), startFakeSalesforce(), startFakeDataverse(), startFakePipedrive()]);
});
afterAll(async () => {
  await Promise.all([zoho.close(), hubspot.close(), salesforce.close(), dataverse.close(), pipedrive.close()]);
});

describe('priority-routing-crm crm check', () => {
  it('zoho: obtains a token (masked), reads the labels, looks the number up and shows which CRM field fed each contract field; exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', 'zoho', '--phone', '03001234567', '--default-country', 'PK'], zohoEnv(zoho));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ token: obtained from http:\/\/127\.0\.0\.1:\d+\/oauth\/v2\/token: Zoho-oauthtoken 1000\.a\*\*\* \(renewed in \d+ s\)/);
    expect(stdout).toMatch(/✓ labels: 2 read\n {4}Gold\s+#3CB44B {2}id 4876876000000412001\n/);
    expect(stdout).toMatch(/✓ lookup 03001234567: customer 4876876000000500001 \(1 CRM requests\)/);
    expect(stdout).toMatch(/first_name {2}"Ayesha"\s+← First_Name/);
    expect(stdout).toMatch(/labels {6}\["4876876000000412001"\] \(Gold\)\s+← Tag\[\]\.id/);
    expect(stdout).toContain('all good: start "priority-routing-crm serve --crm zoho --default-country PK"');
    for (const secret of Object.values(zohoCredentials).slice(1)) expect(stdout).not.toContain(secret);
  });

  it('salesforce: a client-credentials token without expiry, the picklist values as labels, a SOSL lookup; exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', 'salesforce', '--phone', '03001234567', '--default-country', 'PK'], salesforceEnv(salesforce));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ token: obtained from http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token: Bearer 00DQy0\*\*\* \(no expiry given: renewed when refused\)\n/);
    expect(stdout).toMatch(/✓ labels: 2 read\n {4}Gold\s+#[0-9a-f]{6} {2}id Gold\n {4}VIP\+\s+#[0-9a-f]{6} {2}id VIP_Plus\n/);
    expect(stdout).toMatch(/✓ lookup 03001234567: customer 003Qy00000AmnaAAA \(1 CRM requests\)/);
    expect(stdout).toMatch(/phone2 {6}"0300 1234567"\s+← MobilePhone/);
    expect(stdout).toMatch(/labels {6}\["Gold","VIP_Plus"\] \(Gold, VIP\+\)\s+← split\("Priority_Tier__c" \|\| '', ';'\)/);
    expect(stdout).toContain('all good: start "priority-routing-crm serve --crm salesforce --default-country PK"');
    expect(stdout).not.toContain(salesforceCredentials.clientSecret);
  });

  it.each([
    ['salesforce', () => salesforceEnv(salesforce, { PRC_CRM_CLIENT_SECRET: 'wrong-sf-secret-1' }), /✗ token: token request to http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token failed: HTTP 400 invalid_client: invalid client credentials\n {4}→ the OAuth client id or secret is wrong/, 'wrong-sf-secret-1'],
    ['zoho', () => zohoEnv(zoho, { PRC_CRM_CLIENT_SECRET: 'wrong-zoho-secret-1' }), /✗ token: token request to http:\/\/127\.0\.0\.1:\d+\/oauth\/v2\/token failed: HTTP 200 invalid_client\n {4}→ the OAuth client id or secret is wrong/, 'wrong-zoho-secret-1'],
    ['hubspot', () => hubspotEnv(hubspot, { PRC_CRM_TOKEN: 'pat-eu1-wrong-token-1' }), /✗ labels: label list from http:\/\/127\.0\.0\.1:\d+\/crm\/v3\/properties\/contacts\/priority_tier: HTTP 401 INVALID_AUTHENTICATION: Authentication credentials not found\..*\n {4}→ the CRM refused the credentials/, 'pat-eu1-wrong-token-1'],
    ['pipedrive', () => pipedriveEnv(pipedrive, { PRC_CRM_TOKEN: '0000wrong1111pipedrive2222token3333abcd' }), /- token: query credentials from the profile \(checked by the requests below\)\n✗ labels: label list from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/personFields: HTTP 401: unauthorized access \(check the credentials and their scopes\)\n {4}→ the CRM refused the credentials/, '0000wrong1111pipedrive2222token3333abcd'],
  ])('%s with a wrong secret: exit 1, the CRM\'s error quoted with what to do, the secret never', async (crm, env, expected, secret) => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', crm], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(expected);
    expect(stdout + stderr).not.toContain(secret);
  });

  it('salesforce without a Run As user, or with a label field the org does not have: exit 1, saying which setup step is missing', async () => {
    salesforce.runAsUser = false;
    try {
      const { code, stdout } = await runCli(['crm', 'check', '--crm', 'salesforce'], salesforceEnv(salesforce));
      expect(code).toBe(1);
      expect(stdout).toMatch(/✗ token: .* HTTP 400 invalid_grant: no client credentials user enabled\n {4}→ the connected app has no Run As user/);
    } finally {
      salesforce.runAsUser = true;
    }
    const { code, stdout } = await runCli(['crm', 'check', '--crm', 'salesforce', '--phone', '03001234567'], salesforceEnv(salesforce, { PRC_CRM_LABEL_PROPERTY: 'Tier__c' }));
    expect(code).toBe(1);
    // Salesforce's message starts with the query it could not read; the code says enough.
    expect(stdout).toMatch(/✗ lookup 03001234567: customer search from .*: HTTP 400 INVALID_FIELD: .*Tier__c.*\n {4}→ the CRM has no such field/);
  });

  it('dataverse: a client-credentials token from the tenant (masked), the choice column\'s options with their colours, a formatted stored number found; exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', 'dataverse', '--phone', '+923002223344', '--default-country', 'PK'], dataverseEnv(dataverse));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ token: obtained from http:\/\/127\.0\.0\.1:\d+\/72f988bf-86f1-41af-91ab-2d7cd011db47\/oauth2\/v2\.0\/token: Bearer eyJ0eX\*\*\* \(renewed in \d+ s\)/);
    expect(stdout).toMatch(/✓ labels: 3 read\n {4}Gold\s+#FFD700 {2}id 100000000\n/);
    expect(stdout).toMatch(/phone1 {6}"0300 2223344"\s+← telephone1/);
    expect(stdout).toMatch(/labels {6}\["100000000","100000001"\] \(Gold, Vip\)/);
    expect(stdout + stderr).not.toContain(dataverseCredentials.clientSecret);
  });

  it('dataverse: PRC_CRM_TENANT_ID is a setting shown by --print-config (the secret masked), and never a flag', async () => {
    const printed = await runCli(['serve', '--crm', 'dataverse', '--print-config'], dataverseEnv(dataverse, { PRC_CRM_TOKEN_URL: undefined, PRC_CRM_TENANT_ID: 'contoso.onmicrosoft.com' }));
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ crm: 'dataverse', crmTenantId: 'contoso.onmicrosoft.com', crmClientSecret: '********' });
    expect(printed.stdout).not.toContain(dataverseCredentials.clientSecret);
    const refused = await runCli(['serve', '--crm', 'dataverse', '--crm-tenant-id', 'contoso.onmicrosoft.com']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--crm-tenant-id is not accepted on the command line');
    const missing = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse, { PRC_CRM_TOKEN_URL: undefined, PRC_CRM_TENANT_ID: undefined }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('auth.tokenUrl: the environment variable PRC_CRM_TENANT_ID is not set (needed unless PRC_CRM_TOKEN_URL is set)');
  });

  it.each([
    ['a wrong client secret', { PRC_CRM_CLIENT_SECRET: 'Wr0ng~dataverse.secret_000000' }, /✗ token: token request to http:\/\/127\.0\.0\.1:\d+\/72f988bf-86f1-41af-91ab-2d7cd011db47\/oauth2\/v2\.0\/token failed: HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided\..*\n {4}→ the client secret is wrong or expired: set PRC_CRM_CLIENT_SECRET to the secret's Value/],
    ['an app without an application user', { PRC_CRM_CLIENT_ID: appWithoutUser.clientId, PRC_CRM_CLIENT_SECRET: appWithoutUser.clientSecret }, /✗ labels: label list from .*: HTTP 403 0x80072560: The user is not a member of the organization\. \(check the credentials and their scopes\)\n {4}→ the app registration has no application user in this Dataverse environment/],
    ['a label column the Contact table does not have', { PRC_CRM_LABEL_PROPERTY: 'new_prioritytie' }, /✗ labels: label list from .*: HTTP 404 0x80040217: Could not find attribute with name 'new_prioritytie' for entity 'contact'\.\n {4}→ Dataverse has no such column on the Contact table: set PRC_CRM_LABEL_PROPERTY to the choice column's logical name/],
  ])('dataverse with %s: exit 1, the error quoted with what to do, no secret', async (_case, env, expected) => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse, env));
    expect(code).toBe(1);
    expect(stdout).toMatch(expected);
    for (const secret of [...Object.values(env), dataverseCredentials.clientSecret].filter((value) => value.includes('~'))) expect(stdout + stderr).not.toContain(secret);
  });

  it('dataverse with PRC_CRM_BASE_URL of another environment or an unknown tenant: Entra ID\'s AADSTS500011 or AADSTS90002 gets the profile\'s hint; a trailing slash is fine', async () => {
    const slash = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse, { PRC_CRM_BASE_URL: `${dataverse.origin}/` }));
    expect(slash.stdout).not.toContain('✗');
    expect(slash.code).toBe(0);
    const other = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse, { PRC_CRM_BASE_URL: 'https://contoso.crm4.dynamics.com' }));
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/✗ token: .*HTTP 400 invalid_resource: AADSTS500011: .*\n {4}→ PRC_CRM_BASE_URL is not a Dataverse environment of this tenant: give the URL of an environment of this tenant, such as https:\/\/contoso\.crm4\.dynamics\.com\n/);
    const tenant = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse, { PRC_CRM_TOKEN_URL: `${dataverse.origin}/contoso.example/oauth2/v2.0/token` }));
    expect(tenant.code).toBe(1);
    expect(tenant.stdout).toMatch(/AADSTS90002: Tenant 'contoso\.example' not found\..*\n {4}→ Microsoft Entra ID knows no such tenant: set PRC_CRM_TENANT_ID/);
  });

  it('a scope the credentials lack (Zoho OAUTH_SCOPE_MISMATCH, HubSpot MISSING_SCOPES): exit 1, the profile\'s hint names the scopes to give', async () => {
    // Zoho answers 401: the token is renewed once, and the retry meets the same answer.
    zoho.fault('tags', { kind: 'status', status: 401, body: { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope to access this URL', status: 'error' } }, 2);
    const zohoScope = await runCli(['crm', 'check', '--crm', 'zoho'], zohoEnv(zoho));
    expect(zohoScope.code).toBe(1);
    expect(zohoScope.stdout).toMatch(/✗ labels: .*HTTP 401 OAUTH_SCOPE_MISMATCH: invalid oauth scope to access this URL.*\n {4}→ the refresh token lacks a scope: generate it for ZohoCRM\.modules\.contacts\.READ,ZohoCRM\.settings\.tags\.READ/);
    hubspot.fault('property', { kind: 'status', status: 403, body: { status: 'error', message: "This app hasn't been granted all required scopes to make this call.", correlationId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', category: 'MISSING_SCOPES' } });
    const hubspotScope = await runCli(['crm', 'check', '--crm', 'hubspot'], hubspotEnv(hubspot));
    expect(hubspotScope.code).toBe(1);
    expect(hubspotScope.stdout).toMatch(/✗ labels: .*HTTP 403 MISSING_SCOPES: .*\n {4}→ the private app lacks a scope: give it crm\.objects\.contacts\.read and crm\.schemas\.contacts\.read/);
  });

  it('a permission the integration user lacks (a Dataverse security role without a privilege, a Salesforce Run As user without API Enabled): exit 1, the profile\'s hint says which', async () => {
    const principal = `Principal user (Id=8f4c1c3a-4a1b-ef11-840a-000d3a4f2d10, type=8, roleCount=1, privilegeCount=12, accessMode='4 Non-interactive', AADObjectId='51f81489-12ee-4a9e-aaae-a2591f45987d'), is missing prvReadAttribute privilege (Id=0c7a7c11-6b7b-4a1a-8c47-1d2e3f4a5b6c)`;
    dataverse.fault('attribute', { kind: 'status', status: 403, body: { error: { code: '0x80040220', message: principal } } });
    const role = await runCli(['crm', 'check', '--crm', 'dataverse'], dataverseEnv(dataverse));
    expect(role.code).toBe(1);
    expect(role.stdout).toMatch(/✗ labels: .*HTTP 403 0x80040220: Principal user .*\n {4}→ the application user's security role lacks a privilege/);
    salesforce.fault('describe', { kind: 'status', status: 403, body: [{ message: 'API is not enabled for this user or organization.', errorCode: 'API_DISABLED_FOR_ORG' }] });
    const api = await runCli(['crm', 'check', '--crm', 'salesforce'], salesforceEnv(salesforce));
    expect(api.code).toBe(1);
    expect(api.stdout).toMatch(/✗ labels: .*HTTP 403 API_DISABLED_FOR_ORG: .*\n {4}→ the org's edition has no API access, or the Run As user lacks the API Enabled permission/);
  });

  it('pipedrive: reads the labels with their colours, finds the person by the search and its chained read, shows where each field came from; the api_token never printed', async () => {
    const { code, stdout, stderr } = await runCli(['crm', 'check', '--crm', 'pipedrive', '--phone', '03001234567', '--default-country', 'PK'], pipedriveEnv(pipedrive));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ labels: 4 read\n {4}Gold\s+#ffcc00 {2}id 1\n/);
    expect(stdout).toMatch(/✓ lookup 03001234567: customer 101 \(2 CRM requests\)/);
    expect(stdout).toMatch(/labels {6}\["1","2"\] \(Gold, Vip\)\s+← label_ids/);
    expect(stdout).toMatch(/phone1 {6}"\+923001234567"\s+← phones\[0\]\.value/);
    expect(stdout + stderr).not.toContain(pipedriveToken);
  });

  it("a profile file's own hints name what to do about its CRM's error codes, before the generic ones; a hint that is no regular expression is a usage error naming it", async () => {
    const crm = await startFakeCrm([
      { name: 'labels', method: 'GET', path: /^\/api\/labels$/, handle: ({ headers }) => (headers['x-api-key'] === 'in-house-key-1' ? { status: 403, body: { code: 'SEAT_EXPIRED', message: 'The integration seat has expired' } } : { status: 401, body: { code: 'NO_KEY' } }) },
    ]);
    const file = join(tmpdir(), `crm-hints-${process.pid}.json`);
    const profile = (hints: unknown) => ({
      name: 'in-house',
      baseUrl: crm.origin,
      auth: { type: 'header', name: 'X-Api-Key', value: '${PRC_CRM_TOKEN}' },
      lookup: { path: '/api/customers', query: { phone: '{phone}' }, results: 'items', fields: { _id: 'id', phone1: 'phone' } },
      labels: { path: '/api/labels', results: '@', fields: { _id: 'id', name: 'name' } },
      hints,
    });
    try {
      writeFileSync(file, JSON.stringify(profile([{ match: 'SEAT_EXPIRED|SEAT_REVOKED', say: 'the integration seat has expired: renew it in Admin → Seats' }])));
      const own = await runCli(['crm', 'check', '--crm', file], { PRC_CRM_TOKEN: 'in-house-key-1' });
      expect(own.code).toBe(1);
      expect(own.stdout).toMatch(/✗ labels: label list from .*: HTTP 403 SEAT_EXPIRED: The integration seat has expired \(check the credentials and their scopes\)\n {4}→ the integration seat has expired: renew it in Admin → Seats\n/);
      // An error the profile's hints do not name gets the generic hint.
      const generic = await runCli(['crm', 'check', '--crm', file], { PRC_CRM_TOKEN: 'in-house-key-2' });
      expect(generic.stdout).toMatch(/HTTP 401 NO_KEY \(check the credentials and their scopes\)\n {4}→ the CRM refused the credentials/);
      writeFileSync(file, JSON.stringify(profile([{ match: 'SEAT_(EXPIRED', say: 'renew the seat' }])));
      const wrong = await runCli(['crm', 'check', '--crm', file], { PRC_CRM_TOKEN: 'in-house-key-1' });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('hints[0].match: expected a regular expression');
    } finally {
      rmSync(file, { force: true });
      await crm.close();
    }
  });

  it('a number no contact has: exit 1, saying where to look', async () => {
    const { code, stdout } = await runCli(['crm', 'check', '--crm', 'hubspot', '--phone', '+923009999999'], hubspotEnv(hubspot));
    expect(code).toBe(1);
    expect(stdout).toContain('✗ lookup +923009999999: no contact has this number in a mapped phone field');
  });

  it('a missing variable or an unknown profile is a usage error (exit 2) naming it', async () => {
    const missing = await runCli(['crm', 'check', '--crm', 'zoho'], { ...zohoEnv(zoho), PRC_CRM_REFRESH_TOKEN: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('auth.refreshToken: the environment variable PRC_CRM_REFRESH_TOKEN is not set');
    expect((await runCli(['crm', 'check'])).code).toBe(2);
    // A bare word that is no built-in is a wrong option, not a missing file; a built-in in any case is found.
    const unknown = await runCli(['crm', 'check', '--crm', 'sugarcrm']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--crm sugarcrm is not a built-in profile \(zoho, hubspot, [^)]*salesforce[^)]*\) nor a file/);
    expect(unknown.stderr).not.toContain('ENOENT');
    const capital = await runCli(['crm', 'check', '--crm', 'Zoho'], zohoEnv(zoho));
    expect(capital.code).toBe(0);
    expect((await runCli(['crm', 'check', '--crm', './missing-profile.json'])).code).toBe(1);
  });

  it('takes the credentials from --config, never from a flag', async () => {
    const file = join(tmpdir(), `crm-config-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ crmToken: hubspotEnv(hubspot).PRC_CRM_TOKEN, crmBaseUrl: hubspot.origin, crmLabelProperty: 'priority_tier' }), { mode: 0o600 });
    const { code } = await runCli(['crm', 'check', '--crm', 'hubspot', '--config', file]);
    expect(code).toBe(0);
    const refused = await runCli(['serve', '--crm', 'hubspot', '--crm-token', 'x']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--crm-token is not accepted on the command line');
  });
});

describe('priority-routing-crm serve --crm', () => {
  it('serves from Zoho: /readyz once a token and the labels were read, lookups, labels cached 5 minutes; credentials masked in --print-config', async () => {
    const printed = await runCli(['serve', '--crm', 'zoho', '--print-config'], zohoEnv(zoho));
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ crm: 'zoho', crmClientSecret: '********', crmRefreshToken: '********', crmTokenUrl: zoho.tokenUrl });
    expect(printed.stdout).not.toContain(zohoCredentials.clientSecret);

    const run = startCli(['serve', '--crm', 'zoho', '--default-country', 'PK', '--port', '0', '--log-format', 'text', '--quiet'], zohoEnv(zoho));
    try {
      const [, origin] = await waitForOutput(run, /listening on (http:\/\/[\d.:]+)/);
      expect(run.stdout()).toContain('(CRM profile "zoho")');
      expect(run.stdout()).toContain('labels cached 300000 ms');
      const ready = await fetch(`${origin}/readyz`);
      expect(ready.status).toBe(200);
      const tagsAfterReady = zoho.count('tags');
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const found = await fetch(`${origin}/customer?query=phone:923001234567`);
      expect(found.status).toBe(200);
      expect(((await found.json()) as { first_name: string }).first_name).toBe('Ayesha');
      for (let i = 0; i < 3; i++) expect((await fetch(`${origin}/label`)).status).toBe(200);
      // Readiness and three /label requests cost the CRM one more label read at most (the cache's first).
      expect(zoho.count('tags') - tagsAfterReady).toBeLessThanOrEqual(1);
      expect(run.stdout() + run.stderr()).not.toContain(zohoCredentials.clientSecret);
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });
});
