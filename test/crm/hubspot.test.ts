import { describe, expect, it } from 'vitest';
import { createCrmRepository, type CrmProfileError, paletteColor } from '../../src/crm/index.js';
import { expectRefusedCredential } from '../support/crm-checks.js';
import { crmSuite, signal } from '../support/crm-suite.js';
import { hubspotEnv, hubspotToken, LABEL_PROPERTY, startFakeHubSpot } from '../support/fake-hubspot.js';

const { fake: hubspot, repositoryOf, connectorOf } = crmSuite({ start: startFakeHubSpot, profile: 'hubspot', env: hubspotEnv });

describe('HubSpot profile against a fake HubSpot (real HTTP on loopback)', () => {
  it('looks up with one search request whose filter groups OR the phone forms over phone and mobilephone, asking only for the mapped properties', async () => {
    const { connector } = connectorOf(repositoryOf());
    const response = await connector.handle({ url: '/customer?query=phone:03001234567' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ _id: '151', first_name: 'Sara', last_name: 'Ahmed', email: 'sara@example.com', phone1: '+923001234567', phone2: '', labels: ['gold', 'vip'], createdAt: '2024-02-01T10:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z' });
    const searches = hubspot.searches();
    expect(searches).toHaveLength(1);
    expect(searches[0]!.filterGroups).toStrictEqual([
      { filters: [{ propertyName: 'phone', operator: 'EQ', value: '+923001234567' }] },
      { filters: [{ propertyName: 'mobilephone', operator: 'EQ', value: '+923001234567' }] },
      { filters: [{ propertyName: 'phone', operator: 'EQ', value: '03001234567' }] },
      { filters: [{ propertyName: 'mobilephone', operator: 'EQ', value: '03001234567' }] },
    ]);
    expect(searches[0]!.properties).toStrictEqual(['firstname', 'lastname', 'email', 'phone', 'mobilephone', LABEL_PROPERTY]);
    expect(hubspot.received[0]!.headers.authorization).toBe(`Bearer ${hubspotToken}`);
  });

  it('a contact with no label value has labels []', async () => {
    const found = await repositoryOf({ profile: { extends: 'hubspot', match: 'oldest' } }).findCustomerByPhone({ phone: '+923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found).toMatchObject({ _id: '153', labels: [] });
  });

  it('of two contacts with the number (one on mobilephone, one on phone), the newest is answered', async () => {
    const found = await repositoryOf().findCustomerByPhone({ phone: '923217654321', normalizedPhone: '923217654321' }, { signal: signal() });
    expect(found).toMatchObject({ _id: '152', phone2: '03217654321', labels: ['vip'] });
  });

  it('a near miss the search returns is never answered: 404', async () => {
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle({ url: '/customer?query=phone:%2B923451234567' })).status).toBe(404);
    expect(hubspot.searches()).toHaveLength(1);
  });

  it('labels are the options of PRC_CRM_LABEL_PROPERTY (hidden ones left out): ids the values, names the labels, colours from colors or the palette', async () => {
    const labels = await repositoryOf({ profile: { extends: 'hubspot', colors: { Gold: '#3cb44b' } } }).listLabels({ signal: signal() });
    expect(labels.map(({ _id, name, color_code }) => ({ _id, name, color_code }))).toStrictEqual([
      { _id: 'gold', name: 'Gold', color_code: '#3cb44b' },
      { _id: 'vip', name: 'Vip', color_code: paletteColor('Vip') },
    ]);
    expect(hubspot.received[0]!.path).toBe(`/crm/v3/properties/contacts/${LABEL_PROPERTY}`);
  });

  it('a label property that does not exist is a 502 quoting HubSpot\'s OBJECT_NOT_FOUND', async () => {
    const { connector, lines } = connectorOf(repositoryOf({ env: { PRC_CRM_LABEL_PROPERTY: 'prioritytier' } }));
    expect((await connector.handle({ url: '/label' })).status).toBe(502);
    expect(lines()).toContain('HTTP 404 OBJECT_NOT_FOUND');
  });

  it('a wrong private-app token is a 502 naming INVALID_AUTHENTICATION, never the token', async () => {
    await expectRefusedCredential(repositoryOf({ env: { PRC_CRM_TOKEN: 'pat-eu1-wrong-token-0000' } }), { url: '/label' }, 'INVALID_AUTHENTICATION', 'pat-eu1-wrong-token-0000');
  });

  it('PRC_CRM_LABEL_PROPERTY missing is an error at creation naming it once, with every key that uses it', () => {
    expect(() => createCrmRepository({ profile: 'hubspot', env: { PRC_CRM_TOKEN: hubspotToken } })).toThrow(/PRC_CRM_LABEL_PROPERTY is not set/);
    try {
      createCrmRepository({ profile: 'hubspot', env: { PRC_CRM_TOKEN: hubspotToken } });
    } catch (error) {
      const { problems } = error as CrmProfileError;
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toMatch(/^the environment variable PRC_CRM_LABEL_PROPERTY is not set \(also used at .+\)$/);
    }
    expect.assertions(3);
  });

  it('a 429 with Retry-After beyond the timeout is a fast 503', async () => {
    hubspot.fault('search', { kind: 'status', status: 429, headers: { 'retry-after': '10' }, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' } });
    const { connector } = connectorOf(repositoryOf());
    const response = await connector.handle({ url: '/customer?query=phone:03001234567' });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('10');
  });

  it('with OAuth2 instead of a private app (extends "hubspot", auth replaced): one token, renewed once on 401', async () => {
    const profile = {
      extends: 'hubspot',
      auth: { type: 'oauth2', grant: 'refresh_token', tokenUrl: hubspot.tokenUrl, clientId: 'app-id', clientSecret: '${HUBSPOT_SECRET}', refreshToken: 'refresh-1' },
    };
    const warnings: string[] = [];
    const repository = repositoryOf({ profile, env: { HUBSPOT_SECRET: 'hubspot-app-secret' }, onWarning: (message) => warnings.push(message) });
    await Promise.all(Array.from({ length: 10 }, () => repository.listLabels({ signal: signal() })));
    expect(hubspot.count('token')).toBe(1);
    hubspot.expireTokens();
    expect(await repository.listLabels({ signal: signal() })).toHaveLength(2);
    expect(hubspot.count('token')).toBe(2);
    expect(hubspot.received.find((request) => request.path === '/oauth/v1/token')!.body).toContain('grant_type=refresh_token');
    // HubSpot's refresh answer repeats the refresh token: nothing to say of rotation.
    expect(warnings).toStrictEqual([]);
  });
});
