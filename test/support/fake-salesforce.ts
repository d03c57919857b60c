import { type FakeCrm, startFakeCrm, tail, withState } from './fake-crm.js';
import { type FakeOAuth, fakeOAuth } from './fake-oauth.js';

/**
 * A fake Salesforce org (My Domain, token endpoint and REST API v62.0 on one loopback origin),
 * following Salesforce's REST API documents: the OAuth 2.0 client credentials flow of a connected
 * app (an answer with `instance_url` and no `expires_in`), the refresh token flow (with the app's
 * refresh token rotation: a new refresh token in each answer, the one sent revoked), SOSL through `GET …/search?q=FIND {…}
 * IN PHONE FIELDS RETURNING Contact(…)` (the FIND term really parsed: escapes undone, OR terms
 * split, unescaped reserved characters refused as MALFORMED_SEARCH), `GET …/sobjects/Contact/describe`,
 * and errors as Salesforce writes them: a list of `{ message, errorCode }`.
 */

export const salesforceCredentials = { clientId: '3MVG9fakeConsumerKey.forPriorityRouting', clientSecret: 'sf-consumer-secret-5E1B0C', refreshToken: '5Aep861fakeRefreshToken.of.the.web.server.flow' } as const;
export const LABEL_FIELD = 'Priority_Tier__c';
const API = '/services/data/v62.0';

type Phones = Partial<Record<'Phone' | 'MobilePhone' | 'HomePhone' | 'OtherPhone' | 'AssistantPhone', string>>;

/** A Contact with the fields the profile asks for (the rest of Salesforce's left out). */
export interface SalesforceContact extends Phones {
  Id: string;
  FirstName: string | null;
  LastName: string;
  Email: string | null;
  CreatedDate: string;
  LastModifiedDate: string;
  CreatedBy: { Name: string };
  LastModifiedBy: { Name: string };
  [LABEL_FIELD]: string | null;
}

const admin = { Name: 'Integration User' };
const contact = (Id: string, FirstName: string, phones: Phones, LastModifiedDate: string, tiers: string | null): SalesforceContact => ({
  Id,
  FirstName,
  LastName: 'Raza',
  Email: `${FirstName.toLowerCase()}@example.com`,
  ...phones,
  CreatedDate: '2024-03-01T09:00:00.000+0000',
  LastModifiedDate,
  CreatedBy: admin,
  LastModifiedBy: { Name: 'Sana Malik' },
  [LABEL_FIELD]: tiers,
});

/** The fake's contacts: one per case the engine must get right. */
export const salesforceContacts: SalesforceContact[] = [
  // Amna: stored nationally with a space, on MobilePhone; asked as +92 / 92… / 0300….
  contact('003Qy00000AmnaAAA', 'Amna', { MobilePhone: '0300 1234567' }, '2026-01-10T06:30:00.000+0000', 'Gold;VIP_Plus'),
  // Bilal and his old record: the same number twice (OtherPhone, Phone); the newer must win.
  contact('003Qy00000BilalAA', 'Bilal', { OtherPhone: '+92 321 7654321' }, '2026-02-01T08:00:00.000+0000', 'VIP_Plus'),
  contact('003Qy00000BilOldA', 'Bilal-old', { Phone: '+923217654321' }, '2025-05-01T08:00:00.000+0000', null),
  // Chaudhry: a near miss of Amna's number (the same last seven digits): SOSL returns it, never the answer.
  contact('003Qy00000ChaudAA', 'Chaudhry', { Phone: '0333-1234567' }, '2026-03-01T08:00:00.000+0000', 'Gold'),
];

const picklistValue = (value: string, label: string, active: boolean) => ({ active, defaultValue: false, label, validFor: null, value });

/** The label field as describe names it: a multi-select picklist, one value inactive. */
export const tierField = {
  name: LABEL_FIELD,
  label: 'Priority Tier',
  type: 'multipicklist',
  length: 4099,
  custom: true,
  nillable: true,
  filterable: true,
  picklistValues: [picklistValue('Gold', 'Gold', true), picklistValue('Silver', 'Silver (retired)', false), picklistValue('VIP_Plus', 'VIP+', true)],
};

/** The describe answer (DescribeSObjectResult): a few of Contact's fields around the label field. */
const describe = (fields: unknown[]) => ({
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  queryable: true,
  searchable: true,
  urls: { describe: `${API}/sobjects/Contact/describe`, sobject: `${API}/sobjects/Contact` },
  fields: [
    { name: 'Id', label: 'Contact ID', type: 'id', length: 18, custom: false, nillable: false, picklistValues: [] },
    { name: 'LastName', label: 'Last Name', type: 'string', length: 80, custom: false, nillable: false, picklistValues: [] },
    { name: 'Phone', label: 'Business Phone', type: 'phone', length: 40, custom: false, nillable: true, picklistValues: [] },
    { name: 'LeadSource', label: 'Lead Source', type: 'picklist', length: 255, custom: false, nillable: true, picklistValues: [picklistValue('Web', 'Web', true), picklistValue('Phone Inquiry', 'Phone Inquiry', true)] },
    ...fields,
  ],
});

/** The fields SOSL may return for a Contact here, by their name in any case. */
const RETURNABLE = ['Id', 'FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone', 'CreatedDate', 'LastModifiedDate', 'CreatedBy.Name', 'LastModifiedBy.Name', LABEL_FIELD];
const PHONE_FIELDS = ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone'] as const;
/** SOSL's reserved characters: in a search term they must be escaped with a backslash. */
const RESERVED = new Set('?&|!{}[]()^~*:\\"\'+-');

const errors = (status: number, errorCode: string, message: string) => ({ status, body: [{ message, errorCode }] });

/** A SOSL `FIND {terms} IN PHONE FIELDS RETURNING Contact(fields) [LIMIT n]`, parsed as Salesforce reads it. */
export function parseSosl(q: string): { terms: string[]; fields: string[]; limit: number } | { error: string } {
  const head = /^\s*FIND\s*\{/i.exec(q);
  if (head === null) return { error: "unexpected token: expecting 'FIND {'" };
  const words: string[][] = [[]];
  let word = '';
  let escaped = false;
  let index = head[0].length;
  for (; index < q.length; index++) {
    const character = q[index]!;
    if (escaped) {
      if (!RESERVED.has(character)) return { error: `line 1:${index} invalid escape sequence '\\${character}'` };
      word += character;
      escaped = false;
    } else if (character === '\\') escaped = true;
    else if (character === '}') break;
    else if (RESERVED.has(character)) return { error: `line 1:${index} mismatched character '${character}' expecting '}'` };
    else if (/\s/.test(character)) {
      // An unescaped OR between words separates terms; other words of a term are ANDed.
      if (word === 'OR') words.push([]);
      else if (word !== '') words.at(-1)!.push(word);
      word = '';
    } else word += character;
  }
  if (index >= q.length) return { error: "line 1: mismatched input '<EOF>' expecting '}'" };
  if (word === 'OR') return { error: "unexpected token: 'OR' ends the search" };
  if (word !== '') words.at(-1)!.push(word);
  const terms = words.map((list) => list.join(' '));
  if (terms.some((term) => term.length < 2)) return { error: 'search term must be longer than one character' };
  const rest = /^\s+IN\s+PHONE\s+FIELDS\s+RETURNING\s+Contact\s*\(([^)]*)\)(?:\s+LIMIT\s+(\d+))?\s*$/i.exec(q.slice(index + 1));
  if (rest === null) return { error: `unexpected token: '${q.slice(index + 1, index + 30)}'` };
  return { terms, fields: rest[1]!.split(',').map((field) => field.trim()), limit: rest[2] === undefined ? 2000 : Number(rest[2]) };
}

/** SOSL matches phone numbers loosely: a stored number whose digits contain the term's last seven. */
const looselyMatches = (record: SalesforceContact, term: string) => {
  const digits = tail(term);
  return digits.length >= 2 && PHONE_FIELDS.some((field) => record[field] !== undefined && record[field]!.replace(/\D/g, '').includes(digits));
};

/** A record as SOSL returns it: `attributes`, then only the fields asked for (relationships as objects). */
function returned(record: SalesforceContact, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: 'Contact', url: `${API}/sobjects/Contact/${record.Id}` } };
  for (const asked of fields) {
    const name = RETURNABLE.find((known) => known.toLowerCase() === asked.toLowerCase())!;
    const [first, second] = name.split('.') as [keyof SalesforceContact, string | undefined];
    if (second === undefined) out[first] = record[first] ?? null;
    else out[first] = { attributes: { type: 'User', url: `${API}/sobjects/User/005Qy00000IntegAA` }, [second]: (record[first] as Record<string, string>)[second] };
  }
  return out;
}

export interface FakeSalesforce extends FakeCrm {
  /** The My Domain URL: PRC_CRM_BASE_URL. */
  readonly myDomain: string;
  /** Every access token handed out so far is refused from now on (401 INVALID_SESSION_ID). */
  expireTokens(): void;
  contacts: SalesforceContact[];
  /** What the token answer names as `instance_url` (default: this server). */
  instanceUrl: string;
  /** Whether the connected app has a Run As user for the client credentials flow (else `invalid_grant`). */
  runAsUser: boolean;
  /** The token endpoint; `oauth.rotation = 'new-revokes-old'` is an app with refresh token rotation. */
  readonly oauth: FakeOAuth;
  /** The SOSL `q` of each search received, parsed. */
  searches(): ReturnType<typeof parseSosl>[];
}

export async function startFakeSalesforce(): Promise<FakeSalesforce> {
  let apiUsage = 0;
  const state = { contacts: [...salesforceContacts], runAsUser: true };
  let instanceUrl = '';
  const invalidSession = errors(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  /** Every API answer carries the org's API usage, as Salesforce's do. */
  const api = (answer: { status: number; body?: unknown }) => ({ ...answer, headers: { 'sforce-limit-info': `api-usage=${++apiUsage}/15000` } });
  let origin = '';
  const oauthError = (error: string, description: string) => ({ status: 400, body: { error, error_description: description } });
  // The client credentials flow (no expires_in, the API at instance_url), and the refresh token flow
  // of a web server flow's refresh token: no refresh token in its answer, unless the app has refresh
  // token rotation, when the answer carries a new one and the one sent is revoked.
  const oauth = fakeOAuth({
    grants: ['client_credentials', 'refresh_token'],
    clients: { [salesforceCredentials.clientId]: salesforceCredentials.clientSecret },
    refreshTokens: [salesforceCredentials.refreshToken],
    rotation: 'omitted',
    refused: {
      grant: () => oauthError('unsupported_grant_type', 'grant type not supported'),
      client: () => oauthError('invalid_client', 'invalid client credentials'),
      refreshToken: () => oauthError('invalid_grant', 'expired access/refresh token'),
    },
    after: (form) => (form.get('grant_type') === 'client_credentials' && !state.runAsUser ? oauthError('invalid_grant', 'no client credentials user enabled') : undefined),
    accessToken: (issued) => `00DQy00000FakeOrg!AQ${issued}.${Math.random().toString(36).slice(2)}`,
    newRefreshToken: (issued) => `5Aep861rotated.${issued}.${Math.random().toString(36).slice(2)}`,
    answer: (_token, _client, issued) => ({
      signature: Buffer.from(`signature-${issued}`).toString('base64'),
      scope: 'api',
      instance_url: instanceUrl || origin,
      id: `${origin}/id/00DQy00000FakeOrgAA/005Qy00000IntegAA`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
    }),
  });
  const authorized = (header: string | string[] | undefined) => oauth.authorized(header);
  const fake = await startFakeCrm([
    { name: 'token', method: 'POST', path: /^\/services\/oauth2\/token$/, handle: oauth.handle },
    {
      name: 'search',
      method: 'GET',
      path: /^\/services\/data\/v62\.0\/search\/?$/,
      handle: ({ headers, query }) => {
        if (!authorized(headers.authorization)) return invalidSession;
        const q = query.get('q');
        if (q === null) return api(errors(400, 'MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.'));
        const sosl = parseSosl(q);
        if ('error' in sosl) return api(errors(400, 'MALFORMED_SEARCH', sosl.error));
        const unknown = sosl.fields.find((field) => !RETURNABLE.some((known) => known.toLowerCase() === field.toLowerCase()));
        if (unknown !== undefined) return api(errors(400, 'INVALID_FIELD', `\n${sosl.fields.join(', ')}\n ^\nERROR at Row:1:Column:1\nNo such column '${unknown}' on entity 'Contact'.`));
        const hits = state.contacts.filter((record) => sosl.terms.some((term) => looselyMatches(record, term)));
        return api({ status: 200, body: { searchRecords: hits.slice(0, sosl.limit).map((record) => returned(record, sosl.fields)) } });
      },
    },
    {
      name: 'describe',
      method: 'GET',
      path: /^\/services\/data\/v62\.0\/sobjects\/Contact\/describe\/?$/,
      handle: ({ headers }) => (authorized(headers.authorization) ? api({ status: 200, body: describe([tierField]) }) : invalidSession),
    },
  ]);
  origin = fake.origin;
  return withState(
    {
      ...fake,
      myDomain: fake.origin,
      expireTokens: oauth.expireTokens,
      oauth,
      searches: () => fake.received.filter((request) => request.path.endsWith('/search')).map((request) => parseSosl(request.query.get('q') ?? '')),
      reset: () => {
        fake.reset();
        oauth.restore();
      },
      get instanceUrl() {
        return instanceUrl || origin;
      },
      set instanceUrl(url: string) {
        instanceUrl = url;
      },
    },
    state,
  );
}

/** The environment the salesforce profile reads, pointed at the fake. */
export const salesforceEnv = (fake: FakeSalesforce, override: Record<string, string | undefined> = {}) => ({
  PRC_CRM_BASE_URL: fake.myDomain,
  PRC_CRM_CLIENT_ID: salesforceCredentials.clientId,
  PRC_CRM_CLIENT_SECRET: salesforceCredentials.clientSecret,
  PRC_CRM_LABEL_PROPERTY: LABEL_FIELD,
  ...override,
});
