import { type FakeCrm, type Route, startFakeCrm, tail, withState } from './fake-crm.js';
import { type FakeOAuth, fakeOAuth } from './fake-oauth.js';

/**
 * A fake Pipedrive over real HTTP, in the shapes of Pipedrive's published API (v2 PersonItem and
 * PersonSearchItem, v1 personFields, the error body, the rate-limit headers of
 * pipedrive.readme.io/docs/core-api-concepts-rate-limiting, the OAuth token endpoint of
 * developers.pipedrive.com/docs/api/v1/Oauth).
 */

/** A person as GET /api/v2/persons/{id} answers it (PersonItem; contact-sync fields left out). */
export interface PipedrivePerson {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  owner_id: number;
  org_id: number | null;
  add_time: string;
  update_time: string;
  emails: Array<{ value: string; primary: boolean; label: string }>;
  phones: Array<{ value: string; primary: boolean; label: string }>;
  is_deleted: boolean;
  visible_to: number;
  label_ids: number[];
  picture_id: number | null;
  custom_fields: Record<string, unknown>;
}

export const pipedriveToken = '5f3b9c1d2e4a6b8c0d1e2f3a4b5c6d7e8f9a0b1c';
export const pipedriveOAuth = { clientId: 'pd-client-id-1', clientSecret: 'pd-client-secret-7q', refreshToken: '1234:5678:pd-refresh-token' } as const;

/** The person fields as GET /api/v1/personFields lists them: the labels are the options of `label_ids`. */
export const personFields = [
  { id: 9001, key: 'name', name: 'Name', order_nr: 1, field_type: 'varchar', add_time: '2024-01-05 10:00:00', update_time: '2024-01-05 10:00:00', active_flag: true, edit_flag: false, bulk_edit_allowed: true, mandatory_flag: true },
  { id: 9005, key: 'phone', name: 'Phone', order_nr: 5, field_type: 'phone', add_time: '2024-01-05 10:00:00', update_time: '2024-01-05 10:00:00', active_flag: true, edit_flag: false, bulk_edit_allowed: true, mandatory_flag: false },
  {
    id: 9040,
    key: 'label_ids',
    name: 'Labels',
    order_nr: 9,
    field_type: 'set',
    add_time: '2024-01-05 10:00:00',
    update_time: '2025-06-01 10:00:00',
    active_flag: true,
    edit_flag: false,
    bulk_edit_allowed: true,
    mandatory_flag: false,
    options: [
      { id: 1, label: 'Gold', color: 'yellow' },
      { id: 2, label: 'Vip', color: 'purple' },
      { id: 3, label: 'Churn risk', color: 'dark-gray' },
      { id: 4, label: 'Custom', color: 'teal' },
    ],
  },
];

const person = (id: number, first: string, last: string, phones: string[], labels: number[], updated: string): PipedrivePerson => ({
  id,
  name: `${first} ${last}`,
  first_name: first,
  last_name: last,
  owner_id: 13540546,
  org_id: null,
  add_time: '2024-03-01T09:00:00Z',
  update_time: updated,
  emails: [
    { value: `${first.toLowerCase()}@work.example`, primary: false, label: 'work' },
    { value: `${first.toLowerCase()}@example.com`, primary: true, label: 'home' },
  ],
  phones: phones.map((value, index) => ({ value, primary: index === 0, label: index === 0 ? 'mobile' : 'work' })),
  is_deleted: false,
  visible_to: 3,
  label_ids: labels,
  picture_id: null,
  custom_fields: {},
});

/** The fake's persons: one per case the engine must get right. */
export const pipedrivePersons: PipedrivePerson[] = [
  // Ayesha: stored in E.164, with a work number second.
  person(101, 'Ayesha', 'Khan', ['+923001234567', '021 34567890'], [1, 2], '2026-01-10T06:30:00Z'),
  // Bilal and Bilal's old record: the same number (as typed, nationally) twice; the newer must win.
  person(102, 'Bilal', 'Ahmed', ['03217654321'], [2], '2026-02-01T08:00:00Z'),
  person(103, 'Bilal', 'Ahmed (old)', ['03217654321'], [], '2025-05-01T08:00:00Z'),
  // A near miss of Ayesha's number (the same last seven digits): found by a loose search only.
  person(104, 'Zain', 'Near', ['+923331234567'], [1], '2026-03-01T08:00:00Z'),
];

const errorInfo = 'Please check developers.pipedrive.com for more information about Pipedrive API.';
const unauthorized = { status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401, error_info: errorInfo } };
const SEARCH_FIELDS = ['name', 'email', 'phone', 'notes', 'custom_fields'];

export interface FakePipedrive extends FakeCrm {
  persons: PipedrivePerson[];
  readonly tokenUrl: string;
  /** Every OAuth access token handed out so far becomes invalid (401). */
  expireTokens(): void;
  /** The token endpoint: the refresh tokens sent and which work. */
  readonly oauth: FakeOAuth;
  /** From now on at most `limit` requests per window of `windowMs` (Pipedrive's is 2 s); beyond, 429 with Retry-After. */
  limitRate(limit: number, windowMs: number): void;
  /** The search requests' query parameters, in order. */
  searches(): Array<Record<string, string>>;
  /** Custom person fields listed before the built-in ones (a company with many: label_ids on a later page). */
  customFields: PipedriveField[];
}

/** A person field as GET /api/v1/personFields lists it. */
export type PipedriveField = (typeof personFields)[number] | Omit<(typeof personFields)[0], 'options'>;

/** `count` custom text fields (`key` a 40-hex hash, as Pipedrive names custom fields). */
export const customPersonFields = (count: number): PipedriveField[] =>
  Array.from({ length: count }, (_, index) => ({
    id: 12000 + index,
    key: (index + 1).toString(16).padStart(40, 'a'),
    name: `Custom ${index + 1}`,
    order_nr: 10 + index,
    field_type: 'varchar',
    add_time: '2025-01-05 10:00:00',
    update_time: '2025-01-05 10:00:00',
    active_flag: true,
    edit_flag: true,
    bulk_edit_allowed: true,
    mandatory_flag: false,
  }));

/**
 * A fake Pipedrive: `GET /api/v2/persons/search` (really searches: `exact_match=true` compares
 * the term with each stored phone text, case-insensitively; without it, loosely by the last seven
 * digits; `term` at least 2 characters, or 1 with `exact_match`), `GET /api/v2/persons/{id}` (404
 * "Person not found"), `GET /api/v1/personFields`, `api_token` in the query or an OAuth
 * `Bearer` token, the token endpoint (`POST /oauth/token`, client id and secret in Basic, the answer
 * naming `api_domain` and a new `refresh_token`), and x-ratelimit-* headers on every answer.
 */
export async function startFakePipedrive(): Promise<FakePipedrive> {
  const state = { persons: [...pipedrivePersons], customFields: [] as PipedriveField[] };
  let window = { limit: 80, windowMs: 2000, startedAt: Date.now(), used: 0 };
  let origin = '';
  const invalidGrant = () => ({ status: 400, body: { success: false, message: 'Invalid grant: refresh token is invalid', error: 'invalid_grant' } });
  // Pipedrive's token endpoint: the client in Basic; every answer carries a refresh_token, and one
  // "will expire if it isn't used in 60 days" (each use resets that): the one sent is not revoked.
  const oauth = fakeOAuth({
    grants: ['refresh_token'],
    clientAuth: 'basic',
    clients: { [pipedriveOAuth.clientId]: pipedriveOAuth.clientSecret },
    refreshTokens: [pipedriveOAuth.refreshToken],
    rotation: 'new',
    refreshTokenIdleMs: 60 * 24 * 3600_000,
    refused: { grant: invalidGrant, client: () => ({ status: 401, body: { success: false, message: 'Invalid client credentials', error: 'invalid_client' } }), refreshToken: invalidGrant },
    accessToken: (issued) => `v1u:pd-access-${issued}`,
    newRefreshToken: (issued) => `1234:5678:pd-refresh-${issued}`,
    answer: () => ({ token_type: 'Bearer', scope: 'contacts:read', expires_in: 3599, api_domain: origin }),
  });

  /** Auth and the rate limit, as every API answer has them. */
  const api = (handle: Route): Route => async (request) => {
    const now = Date.now();
    if (now - window.startedAt >= window.windowMs) window = { ...window, startedAt: now, used: 0 };
    const reset = Math.max(1, Math.ceil((window.startedAt + window.windowMs - now) / 1000));
    const limits = { 'x-ratelimit-limit': String(window.limit), 'x-ratelimit-remaining': String(Math.max(0, window.limit - window.used - 1)), 'x-ratelimit-reset': String(reset) };
    if (window.used >= window.limit) {
      return { status: 429, headers: { ...limits, 'retry-after': String(reset) }, body: { success: false, error: 'Request over limit', errorCode: 429, error_info: errorInfo } };
    }
    window.used += 1;
    if (request.query.get('api_token') !== pipedriveToken && !oauth.authorized(request.headers.authorization)) return { ...unauthorized, headers: limits };
    const answer = await handle(request);
    return { ...answer, headers: { ...limits, ...answer.headers } };
  };

  const fake = await startFakeCrm([
    {
      name: 'search',
      method: 'GET',
      path: /^\/api\/v2\/persons\/search$/,
      handle: api(({ query }) => {
        const term = query.get('term') ?? '';
        const exact = query.get('exact_match') === 'true';
        const fields = (query.get('fields') ?? SEARCH_FIELDS.join(',')).split(',');
        if (term.length < (exact ? 1 : 2)) return { status: 400, body: { success: false, error: `Validation failed: term: Parameter 'term' must have at least ${exact ? 1 : 2} characters`, code: 'ERR_SCHEMA_VALIDATION_FAILED', error_info: errorInfo } };
        if (fields.some((field) => !SEARCH_FIELDS.includes(field))) return { status: 400, body: { success: false, error: 'Validation failed: fields: Invalid field', code: 'ERR_SCHEMA_VALIDATION_FAILED', error_info: errorInfo } };
        const limit = Math.min(500, Number(query.get('limit') ?? 100));
        const same = (stored: string) => (exact ? stored.toLowerCase() === term.toLowerCase() : tail(stored) !== '' && tail(stored) === tail(term));
        const hits = state.persons.filter(
          (one) =>
            (fields.includes('phone') && one.phones.some((phone) => same(phone.value))) ||
            (fields.includes('name') && (exact ? one.name.toLowerCase() === term.toLowerCase() : one.name.toLowerCase().includes(term.toLowerCase()))) ||
            (fields.includes('email') && one.emails.some((email) => same(email.value))),
        );
        const items = hits.slice(0, limit).map((one, index) => ({
          result_score: Number((1.5 - index * 0.1).toFixed(4)),
          item: { id: one.id, type: 'person', name: one.name, phones: one.phones.map((phone) => phone.value), emails: one.emails.map((email) => email.value), visible_to: one.visible_to, owner: { id: one.owner_id }, organization: null, custom_fields: [], notes: [] },
        }));
        return { status: 200, body: { success: true, data: { items }, additional_data: { next_cursor: hits.length > limit ? Buffer.from(`${limit}`).toString('base64') : null } } };
      }),
    },
    {
      name: 'person',
      method: 'GET',
      path: /^\/api\/v2\/persons\/[^/]+$/,
      handle: api(({ path }) => {
        const id = decodeURIComponent(path.split('/').at(-1)!);
        if (!/^\d+$/.test(id)) return { status: 400, body: { success: false, error: 'Validation failed: id: Parameter id must be an integer', code: 'ERR_SCHEMA_VALIDATION_FAILED', error_info: errorInfo } };
        const found = state.persons.find((one) => one.id === Number(id));
        return found === undefined ? { status: 404, body: { success: false, error: 'Person not found', error_info: errorInfo, data: null, additional_data: null } } : { status: 200, body: { success: true, data: found } };
      }),
    },
    {
      name: 'personFields',
      method: 'GET',
      path: /^\/api\/v1\/personFields$/,
      // Paged as Pipedrive's v1 lists are: start (default 0) and limit (default 100, at most 500);
      // additional_data.pagination says whether more follow and, when they do, next_start.
      handle: api(({ query }) => {
        const limit = Math.min(500, Number(query.get('limit') ?? 100));
        const start = Number(query.get('start') ?? 0);
        const fields = [...state.customFields, ...personFields];
        const more = fields.length > start + limit;
        const pagination = { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) };
        return { status: 200, body: { success: true, data: fields.slice(start, start + limit), additional_data: { pagination } } };
      }),
    },
    { name: 'token', method: 'POST', path: /^\/oauth\/token$/, handle: oauth.handle },
  ]);
  origin = fake.origin;
  return withState(
    {
      ...fake,
      tokenUrl: `${fake.origin}/oauth/token`,
      expireTokens: oauth.expireTokens,
      oauth,
      limitRate: (limit: number, windowMs: number) => {
        window = { limit, windowMs, startedAt: Date.now(), used: 0 };
      },
      searches: () => fake.received.filter((request) => request.path === '/api/v2/persons/search').map((request) => Object.fromEntries(request.query)),
      reset: () => {
        fake.reset();
        oauth.restore();
        window = { limit: 80, windowMs: 2000, startedAt: Date.now(), used: 0 };
      },
    },
    state,
  );
}

export const pipedriveEnv = (fake: FakePipedrive, override: Record<string, string> = {}) => ({
  PRC_CRM_TOKEN: pipedriveToken,
  PRC_CRM_BASE_URL: fake.origin,
  ...override,
});
