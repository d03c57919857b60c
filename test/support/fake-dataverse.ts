import { type FakeCrm, startFakeCrm, withState } from './fake-crm.js';
import { fakeOAuth } from './fake-oauth.js';
import { ODataSyntaxError, ODataUnknownPropertyError, odataQuery, parseFilter } from './odata-filter.js';

/**
 * A fake Microsoft Dataverse (Dynamics 365) environment and its Microsoft Entra ID token
 * endpoint, on one loopback origin, following Microsoft's documented Web API:
 * - `POST /{tenant}/oauth2/v2.0/token`, the client credentials grant: `{ token_type, expires_in,
 *   ext_expires_in, access_token }`, or Entra's errors (`invalid_client` AADSTS7000215 for a wrong
 *   secret, `invalid_request` AADSTS90002 for an unknown tenant, `invalid_resource` AADSTS500011
 *   for a scope that is not this environment's `/.default`);
 * - `GET /api/data/v9.2/contacts?$select&$filter&$orderby&$top`: the `$filter` is parsed (eq,
 *   endswith, or, and, string literals with doubled quotes) and evaluated exactly, as Dataverse
 *   does, so a formatted stored number is found only by `endswith`; the answer is
 *   `{ "@odata.context", "value": [ … ] }` with only the selected columns, the formatted-value
 *   annotations when `Prefer: odata.include-annotations` asks for them, and an empty `value` for none;
 * - `GET /api/data/v9.2/EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='…')/Microsoft.Dynamics.CRM.{type}`
 *   with `$expand=OptionSet`: the choice column's options with `Value`, `Color` and `Label`;
 * - OData errors `{ "error": { "code": "0x…", "message": … } }`, and 401 with `WWW-Authenticate`
 *   and no body for a token it did not issue (or that expired).
 */

export const dataverseTenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const dataverseCredentials = { clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d', clientSecret: 'Dv8Q~secret.value_0123456789abcdefghij' } as const;
/** An app registration of the tenant that has no application user in the environment: its tokens are refused (403). */
export const appWithoutUser = { clientId: '0d2a6c9e-77b1-4c55-9f0e-6a3b2c1d0e9f', clientSecret: 'Xy7Q~other.secret_abcdefghij0123456789' } as const;
/** The multi-select choice column of the labels, and a single-choice one. */
export const LABEL_COLUMN = 'new_prioritytier';
export const SINGLE_CHOICE_COLUMN = 'new_tier';

const label = (text: string) => {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: false, MetadataId: '00000000-0000-0000-0000-000000000000', HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
};
const option = (value: number, text: string, color: string | null) => ({
  Value: value,
  Color: color,
  IsManaged: false,
  ExternalValue: '',
  ParentValues: [],
  Tag: null,
  IsHidden: false,
  MetadataId: null,
  HasChanged: null,
  Label: label(text),
  Description: label(''),
});

/** The options of the label column (Silver has no colour: Dataverse gives null). */
export const dataverseOptions = [option(100000000, 'Gold', '#FFD700'), option(100000001, 'Vip', '#800080'), option(100000002, 'Silver', null)];

const ATTRIBUTES: Record<string, { type: string; options: ReturnType<typeof option>[] }> = {
  [LABEL_COLUMN]: { type: 'MultiSelectPicklistAttributeMetadata', options: dataverseOptions },
  [SINGLE_CHOICE_COLUMN]: { type: 'PicklistAttributeMetadata', options: dataverseOptions.slice(0, 2) },
};

const admin = { id: '8f4c1c3a-4a1b-ef11-840a-000d3a4f2d10', name: 'Patricia Boyle' };

/** A contact row as Dataverse stores it (the columns the profile reads, and a few it does not). */
export type DataverseContact = Record<string, string | number | null>;

const contact = (id: string, name: string, phones: Partial<Record<'telephone1' | 'mobilephone' | 'telephone2' | 'telephone3', string>>, modifiedon: string, tiers: string | null, tier: number | null = null, statecode = 0): DataverseContact => ({
  contactid: id,
  firstname: name,
  lastname: 'Khan',
  fullname: `${name} Khan`,
  emailaddress1: `${name.toLowerCase()}@example.com`,
  telephone1: null,
  mobilephone: null,
  telephone2: null,
  telephone3: null,
  ...phones,
  createdon: '2024-03-01T04:00:00Z',
  modifiedon,
  _createdby_value: admin.id,
  _modifiedby_value: admin.id,
  [LABEL_COLUMN]: tiers,
  [SINGLE_CHOICE_COLUMN]: tier,
  statecode,
  versionnumber: 1234567,
});

export const dataverseContacts: DataverseContact[] = [
  // Ayesha: stored formatted, so only `endswith(telephone1,'2223344')` finds her.
  contact('5a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01', 'Ayesha', { telephone1: '0300 2223344' }, '2026-01-10T07:00:00Z', '100000000,100000001', 100000000),
  // Bilal twice (mobile, and home phone of an older record): the newer must win.
  contact('5a1b2c3d-0002-4e5f-8a9b-0c1d2e3f4a02', 'Bilal', { mobilephone: '+923217654321' }, '2026-02-01T03:00:00Z', '100000001', 100000001),
  contact('5a1b2c3d-0003-4e5f-8a9b-0c1d2e3f4a03', 'Bilal-old', { telephone2: '03217654321' }, '2025-05-01T03:00:00Z', null),
  // A near miss for Ayesha's number (same last seven digits, another operator), and the newest row.
  contact('5a1b2c3d-0004-4e5f-8a9b-0c1d2e3f4a04', 'Chaudhry', { telephone1: '0333 2223344' }, '2026-03-01T03:00:00Z', '100000002'),
  // Ayesha's duplicate, merged into her record and so deactivated (statecode 1) at a later time: never answered.
  contact('5a1b2c3d-0005-4e5f-8a9b-0c1d2e3f4a05', 'Ayesha-merged', { mobilephone: '+923002223344' }, '2026-04-01T03:00:00Z', '100000002', null, 1),
];

const CONTACT_COLUMNS = new Set(Object.keys(dataverseContacts[0]!));
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

const odataError = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
const entraError = (status: number, error: string, code: number, description: string) => ({
  status,
  body: {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: 0f0e1d2c-3b4a-5968-7f80-91a2b3c4d5e6\r\nCorrelation ID: 6e5d4c3b-2a19-0807-f6e5-d4c3b2a19080\r\nTimestamp: 2026-12-06 19:00:00Z`,
    error_codes: [code],
    timestamp: '2026-12-06 19:00:00Z',
    trace_id: '0f0e1d2c-3b4a-5968-7f80-91a2b3c4d5e6',
    correlation_id: '6e5d4c3b-2a19-0807-f6e5-d4c3b2a19080',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  },
});

export interface FakeDataverse extends FakeCrm {
  /** The token URL of the fake's tenant (PRC_CRM_TOKEN_URL). */
  readonly tokenUrl: string;
  /** Every access token handed out so far becomes invalid (401). */
  expireTokens(): void;
  contacts: DataverseContact[];
  /** The `$filter` of each contacts query, as the fake decoded it. */
  filters(): string[];
}

export async function startFakeDataverse(): Promise<FakeDataverse> {
  const state = { contacts: [...dataverseContacts] };
  let origin = '';
  // Entra ID's client credentials grant: the tenant in the path, the scope this environment's /.default, its errors AADSTS-coded.
  const oauth = fakeOAuth({
    grants: ['client_credentials'],
    clients: Object.fromEntries([dataverseCredentials, appWithoutUser].map((app) => [app.clientId, app.clientSecret])),
    before: ({ path }) => {
      const tenant = path.split('/')[1];
      return tenant === dataverseTenant ? undefined : entraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    },
    refused: {
      grant: () => entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
      client: (why, clientId) =>
        why === 'unknown'
          ? entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`)
          : entraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
    },
    after: (form) => (form.get('scope') === `${origin}/.default` ? undefined : entraError(400, 'invalid_resource', 500011, `The resource principal named ${form.get('scope')} was not found in the tenant named ${dataverseTenant}.`)),
    accessToken: (issued) => `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-${issued}.${Math.random().toString(36).slice(2)}`,
    answer: () => ({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 }),
  });
  /** 401 for a token the fake did not issue; 403 for one of an app without an application user; else undefined. */
  const refused = (header: string | string[] | undefined) => {
    if (!oauth.authorized(header)) return unauthorized();
    if (oauth.clientOf(String(header).slice('Bearer '.length)) === appWithoutUser.clientId) return odataError(403, '0x80072560', 'The user is not a member of the organization.');
    return undefined;
  };
  const unauthorized = () => ({
    status: 401,
    headers: { 'www-authenticate': `Bearer error=invalid_token, error_description=The access token is invalid or expired, authorization_uri=https://login.microsoftonline.com/${dataverseTenant}/oauth2/authorize, resource_id=${origin}` },
  });
  const fake = await startFakeCrm([
    { name: 'token', method: 'POST', path: /^\/[^/]+\/oauth2\/v2\.0\/token$/, handle: oauth.handle },
    {
      name: 'contacts',
      method: 'GET',
      path: /^\/api\/data\/v9\.2\/contacts$/,
      handle: ({ headers, search }) => {
        const refusal = refused(headers.authorization);
        if (refusal !== undefined) return refusal;
        const options = odataQuery(search);
        const select = options.get('$select')?.split(',') ?? [...CONTACT_COLUMNS];
        for (const column of select) if (!CONTACT_COLUMNS.has(column)) return odataError(400, '0x80060888', `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.contact'.`);
        let rows = state.contacts;
        const filter = options.get('$filter');
        if (filter !== undefined) {
          try {
            const predicate = parseFilter(filter, CONTACT_COLUMNS);
            rows = rows.filter(predicate);
          } catch (error) {
            if (error instanceof ODataUnknownPropertyError) return odataError(400, '0x80060888', `Could not find a property named '${error.property}' on type 'Microsoft.Dynamics.CRM.contact'.`);
            if (error instanceof ODataSyntaxError) return odataError(400, '0x80060888', error.message);
            throw error;
          }
        }
        const orderBy = options.get('$orderby');
        if (orderBy !== undefined) {
          const [column, direction = 'asc'] = orderBy.split(' ');
          if (!CONTACT_COLUMNS.has(column!)) return odataError(400, '0x80060888', `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.contact'.`);
          const sign = direction === 'desc' ? -1 : 1;
          rows = [...rows].sort((a, b) => sign * String(a[column!]).localeCompare(String(b[column!])));
        }
        const top = options.get('$top');
        if (top !== undefined) {
          if (!/^\d+$/.test(top)) return odataError(400, '0x80060888', `Invalid value '${top}' for $top query option found.`);
          rows = rows.slice(0, Number(top));
        }
        const formatted = /odata\.include-annotations="[^"]*(FormattedValue|\*)/.test(String(headers.prefer ?? ''));
        const value = rows.map((row) => {
          const out: Record<string, unknown> = { '@odata.etag': `W/"${String(row.versionnumber)}"` };
          for (const column of new Set(['contactid', ...select])) {
            out[column] = row[column];
            if (formatted && (column === '_createdby_value' || column === '_modifiedby_value') && row[column] !== null) out[`${column}${FORMATTED}`] = admin.name;
            if (formatted && (column === LABEL_COLUMN || column === SINGLE_CHOICE_COLUMN) && row[column] !== null) {
              out[`${column}${FORMATTED}`] = String(row[column]).split(',').map((id) => dataverseOptions.find((candidate) => String(candidate.Value) === id)?.Label.UserLocalizedLabel.Label).join('; ');
            }
          }
          return out;
        });
        return { status: 200, headers: { 'odata-version': '4.0', ...(formatted ? { 'preference-applied': 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } : {}) }, body: { '@odata.context': `${origin}/api/data/v9.2/$metadata#contacts(${select.join(',')})`, value } };
      },
    },
    {
      name: 'attribute',
      method: 'GET',
      path: /^\/api\/data\/v9\.2\/EntityDefinitions\(/,
      handle: ({ headers, path, search }) => {
        const refusal = refused(headers.authorization);
        if (refusal !== undefined) return refusal;
        const match = /^\/api\/data\/v9\.2\/EntityDefinitions\(LogicalName='((?:[^']|'')*)'\)\/Attributes\(LogicalName='((?:[^']|'')*)'\)\/Microsoft\.Dynamics\.CRM\.(\w+)$/.exec(decodeURIComponent(path));
        if (match === null) return odataError(400, '0x80060888', `Resource not found for the segment '${decodeURIComponent(path).split('/').at(-1)}'.`);
        const [, entity, attributeName, type] = match;
        if (entity !== 'contact') return odataError(404, '0x80040217', `Could not find an entity with the name '${entity}'.`);
        const name = attributeName!.replaceAll("''", "'");
        const attribute = ATTRIBUTES[name];
        if (attribute === undefined) return odataError(404, '0x80040217', `Could not find attribute with name '${name}' for entity 'contact'.`);
        if (attribute.type !== type) return odataError(404, '0x80060888', `The attribute '${name}' is a ${attribute.type}, not a ${type}.`);
        const expand = odataQuery(search).get('$expand') ?? '';
        return {
          status: 200,
          body: {
            '@odata.context': `${origin}/api/data/v9.2/$metadata#EntityDefinitions('contact')/Attributes/Microsoft.Dynamics.CRM.${type}(LogicalName,OptionSet(Options))/$entity`,
            LogicalName: name,
            MetadataId: '2b3c4d5e-6f70-8192-a3b4-c5d6e7f80912',
            ...(expand.startsWith('OptionSet') ? { OptionSet: { MetadataId: '3c4d5e6f-7081-92a3-b4c5-d6e7f8091223', Options: attribute.options } } : {}),
          },
        };
      },
    },
  ]);
  origin = fake.origin;
  const filters = () => fake.received.filter((request) => request.path.endsWith('/contacts')).map((request) => odataQuery(request.search).get('$filter') ?? '');
  return withState({ ...fake, tokenUrl: `${fake.origin}/${dataverseTenant}/oauth2/v2.0/token`, expireTokens: oauth.expireTokens, filters }, state);
}

/** The environment the dataverse profile reads, pointed at the fake. */
export const dataverseEnv = (fake: FakeDataverse, override: Record<string, string | undefined> = {}) => ({
  PRC_CRM_BASE_URL: fake.origin,
  PRC_CRM_TOKEN_URL: fake.tokenUrl,
  PRC_CRM_CLIENT_ID: dataverseCredentials.clientId,
  PRC_CRM_CLIENT_SECRET: dataverseCredentials.clientSecret,
  PRC_CRM_LABEL_PROPERTY: LABEL_COLUMN,
  ...override,
});
