import * as z from 'zod';

/**
 * The zod schema of a CRM profile: the one source of truth for `createCrmRepository`'s
 * validation, the TypeScript types and the shipped JSON Schema (`crm-profile.schema.json`,
 * generated from this with `z.toJSONSchema`). Every object is strict, so a misspelt key is named
 * instead of silently ignored. Expressions are JMESPath (https://jmespath.site), evaluated over
 * one result of the CRM's answer.
 */

const nonEmpty = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, { error: `expected ${what}, got an empty string` });

/** A JMESPath expression over one result (compiled when the profile is loaded: a syntax error names its key). */
const expression = nonEmpty('a JMESPath expression').describe('A JMESPath expression (https://jmespath.site) over one result of the answer.');

/** The contract fields a customer result is mapped onto. */
export const CUSTOMER_FIELDS = [
  '_id', 'first_name', 'last_name', 'email', 'phone1', 'phone2', 'phone3', 'phone4', 'phone5',
  'labels', 'createdAt', 'updatedAt', 'created_by', 'updated_by', '__v',
] as const;

/** The contract fields a label result is mapped onto. */
export const LABEL_FIELDS = ['_id', 'name', 'color_code', 'createdAt', 'updatedAt', 'created_by', 'updated_by', '__v'] as const;

const PHONE_FORMS = ['e164', 'international', 'national', 'asked'] as const;

/** A value in a request template: text with `{placeholder}`s, or JSON around it; `{ "$eachPhone": … }` repeats its template once per phone form. */
const template: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(template), z.record(z.string(), template)]),
);

const request = {
  method: z.enum(['GET', 'POST'], { error: 'expected GET or POST' }).default('GET').describe('The HTTP method.'),
  path: z
    .string({ error: 'expected a path (a string)' })
    .regex(/^\//, { error: 'expected a path that starts with "/", appended to baseUrl' })
    .describe('Appended to baseUrl; {placeholder}s are percent-encoded.'),
  query: z
    .record(z.string(), template)
    .optional()
    .describe('Query parameters; a value may be { "$eachPhone": "…{phone}…", "$join": "or" } to put every phone form in one parameter, or { "$join": " or ", "$items": [ … ] } to join several templates (an $eachPhone item repeated per form).'),
  headers: z.record(z.string(), z.string()).optional().describe('Extra request headers (not for credentials: use auth).'),
  body: template.optional().describe('A JSON body; an array item { "$eachPhone": [ … ] } is repeated for each phone form with {phone} set.'),
  each: z
    .record(z.string(), z.array(z.string()).min(1, { error: 'list at least one value' }))
    .optional()
    .describe('Placeholders with several values (e.g. { "module": ["Contacts", "Leads"] }): the request is made for each, in order.'),
  results: expression.describe('Where the list of results is in the answer (JMESPath over the whole answer body).'),
  escape: z
    .record(z.string().length(1, { error: 'expected one character' }), z.string())
    .optional()
    .describe("How placeholder values are escaped for the CRM's query language, character by character (OData: { \"'\": \"''\" })."),
};

/**
 * The chained request: for a search whose hits lack fields (Pipedrive's finds ids but not labels),
 * a second request per hit, `{hit.PATH}` (PATH a JMESPath field path over the hit) filling its
 * templates. At most `limits.maxDetails` hits are fetched, in parallel, inside the lookup's
 * timeout; `fields` then reads the detailed record.
 */
const details = z
  .strictObject({
    ...request,
    results: expression.describe('Where the record is in the answer (JMESPath over the whole answer body); nothing there = the hit is skipped.'),
    phones: expression
      .optional()
      .describe("The numbers a hit already shows (JMESPath over the hit: a string or a list of strings): a hit none of whose numbers is the asked one is not fetched, so near misses cost no request."),
    notFoundStatus: z
      .array(z.number().int())
      .default([404])
      .describe('Statuses that mean "this hit is gone" (default [404]): the hit is skipped; any other failure fails the lookup.'),
  })
  .optional()
  .describe('A second request per search hit ({hit.id} and other {hit.PATH} placeholders), whose record the fields map reads.');

const optional = expression.optional();

/**
 * How the label list goes on past its first page: where an answer says the next page starts (or
 * whether there is one), and the query parameters that ask for it. Pages are read in order, at
 * most `max`; a list with more is an error, not cut silently.
 */
const pages = z
  .strictObject({
    next: expression.describe(
      'Where an answer says the next page starts (JMESPath over the answer: an offset or a cursor): {next} in pages.query. Nothing there (null, empty) ends the list. Pipedrive: additional_data.pagination.next_start.',
    ),
    more: expression
      .optional()
      .describe('A condition over an answer: another page follows when it finds something (not null, false or empty). Pipedrive: additional_data.pagination.more_items_in_collection. Without it, pages go on while next gives a value.'),
    query: z
      .record(z.string(), z.string())
      .describe('Query parameters of the pages after the first, over those of the request, {next} the value next gave. Pipedrive: { "start": "{next}" }.'),
    max: z
      .number({ error: 'expected a number of pages' })
      .int({ error: 'expected a whole number of pages' })
      .min(2, { error: 'expected at least 2 pages' })
      .max(100, { error: 'expected at most 100 pages' })
      .default(10)
      .describe('At most this many pages are read (default 10, at most 100); a list that goes on past them is an error naming this key.'),
  })
  .optional()
  .describe('Paging of the label list (Pipedrive personFields: start and limit).');

/** Whether a text compiles as a JavaScript regular expression. */
function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}
const hexColor = z.string().regex(/^#[0-9A-Fa-f]{6}$/, { error: 'expected a colour as #RRGGBB' });
const audit = { createdAt: optional, updatedAt: optional, created_by: optional, updated_by: optional, __v: optional };

const customerFields = z
  .strictObject({
    _id: expression,
    first_name: optional,
    last_name: optional,
    email: optional,
    phone1: expression,
    phone2: optional,
    phone3: optional,
    phone4: optional,
    phone5: optional,
    labels: optional,
    ...audit,
  })
  .describe('Each contract field: a JMESPath expression over one result.');
const labelFields = z
  .strictObject({ _id: expression, name: expression, color_code: optional, ...audit })
  .describe('Each label field: a JMESPath expression over one result.');

/** Each auth type's schema, by `type`: a wrong key of one is named by validating against it. */
export const AUTH_SCHEMAS = {
  none: z.strictObject({ type: z.literal('none') }),
  bearer: z.strictObject({ type: z.literal('bearer'), token: nonEmpty('a token') }),
  header: z.strictObject({ type: z.literal('header'), name: nonEmpty('a header name'), value: nonEmpty('a header value') }),
  query: z.strictObject({ type: z.literal('query'), name: nonEmpty('a query parameter name'), value: nonEmpty('a value') }),
  basic: z.strictObject({ type: z.literal('basic'), username: nonEmpty('a user name'), password: z.string() }),
  oauth2: z.strictObject({
    type: z.literal('oauth2'),
    grant: z.enum(['refresh_token', 'client_credentials'], { error: 'expected refresh_token or client_credentials' }),
    tokenUrl: nonEmpty('a token URL'),
    clientId: nonEmpty('a client id'),
    clientSecret: nonEmpty('a client secret'),
    refreshToken: nonEmpty('a refresh token').optional(),
    scope: z.string().optional(),
    scheme: nonEmpty('the word before the token').default('Bearer').describe('The word before the token in Authorization (Zoho: Zoho-oauthtoken).'),
    clientAuth: z
      .enum(['body', 'basic'], { error: 'expected body or basic' })
      .default('body')
      .describe('How the token request carries the client id and secret: in the form (body, the default) or as Authorization: Basic (RFC 6749 client_secret_basic; Pipedrive).'),
  }),
} as const;

// A union rather than z.discriminatedUnion: the latter's declared type changed within zod 4
// (one type argument in 4.0, two later), and the shipped .d.ts must type-check on the peer floor.
const auth = z.union(
  [AUTH_SCHEMAS.none, AUTH_SCHEMAS.bearer, AUTH_SCHEMAS.header, AUTH_SCHEMAS.query, AUTH_SCHEMAS.basic, AUTH_SCHEMAS.oauth2],
  { error: 'expected auth.type to be one of none, bearer, header, query, basic, oauth2' },
);

/**
 * A CRM profile: what `createCrmRepository` reads customers and labels from. The same shape as
 * a profile file (JSON), where `$schema` may point at `crm-profile.schema.json`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { CrmProfileSchema } from 'priority-routing-crm/crm';
 * const result = CrmProfileSchema.safeParse(JSON.parse(readFileSync('in-house.json', 'utf8')));
 * ```
 */
export const CrmProfileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editors.'),
    extends: z.string().optional().describe('A built-in profile ("zoho", "hubspot", "dataverse", "salesforce", "pipedrive") this one overrides, key by key.'),
    name: z.string().optional().describe('A name for messages and logs.'),
    baseUrl: nonEmpty('a base URL').describe('Every request goes to this URL plus its path; {token.FIELD} takes a field of the OAuth token answer (Zoho api_domain).'),
    auth,
    headers: z.record(z.string(), z.string()).optional().describe('Headers sent with every request.'),
    lookup: z
      .strictObject({
        ...request,
        phoneForms: z
          .array(z.enum(PHONE_FORMS, { error: `expected one of ${PHONE_FORMS.join(', ')}` }))
          .min(1, { error: 'list at least one phone form' })
          .default(['e164', 'national', 'international'])
          .describe('Which spellings of the number to send: e164 +923001234567, international 923001234567, national 03001234567, asked as received.'),
        notFoundStatus: z.array(z.number().int()).optional().describe('Statuses that mean "no result" (besides 204 and an empty list), e.g. [404].'),
        lastDigits: z
          .number({ error: 'expected a number of digits' })
          .int({ error: 'expected a whole number of digits' })
          .min(4, { error: 'expected at least 4 digits (fewer match too many numbers)' })
          .max(15, { error: 'expected at most 15 digits' })
          .optional()
          .describe('{lastDigits} is the last this many digits of the asked number (of its national significant number), for searches by the end of a formatted stored number (OData endswith).'),
        details,
        fields: customerFields,
      })
      .describe('The customer search request.'),
    labels: z
      .strictObject({
        ...request,
        property: z.string().optional().describe('The field whose options are the labels (HubSpot, Dataverse): {property} in the request.'),
        pages,
        fields: labelFields,
      })
      .describe('The label list request.'),
    colors: z
      .record(z.string(), hexColor)
      .optional()
      .describe('Label colours by label name or id, for CRMs without colours; others get a colour from the fallback palette by name.'),
    colorNames: z
      .record(z.string(), hexColor)
      .optional()
      .describe("The CRM's colour values as #RRGGBB, for CRMs whose colours are names (Pipedrive: green, blue, …); matched as written, else in any case. Other values: a #RRGGBB is kept, anything else gets the fallback palette."),
    match: z
      .enum(['newest', 'oldest', 'first'], { error: 'expected newest, oldest or first' })
      .default('newest')
      .describe('Of several results with the asked number: the latest updatedAt, the earliest, or the first.'),
    rateLimit: z
      .strictObject({
        statuses: z.array(z.number().int()).default([429, 503]).describe('Statuses that mean "slow down" (default 429 and 503).'),
        retryAfter: expression.optional().describe('Where the error body says how many seconds to wait (Zoho: details.retry_after), besides the Retry-After and X-RateLimit-Reset headers.'),
        errors: z
          .array(
            z.strictObject({
              status: z.number({ error: 'expected an HTTP status (a number)' }).int().describe('The status of the error answer (Salesforce: 403).'),
              body: expression.describe("A JMESPath condition over the error body: a rate limit when it finds something (not null, false or empty), e.g. [?errorCode=='REQUEST_LIMIT_EXCEEDED']."),
            }),
          )
          .optional()
          .describe('Error answers that are rate limits by what their body says, whatever their status means otherwise (Salesforce: 403 REQUEST_LIMIT_EXCEEDED): 503 with Retry-After, counted by the breaker.'),
      })
      .default({ statuses: [429, 503] }),
    hints: z
      .array(
        z.strictObject({
          match: nonEmpty('a regular expression')
            .refine(isRegExp, { error: 'expected a regular expression (JavaScript syntax), such as AADSTS7000215|AADSTS7000222' })
            .describe("A regular expression (JavaScript syntax, case-sensitive) over the failure crm check shows: the CRM's error code or words (AADSTS7000215, INVALID_FIELD, no client credentials user enabled)."),
          say: nonEmpty('what to do, in words').describe('What to do about it, as crm check prints it after →.'),
        }),
      )
      .optional()
      .describe("What crm check says about this CRM's own errors: the first whose match finds the failure's text is printed; none, the generic hints (a 401, a 403, a redirect, …). An extending profile's list replaces the built-in's."),
    limits: z
      .strictObject({
        maxBodyBytes: z.number().int().positive().optional().describe('The largest answer read (default 1 MiB).'),
        maxResults: z.number().int().positive().optional().describe('At most this many results of one answer are considered (default 50).'),
        maxDetails: z.number().int().positive().optional().describe('lookup.details: at most the first this many hits are fetched (default 5).'),
      })
      .optional(),
  })
  .describe('A CRM profile for priority-routing-crm: how to look customers and labels up in a REST CRM.');

/**
 * A profile as written (before defaults): the type of a profile file or object.
 *
 * @example
 * ```ts
 * import type { CrmProfileInput } from 'priority-routing-crm/crm';
 * const profile: CrmProfileInput = {
 *   baseUrl: 'https://crm.example.com/api',
 *   auth: { type: 'bearer', token: '${PRC_CRM_TOKEN}' },
 *   lookup: { path: '/customers', query: { phone: '{phone}' }, results: 'items', fields: { _id: 'id', phone1: 'mobile' } },
 *   labels: { path: '/tags', results: '@', fields: { _id: 'id', name: 'name' } },
 * };
 * ```
 */
export type CrmProfileInput = z.input<typeof CrmProfileSchema>;

/**
 * A profile that extends a built-in one: any key may be left out, any may be overridden.
 *
 * @example
 * ```ts
 * import type { CrmProfileOverride } from 'priority-routing-crm/crm';
 * const profile: CrmProfileOverride = { extends: 'hubspot', colors: { Gold: '#3cb44b' } };
 * ```
 */
export type CrmProfileOverride = { extends: 'zoho' | 'hubspot' | 'dataverse' | 'salesforce' | 'pipedrive' } & {
  [K in Exclude<keyof CrmProfileInput, 'extends'>]?: NonNullable<CrmProfileInput[K]> extends readonly unknown[] | string ? CrmProfileInput[K] : Partial<NonNullable<CrmProfileInput[K]>>;
};

/**
 * A validated profile, defaults applied.
 *
 * @example
 * ```ts
 * import type { CrmProfile } from 'priority-routing-crm/crm';
 * const match: CrmProfile['match'] = 'newest';
 * ```
 */
export type CrmProfile = z.output<typeof CrmProfileSchema>;
export type CrmRequestSpec = CrmProfile['lookup'] | CrmProfile['labels'] | NonNullable<CrmProfile['lookup']['details']>;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];
export type LabelField = (typeof LABEL_FIELDS)[number];
export type PhoneForm = (typeof PHONE_FORMS)[number];
