import { type FakeCrm, startFakeCrm, tail, withState } from './fake-crm.js';
import { fakeOAuth } from './fake-oauth.js';

/** A Zoho CRM v8 contact as the search API returns it (record.json's shape; fields not used here left out). */
export interface ZohoContact {
  id: string;
  First_Name: string | null;
  Last_Name: string;
  Email: string | null;
  Phone: string | null;
  Mobile: string | null;
  Tag: Array<{ id: string; name: string; color_code: string }>;
  Created_Time: string;
  Modified_Time: string;
  Created_By: { id: string; name: string; email: string };
  Modified_By: { id: string; name: string; email: string };
}

export const zohoCredentials = { clientId: '1000.FAKECLIENTID', clientSecret: 'zoho-client-secret-4f1e', refreshToken: '1000.refresh.token.9a8b7c' } as const;

const admin = { id: '4876876000000225013', name: 'Patricia Boyle', email: 'p.boyle@example.com' };

/** Tags in the shape of GET /crm/v8/settings/tags (tags.json). */
export const zohoTags = [
  { id: '4876876000000412001', name: 'Gold', color_code: '#3CB44B', created_time: '2025-12-29T10:43:05+05:30', modified_time: '2025-12-29T10:43:05+05:30', created_by: admin, modified_by: admin },
  { id: '4876876000000412002', name: 'Vip', color_code: '#F032E6', created_time: '2025-12-29T10:55:07+05:30', modified_time: '2025-12-29T11:00:00+05:30', created_by: admin, modified_by: admin },
];

const contact = (id: string, phone: string | null, mobile: string | null, modified: string, tags: number[], name: string): ZohoContact => ({
  id,
  First_Name: name,
  Last_Name: 'Khan',
  Email: `${name.toLowerCase()}@example.com`,
  Phone: phone,
  Mobile: mobile,
  Tag: tags.map((index) => ({ id: zohoTags[index]!.id, name: zohoTags[index]!.name, color_code: zohoTags[index]!.color_code })),
  Created_Time: '2024-03-01T09:00:00+05:30',
  Modified_Time: modified,
  Created_By: admin,
  Modified_By: admin,
});

/** The fake's contacts: one per case the engine must get right. */
export const zohoContacts: ZohoContact[] = [
  // Ayesha: stored nationally with a dash; asked as +92 / 92… / 0300….
  contact('4876876000000500001', '0300-1234567', null, '2026-01-10T12:00:00+05:30', [0], 'Ayesha'),
  // Bilal and Bilal's old record: the same mobile twice; the newer must win.
  contact('4876876000000500002', null, '+92 321 7654321', '2026-02-01T08:00:00+05:30', [1], 'Bilal'),
  contact('4876876000000500003', '+923217654321', null, '2025-05-01T08:00:00+05:30', [0], 'Bilal-old'),
  // Chaudhry: a near miss for Ayesha's number (same last 7 digits, another operator): never Ayesha's answer.
  contact('4876876000000500004', '0333-1234567', null, '2026-03-01T08:00:00+05:30', [1], 'Chaudhry'),
];

export interface FakeZoho extends FakeCrm {
  /** What a token request with the wrong client or refresh token gets: Zoho's 200 with an error. */
  readonly tokenUrl: string;
  readonly apiBase: string;
  /** Every access token handed out so far becomes invalid (the CRM answers 401 INVALID_TOKEN). */
  expireTokens(): void;
  contacts: ZohoContact[];
  /** Seconds in the next token answers' `expires_in`. */
  expiresIn: number;
}

/**
 * A fake Zoho CRM (accounts server and API on one loopback origin): the OAuth refresh-token grant
 * with `api_domain` and `expires_in`, `GET /crm/v8/{module}/search?phone=` matching loosely on the
 * last seven digits (as the real one matches near spellings) and answering 204 when none,
 * `GET /crm/v8/settings/tags?module=`, and 401 `INVALID_TOKEN` for a token it did not issue or expired.
 */
export async function startFakeZoho(): Promise<FakeZoho> {
  const state = { contacts: [...zohoContacts], expiresIn: 3600 };
  let origin = '';
  // Zoho's accounts server answers its errors with 200, and its refresh answer names no refresh token (the one sent stays valid).
  const oauth = fakeOAuth({
    grants: ['refresh_token'],
    queryToo: true,
    clients: { [zohoCredentials.clientId]: zohoCredentials.clientSecret },
    refreshTokens: [zohoCredentials.refreshToken],
    rotation: 'omitted',
    refused: { grant: () => ({ status: 200, body: { error: 'unsupported_grant_type' } }), client: () => ({ status: 200, body: { error: 'invalid_client' } }), refreshToken: () => ({ status: 200, body: { error: 'invalid_code' } }) },
    accessToken: (issued) => `1000.access.${issued}.${Math.random().toString(16).slice(2)}`,
    answer: () => ({ scope: 'ZohoCRM.modules.contacts.READ ZohoCRM.settings.tags.READ', api_domain: origin, token_type: 'Bearer', expires_in: state.expiresIn }),
  });
  const authorized = (headers: Record<string, string | string[] | undefined>) => oauth.authorized(headers.authorization, 'Zoho-oauthtoken');
  const invalidToken = { status: 401, body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' } };
  const fake = await startFakeCrm([
    { name: 'token', method: 'POST', path: /^\/oauth\/v2\/token$/, handle: oauth.handle },
    {
      name: 'search',
      method: 'GET',
      path: /^\/crm\/v8\/(Contacts|Leads)\/search$/,
      handle: ({ headers, query, path }) => {
        if (!authorized(headers)) return invalidToken;
        if (!path.includes('Contacts')) return { status: 204 };
        const phone = query.get('phone');
        if (phone === null) return { status: 400, body: { code: 'REQUIRED_PARAM_MISSING', details: { param: 'criteria' }, message: 'One of the expected parameter is missing', status: 'error' } };
        const hits = state.contacts.filter((record) => [record.Phone, record.Mobile].some((stored) => stored !== null && tail(stored) === tail(phone)));
        if (hits.length === 0) return { status: 204 };
        return { status: 200, body: { data: hits, info: { per_page: 200, count: hits.length, page: 1, more_records: false } } };
      },
    },
    {
      name: 'tags',
      method: 'GET',
      path: /^\/crm\/v8\/settings\/tags$/,
      handle: ({ headers, query }) => {
        if (!authorized(headers)) return invalidToken;
        if (query.get('module') === null) return { status: 400, body: { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'module' }, message: 'required param missing', status: 'error' } };
        return { status: 200, body: { tags: zohoTags } };
      },
    },
  ]);
  origin = fake.origin;
  return withState({ ...fake, tokenUrl: `${fake.origin}/oauth/v2/token`, apiBase: `${fake.origin}/crm/v8`, expireTokens: oauth.expireTokens }, state);
}

/** The environment a Zoho profile reads, pointed at the fake. */
export const zohoEnv = (fake: FakeZoho, override: Record<string, string> = {}) => ({
  PRC_CRM_CLIENT_ID: zohoCredentials.clientId,
  PRC_CRM_CLIENT_SECRET: zohoCredentials.clientSecret,
  PRC_CRM_REFRESH_TOKEN: zohoCredentials.refreshToken,
  PRC_CRM_TOKEN_URL: fake.tokenUrl,
  ...override,
});
