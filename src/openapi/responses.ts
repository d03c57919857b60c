import type { HeaderObject, ResponseObject } from 'openapi3-ts/oas31';
import { problemCatalog, problemDetails, problemTypes, type ProblemName } from '../core/problems.js';
import { deepFreeze } from '../contract/deep-freeze.js';
import { schemaRef } from './schemas.js';

/** The arguments the examples are built with: the connector's defaults. */
const EXAMPLE_TIMEOUT_MS = 3000;
const EXAMPLE_RETRY_AFTER_SECONDS = 10;

/**
 * Every error response of the contract: when it is sent and, per problem type, the example
 * `detail`. Titles, statuses, `type` URIs and details all come from the connector's own problem
 * table, so the document shows exactly what a connector built with this package sends.
 *
 * @example
 * ```ts
 * import { problemResponseTable } from 'priority-routing-crm/openapi';
 * Object.keys(problemResponseTable); // ['BadRequest', 'Unauthorized', 'NotFound', 'MethodNotAllowed', 'InternalServerError', 'BadGateway', 'ServiceUnavailable', 'GatewayTimeout']
 * problemResponseTable.NotFound.problems.customerNotFound; // 'No customer has the phone number given in query.'
 * ```
 */
export const problemResponseTable = deepFreeze({
  BadRequest: {
    description:
      'query is missing, repeated or badly encoded, does not start with phone:, or the number is empty, longer than 64 characters, holds no digit or is not a phone number (only digits, a leading +, spaces and - . ( ) / are allowed).',
    problems: { invalidQuery: problemDetails.invalidQuery('wrong_prefix') },
  },
  Unauthorized: {
    description: 'Credentials are required and are missing or wrong.',
    problems: { unauthorized: problemDetails.unauthorized() },
  },
  NotFound: {
    description: 'No customer has that phone number (Hybrid Chat then routes at priority 1), or the path is unknown.',
    problems: {
      customerNotFound: problemDetails.customerNotFound(),
      notFound: problemDetails.notFound(),
    },
  },
  MethodNotAllowed: {
    description: 'A method other than GET or HEAD. The Allow header lists GET, HEAD.',
    problems: { methodNotAllowed: problemDetails.methodNotAllowed() },
  },
  InternalServerError: {
    description: 'The CRM lookup failed, or the connector itself did (checking the credentials threw). The body holds nothing from inside the CRM.',
    problems: {
      crmFailure: problemDetails.crmFailure(),
      internalError: problemDetails.internalError('authenticate'),
    },
  },
  BadGateway: {
    description: 'The CRM returned data that breaks this contract.',
    problems: { invalidCrmData: problemDetails.invalidCrmData('a customer') },
  },
  ServiceUnavailable: {
    description:
      'The CRM kept failing, so a circuit breaker answers at once instead of calling it until Retry-After has passed.',
    problems: { circuitOpen: problemDetails.circuitOpen(EXAMPLE_RETRY_AFTER_SECONDS) },
  },
  GatewayTimeout: {
    description: 'The CRM did not answer in time.',
    problems: { crmTimeout: problemDetails.crmTimeout(EXAMPLE_TIMEOUT_MS) },
  },
} as const satisfies Record<string, { description: string; problems: Partial<Record<ProblemName, string>> }>);

/**
 * The name of a reusable problem response in `components.responses`.
 *
 * @example
 * ```ts
 * import { openApiDocument, type ProblemResponseName } from 'priority-routing-crm/openapi';
 * const name: ProblemResponseName = 'NotFound';
 * openApiDocument.components?.responses?.[name]; // the 404 application/problem+json response
 * ```
 */
export type ProblemResponseName = keyof typeof problemResponseTable;

const stringHeader = (description: string): HeaderObject => ({ description, schema: { type: 'string' } });

const extraHeaders: Partial<Record<ProblemResponseName, Record<string, HeaderObject>>> = {
  Unauthorized: { 'WWW-Authenticate': stringHeader('The scheme to authenticate with, where one fits (Basic, Bearer).') },
  MethodNotAllowed: { Allow: stringHeader('Always GET, HEAD.') },
  ServiceUnavailable: {
    'Retry-After': {
      description: 'Seconds until the connector calls the CRM again.',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    },
  },
};

/**
 * The HTTP status of a problem response (every problem type in one response shares it).
 */
export function statusOf(name: ProblemResponseName): number {
  const [first] = Object.keys(problemResponseTable[name].problems) as ProblemName[];
  return problemCatalog[first!].status;
}

/**
 * `components.responses`: one problem+json response per error status, with an example per problem type.
 */
export function problemResponses(): Record<ProblemResponseName, ResponseObject> {
  const entries = Object.entries(problemResponseTable).map(([name, { description, problems }]) => {
    const examples = Object.fromEntries(
      Object.entries(problems).map(([problem, detail]) => {
        const { status, title } = problemCatalog[problem as ProblemName];
        return [problem, { summary: title, value: { type: problemTypes[problem as ProblemName], title, status, detail } }];
      }),
    );
    const response: ResponseObject = {
      description,
      content: { 'application/problem+json': { schema: schemaRef('Problem'), examples } },
    };
    const extra = extraHeaders[name as ProblemResponseName];
    if (extra) response.headers = extra;
    return [name, response];
  });
  return Object.fromEntries(entries) as Record<ProblemResponseName, ResponseObject>;
}

/**
 * `{ $ref }` to a reusable problem response.
 */
export const responseRef = (name: ProblemResponseName) => ({ $ref: `#/components/responses/${name}` });

/**
 * Response headers shared by the operations.
 */
export const responseHeaders = {
  cacheControlNoStore: stringHeader('Always no-store: a customer record is personal data and changes.'),
  cacheControlLabels: stringHeader('How long the label list may be cached; configurable on the connector (default no-cache).'),
  etag: stringHeader('A strong entity tag of the label list; send it back in If-None-Match.'),
};
