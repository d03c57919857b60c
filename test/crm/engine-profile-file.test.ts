import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../src/index.js';
import { createCrmRepository } from '../../src/crm/index.js';
import { useFakeCrm } from '../support/crm-suite.js';
import { startFakeCrm } from '../support/fake-crm.js';

/**
 * What the engine gained for Salesforce, said in a profile file of another CRM: text around a
 * join of the phone forms (`$join` and `$items`), and an error body that makes a status a rate limit
 * (`rateLimit.errors`). An in-house CRM whose quota answer is `403 { "error": { "type": "quota_exceeded" } }`.
 */
const crm = useFakeCrm(() =>
  startFakeCrm([
    {
      name: 'search',
      method: 'GET',
      path: /^\/api\/find$/,
      handle: ({ query }) => ({ status: 200, body: { hits: [{ id: 'c1', tel: /\d{7,}/.exec(query.get('q') ?? '')?.[0] ?? '' }] } }),
    },
    { name: 'labels', method: 'GET', path: /^\/api\/labels$/, handle: () => ({ status: 200, body: [] }) },
  ]),
);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-profile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The profile as a site would keep it: a JSON file, read back as the CLI reads `--crm file.json`. */
function profileFile(): Record<string, unknown> {
  const file = join(dir, 'quota-crm.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'quota-crm',
      baseUrl: `${crm.origin}/api`,
      auth: { type: 'none' },
      lookup: {
        path: '/find',
        query: { q: { $join: '', $items: ['phone:(', { $eachPhone: '{phone}', $join: ' | ' }, ') limit ', 5] } },
        phoneForms: ['international', 'national'],
        results: 'hits',
        fields: { _id: 'id', phone1: 'tel' },
      },
      labels: { path: '/labels', results: '@', fields: { _id: 'id', name: 'name' } },
      rateLimit: { statuses: [429], errors: [{ status: 403, body: "error.type == 'quota_exceeded'" }] },
    }),
  );
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const signal = () => new AbortController().signal;
const repository = () => createCrmRepository({ profile: profileFile(), defaultCountry: 'PK', env: {} });

describe('a profile file: $join with $items, and rateLimit.errors', () => {
  it('$items with $join "" puts text around the join of the phone forms, in one parameter', async () => {
    const found = await repository().findCustomerByPhone({ phone: '03001234567', normalizedPhone: '03001234567' }, { signal: signal() });
    expect(found?._id).toBe('c1');
    expect(crm.received.at(-1)!.query.get('q')).toBe('phone:(923001234567 | 03001234567) limit 5');
  });

  it('an error whose body meets a rateLimit.errors condition is a rate limit: a fast 503 with Retry-After', async () => {
    crm.fault('search', { kind: 'status', status: 403, body: { error: { type: 'quota_exceeded', message: 'daily quota used up' } } });
    const response = await createConnector({ repository: repository(), defaultCountry: 'PK' }).handle({ url: '/customer?query=phone:03001234567' });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
  });

  it.each([
    ['another body', { error: { type: 'forbidden' } }],
    ['a body of another shape (the condition cannot read it)', ['quota_exceeded']],
    ['no JSON', undefined],
  ])('the same status with %s stays what it is: 502', async (_case, body) => {
    crm.fault('search', { kind: 'status', status: 403, body });
    const response = await createConnector({ repository: repository(), defaultCountry: 'PK' }).handle({ url: '/customer?query=phone:03001234567' });
    expect(response.status).toBe(502);
  });

  it('a condition that is not JMESPath is named at load', () => {
    const profile = { ...profileFile(), rateLimit: { errors: [{ status: 403, body: 'error.type ==' }] } };
    expect(() => createCrmRepository({ profile, env: {} })).toThrow(/rateLimit\.errors\[0\]\.body: not a JMESPath expression/);
  });
});
