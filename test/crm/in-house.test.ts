import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../src/index.js';
import { createCrmRepository, paletteColor } from '../../src/crm/index.js';
import { useFakeCrm } from '../support/crm-suite.js';
import { startFakeCrm } from '../support/fake-crm.js';

/** The profile exactly as a site would keep it: a file, no code. */
const profile = JSON.parse(readFileSync(new URL('../../examples/crm/in-house.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const KEY = 'in-house-api-key-7d1c';

const customers = [
  { customerId: 'C-1001', name: { first: 'Gold', last: 'Member' }, contact: { mobile: '+92 300 1234567', landline: null, email: 'gold@example.com' }, segments: ['gold', 'platinum'], created: 1592472773823, modified: 1592472773823, modifiedBy: 'crm-sync', revision: 3 },
  { customerId: 'C-1002', name: { first: 'Near', last: 'Miss' }, contact: { mobile: '0300 1234568', landline: null, email: null }, segments: [], created: 1592472773823, modified: 1592472773823, modifiedBy: null, revision: 0 },
];

// A tiny in-house REST CRM: an API key header, a comma-separated phone list matched on the last 6 digits, 404 when none.
const crm = useFakeCrm(() =>
  startFakeCrm([
    {
      name: 'customers',
      method: 'GET',
      path: /^\/api\/v2\/customers$/,
      handle: ({ headers, query }) => {
        if (headers['x-api-key'] !== KEY) return { status: 401, body: { error: 'unauthorized' } };
        const asked = (query.get('phone') ?? '').split(',').map((phone) => phone.replace(/\D/g, '').slice(-6));
        const items = customers.filter((customer) => asked.includes(customer.contact.mobile.replace(/\D/g, '').slice(-6)));
        return items.length === 0 ? { status: 404, body: { error: 'not_found' } } : { status: 200, body: { items } };
      },
    },
    {
      name: 'segments',
      method: 'GET',
      path: /^\/api\/v2\/segments$/,
      handle: ({ headers }) =>
        headers['x-api-key'] !== KEY
          ? { status: 401, body: { error: 'unauthorized' } }
          : { status: 200, body: [{ code: 'gold', title: 'Gold', colour: '#3cb44b' }, { code: 'platinum', title: 'platinum' }, { code: 'vip', title: 'Vip' }] },
    },
  ]),
);

const repository = () => createCrmRepository({ profile, defaultCountry: 'PK', env: { PRC_CRM_BASE_URL: crm.origin, PRC_CRM_TOKEN: KEY } });

describe('any REST CRM is one file: examples/crm/in-house.json against its own fake server', () => {
  it('finds the customer with every phone form in one request, mapped onto the contract', async () => {
    const connector = createConnector({ repository: repository(), defaultCountry: 'PK' });
    const response = await connector.handle({ url: '/customer?query=phone:923001234567' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ _id: 'C-1001', first_name: 'Gold', phone1: '+92 300 1234567', phone2: '', labels: ['gold', 'platinum'], updated_by: 'crm-sync', createdAt: '2020-06-18T09:32:53.823Z', __v: 3 });
    const sent = crm.received.at(-1)!;
    expect(sent.query.get('phone')).toBe('+923001234567,03001234567');
    expect(sent.headers['x-api-key']).toBe(KEY);
  });

  it("the CRM's near miss (same last six digits) is not answered, and its 404 is a 404", async () => {
    const connector = createConnector({ repository: repository(), defaultCountry: 'PK' });
    expect((await connector.handle({ url: '/customer?query=phone:03011234568' })).status).toBe(404);
    expect((await connector.handle({ url: '/customer?query=phone:03219999999' })).status).toBe(404);
  });

  it('labels: the CRM colour, else the profile colors, else the fallback palette (the same name, the same colour)', async () => {
    const labels = await repository().listLabels({ signal: new AbortController().signal });
    expect(labels.map(({ _id, name, color_code }) => ({ _id, name, color_code }))).toStrictEqual([
      { _id: 'gold', name: 'Gold', color_code: '#3cb44b' },
      { _id: 'platinum', name: 'platinum', color_code: '#039be6' },
      { _id: 'vip', name: 'Vip', color_code: paletteColor('Vip') },
    ]);
    expect(paletteColor('Vip')).toBe(paletteColor('Vip'));
    expect(new Set(['Gold', 'Silver', 'Vip', 'Vvip', 'Bronze'].map(paletteColor)).size).toBeGreaterThan(1);
  });

  it('a wrong API key is a 502 that says to check the credentials, and never shows the key', async () => {
    const errors: string[] = [];
    const wrong = createCrmRepository({ profile, env: { PRC_CRM_BASE_URL: crm.origin, PRC_CRM_TOKEN: 'not-the-key-123' } });
    const connector = createConnector({ repository: wrong, onError: (event) => errors.push(JSON.stringify(event.issues)) });
    const response = await connector.handle({ url: '/label' });
    expect(response.status).toBe(502);
    expect(errors.join()).toContain('HTTP 401 unauthorized (check the credentials and their scopes)');
    expect(errors.join()).not.toContain('not-the-key-123');
  });
});
