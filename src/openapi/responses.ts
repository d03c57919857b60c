import type { HeaderObject, ResponseObject } from 'openapi3-ts/oas31';
import { schemaRef } from './schemas.js';

/** Every error status of the contract, with when it is sent: the table the document is built from. */
export const problemStatuses = {
  BadRequest: [400, 'Bad Request', 'query is missing, does not start with phone:, or the number is empty, longer than 64 characters, holds a control character or no digit.'],
  Unauthorized: [401, 'Unauthorized', 'Credentials are required and are missing or wrong.'],
  NotFound: [404, 'Not Found', 'No customer has that phone number (Hybrid Chat then routes at priority 1), or the path is unknown.'],
  MethodNotAllowed: [405, 'Method Not Allowed', 'A method other than GET or HEAD. The Allow header lists GET, HEAD.'],
  InternalServerError: [500, 'Internal Server Error', 'The CRM lookup failed. The body holds nothing from inside the CRM.'],
  BadGateway: [502, 'Bad Gateway', 'The CRM returned data that breaks this contract.'],
  GatewayTimeout: [504, 'Gateway Timeout', 'The CRM did not answer in time.'],
} as const;

/** The name of a reusable problem response in `components.responses`. */
export type ProblemResponseName = keyof typeof problemStatuses;

const stringHeader = (description: string): HeaderObject => ({ description, schema: { type: 'string' } });

const extraHeaders: Partial<Record<ProblemResponseName, Record<string, HeaderObject>>> = {
  Unauthorized: { 'WWW-Authenticate': stringHeader('The scheme to authenticate with, where one fits (Basic, Bearer).') },
  MethodNotAllowed: { Allow: stringHeader('Always GET, HEAD.') },
};

/** `components.responses`: one problem+json response per error status, with an example body. */
export function problemResponses(): Record<ProblemResponseName, ResponseObject> {
  const entries = Object.entries(problemStatuses).map(([name, [status, title, detail]]) => {
    const response: ResponseObject = {
      description: detail,
      content: {
        'application/problem+json': {
          schema: schemaRef('Problem'),
          example: { type: 'about:blank', title, status, detail },
        },
      },
    };
    const extra = extraHeaders[name as ProblemResponseName];
    if (extra) response.headers = extra;
    return [name, response];
  });
  return Object.fromEntries(entries) as Record<ProblemResponseName, ResponseObject>;
}

/** `{ $ref }` to a reusable problem response. */
export const responseRef = (name: ProblemResponseName) => ({ $ref: `#/components/responses/${name}` });

/** Response headers shared by the operations. */
export const responseHeaders = {
  cacheControlNoStore: stringHeader('Always no-store: a customer record is personal data and changes.'),
  cacheControlLabels: stringHeader('How long the label list may be cached; configurable on the connector.'),
  etag: stringHeader('A strong entity tag of the label list; send it back in If-None-Match.'),
};
