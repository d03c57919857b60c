import { type FakeCrm, startFakeCrm, tail, withState } from './fake-crm.js';
import { fakeOAuth } from './fake-oauth.js';

/** A HubSpot contact as the CRM search API returns it (contacts.json, SimplePublicObject). */
export interface HubSpotContact {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export const hubspotToken = 'pat-eu1-11111111-2222-3333-4444-555555555555';
/** The OAuth app of the profiles that use OAuth2 instead of a private-app token. */
export const hubspotOAuth = { clientId: 'app-id', clientSecret: 'hubspot-app-secret', refreshToken: 'refresh-1' } as const;
export const LABEL_PROPERTY = 'priority_tier';

/** The label property as GET /crm/v3/properties/contacts/{name} returns it (properties.json, Property). */
export const tierProperty = {
  name: LABEL_PROPERTY,
  label: 'Priority tier',
  type: 'enumeration',
  fieldType: 'checkbox',
  groupName: 'contactinformation',
  description: '',
  displayOrder: -1,
  hidden: false,
  hasUniqueValue: false,
  formField: true,
  calculated: false,
  externalOptions: false,
  createdAt: '2024-01-05T10:00:00.000Z',
  updatedAt: '2025-06-01T10:00:00.000Z',
  modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
  options: [
    { label: 'Gold', value: 'gold', displayOrder: 0, hidden: false, description: '' },
    { label: 'Vip', value: 'vip', displayOrder: 1, hidden: false, description: '' },
    { label: 'Old tier', value: 'old', displayOrder: 2, hidden: true, description: 'retired' },
  ],
};

const contact = (id: string, properties: Record<string, string | null>, updatedAt: string): HubSpotContact => ({
  id,
  properties: { createdate: '2024-02-01T10:00:00.000Z', lastmodifieddate: updatedAt, hs_object_id: id, ...properties },
  createdAt: '2024-02-01T10:00:00.000Z',
  updatedAt,
  archived: false,
});

export const hubspotContacts: HubSpotContact[] = [
  contact('151', { firstname: 'Sara', lastname: 'Ahmed', email: 'sara@example.com', phone: '+923001234567', mobilephone: null, [LABEL_PROPERTY]: 'gold;vip' }, '2026-01-01T10:00:00.000Z'),
  contact('152', { firstname: 'Omar', lastname: 'Ali', email: null, phone: null, mobilephone: '03217654321', [LABEL_PROPERTY]: 'vip' }, '2026-02-01T10:00:00.000Z'),
  contact('153', { firstname: 'Omar', lastname: 'Ali (old)', email: null, phone: '+923217654321', mobilephone: null, [LABEL_PROPERTY]: '' }, '2025-01-01T10:00:00.000Z'),
  // A near miss of Sara's number (same last seven digits).
  contact('154', { firstname: 'Zain', lastname: 'Near', email: null, phone: '+923331234567', mobilephone: null, [LABEL_PROPERTY]: null }, '2026-03-01T10:00:00.000Z'),
];

export interface FakeHubSpot extends FakeCrm {
  contacts: HubSpotContact[];
  /** The search bodies received, parsed. */
  searches(): Array<{ filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>; properties: string[]; limit: number }>;
  tokenUrl: string;
  expireTokens(): void;
}

const unauthorized = {
  status: 401,
  body: { status: 'error', message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview', correlationId: 'a43683b0-5717-4ceb-80b4-104d02915d8c', category: 'INVALID_AUTHENTICATION' },
};

/**
 * A fake HubSpot: `POST /crm/v3/objects/contacts/search` (at most 5 filter groups, as HubSpot
 * allows; EQ matched loosely on the last seven digits so near misses come back; 200 with
 * `total: 0` when none), `GET /crm/v3/properties/contacts/{name}`, a private-app token, and an
 * OAuth token endpoint (`/oauth/v1/token`) for profiles that use OAuth2 instead.
 */
export async function startFakeHubSpot(): Promise<FakeHubSpot> {
  const state = { contacts: [...hubspotContacts] };
  // HubSpot's errors are { status, message, correlationId }; its refresh answer repeats the refresh token, which stays valid.
  const refused = (status: string, message: string) => () => ({ status: 400, body: { status, message, correlationId: 'z' } });
  const oauth = fakeOAuth({
    grants: ['refresh_token'],
    clients: { [hubspotOAuth.clientId]: hubspotOAuth.clientSecret },
    refreshTokens: [hubspotOAuth.refreshToken],
    rotation: 'same',
    refused: {
      grant: refused('BAD_GRANT_TYPE', 'missing or invalid grant type'),
      client: (why) => (why === 'unknown' ? refused('BAD_CLIENT_ID', 'missing or invalid client id')() : refused('BAD_CLIENT_SECRET', 'missing or invalid client secret')()),
      refreshToken: refused('BAD_REFRESH_TOKEN', 'missing or invalid refresh token'),
    },
    accessToken: (issued) => `CNq-oauth-${issued}`,
    answer: () => ({ token_type: 'bearer', expires_in: 1800 }),
  });
  const authorized = (header: string | string[] | undefined) => header === `Bearer ${hubspotToken}` || oauth.authorized(header);
  const fake = await startFakeCrm([
    {
      name: 'search',
      method: 'POST',
      path: /^\/crm\/v3\/objects\/contacts\/search$/,
      handle: ({ headers, body }) => {
        if (!authorized(headers.authorization)) return unauthorized;
        const request = JSON.parse(body) as ReturnType<FakeHubSpot['searches']>[number];
        if (request.filterGroups.length > 5) return { status: 400, body: { status: 'error', message: 'Too many filter groups (6). The maximum number of filter groups is 5.', correlationId: 'x', category: 'VALIDATION_ERROR' } };
        const hits = state.contacts.filter((record) =>
          request.filterGroups.some((group) => group.filters.every((filter) => filter.operator === 'EQ' && record.properties[filter.propertyName] != null && tail(record.properties[filter.propertyName]!) === tail(filter.value))),
        );
        const results = hits.slice(0, request.limit).map((record) => ({
          ...record,
          // Only the properties asked for (and the defaults), as HubSpot answers.
          properties: Object.fromEntries(Object.entries(record.properties).filter(([name]) => request.properties.includes(name) || ['createdate', 'lastmodifieddate', 'hs_object_id'].includes(name))),
        }));
        return { status: 200, body: { total: hits.length, results } };
      },
    },
    {
      name: 'property',
      method: 'GET',
      path: /^\/crm\/v3\/properties\/contacts\/[^/]+$/,
      handle: ({ headers, path }) => {
        if (!authorized(headers.authorization)) return unauthorized;
        const name = decodeURIComponent(path.split('/').at(-1)!);
        if (name !== LABEL_PROPERTY) return { status: 404, body: { status: 'error', message: `Unable to find property ${name}`, correlationId: 'y', category: 'OBJECT_NOT_FOUND' } };
        return { status: 200, body: tierProperty };
      },
    },
    { name: 'token', method: 'POST', path: /^\/oauth\/v1\/token$/, handle: oauth.handle },
  ]);
  const searches = () => fake.received.filter((request) => request.path.endsWith('/search')).map((request) => JSON.parse(request.body) as ReturnType<FakeHubSpot['searches']>[number]);
  return withState({ ...fake, tokenUrl: `${fake.origin}/oauth/v1/token`, expireTokens: oauth.expireTokens, searches }, state);
}

export const hubspotEnv = (fake: FakeHubSpot, override: Record<string, string> = {}) => ({
  PRC_CRM_TOKEN: hubspotToken,
  PRC_CRM_BASE_URL: fake.origin,
  PRC_CRM_LABEL_PROPERTY: LABEL_PROPERTY,
  ...override,
});
