import { OpenApiBuilder, type OpenAPIObject, type OperationObject, type ReferenceObject, type ResponseObject } from 'openapi3-ts/oas31';
import { version } from '../../package.json';
import { sampleCustomer, sampleLabels } from '../contract/index.js';
import { problemResponses, responseHeaders, responseRef, statusOf, type ProblemResponseName } from './responses.js';
import { componentSchemas, customerQueryParameterSchema, schemaRef } from './schemas.js';
import { securityOf, type OpenApiSecurity } from './security.js';
import type { AuthScheme } from '../core/auth-schemes.js';


/**
 * An OpenAPI 3.1 document. openapi3-ts's type lacks 3.1's `jsonSchemaDialect`, which this
 * document sets to JSON Schema 2020-12, the dialect zod writes.
 *
 * @example
 * ```ts
 * import { createOpenApiDocument, type OpenApi31Document } from 'priority-routing-crm/openapi';
 * const document: OpenApi31Document = createOpenApiDocument();
 * document.jsonSchemaDialect; // 'https://json-schema.org/draft/2020-12/schema'
 * ```
 */
export type OpenApi31Document = OpenAPIObject & { jsonSchemaDialect?: string };

/**
 * Options of {@link createOpenApiDocument}.
 *
 * @example
 * ```ts
 * import { createOpenApiDocument, type OpenApiDocumentOptions } from 'priority-routing-crm/openapi';
 * const options: OpenApiDocumentOptions = { serverUrl: 'https://crm.example/cim', serverDescription: 'Production connector' };
 * createOpenApiDocument(options).servers; // [{ url: 'https://crm.example/cim', description: 'Production connector' }]
 * ```
 */
export interface OpenApiDocumentOptions {
  /**
   * Where the connector is served, base path included: `https://crm.example/cim`. The two
   * paths, `/customer` and `/label`, are relative to it. Default `http://127.0.0.1:3000`, the
   * reference connector's address.
   */
  serverUrl?: string | undefined;
  /** A description for the server entry. */
  serverDescription?: string | undefined;
  /**
   * How the connector takes credentials: the same `authenticate` given to `createConnector`
   * (made by `queryTokenAuth`, `apiKeyAuth`, `basicAuth`, `bearerAuth` or `anyAuth`), or
   * {@link AuthScheme}s. Declared as `components.securitySchemes` and a root `security` that
   * any one of them satisfies, so tools can test that auth is enforced. Default none: the
   * reference connector takes no credentials.
   */
  security?: OpenApiSecurity | undefined;
}

const DEFAULT_SERVER_URL = 'http://127.0.0.1:3000';

const problems = (...names: ProblemResponseName[]) =>
  Object.fromEntries(names.map((name) => [String(statusOf(name)), responseRef(name)]));

// Only GET and HEAD are operations: tools treat every documented operation as one they may call
// with valid input, so refused methods are described in words, not modelled as operations.
const REFUSED_METHODS = 'Every other method gets 405 with Allow: GET, HEAD (the MethodNotAllowed response).';

/**
 * HEAD is answered like GET without a body: the same statuses and headers, no content. Problem
 * responses are inlined without their body rather than referenced.
 */
function headOf(get: OperationObject, operationId: string): OperationObject {
  const reusable = problemResponses() as Record<string, ResponseObject>;
  const responses = Object.fromEntries(
    Object.entries(get.responses as Record<string, ResponseObject | ReferenceObject>).map(([status, response]) => {
      const resolved = '$ref' in response ? reusable[response.$ref.split('/').pop()!]! : response;
      const { content: _content, ...withoutBody } = resolved;
      return [status, withoutBody];
    }),
  );
  // A copy, so that the YAML shows each operation in full rather than as anchors and aliases.
  return structuredClone({
    ...get,
    operationId,
    summary: `${get.summary} (headers only)`,
    description: `Answered exactly like GET, without a body. ${REFUSED_METHODS}`,
    responses,
  });
}

const lookupCustomer: OperationObject = {
  operationId: 'lookupCustomer',
  tags: ['connector'],
  summary: 'Find the customer by phone number',
  description:
    `Hybrid Chat calls this with the chat's phone number (its refId) to read the customer's label ids. HEAD is answered like GET, without a body. ${REFUSED_METHODS}`,
  parameters: [
    {
      name: 'query',
      in: 'query',
      required: true,
      description:
        '`phone:` and the phone number. Hybrid Chat puts the number in unencoded, so `+923001234567` may arrive as `phone:+923001234567` (decoded to a space) or `phone:%2B923001234567`: all find the same customer.',
      schema: customerQueryParameterSchema(),
      examples: {
        local: { summary: 'The seed customer', value: 'phone:1111' },
        international: { summary: 'A number with a leading +', value: 'phone:+923001234567' },
      },
    },
  ],
  responses: {
    '200': {
      description: 'Exactly one customer object: not an array, not wrapped in an envelope.',
      headers: { 'Cache-Control': responseHeaders.cacheControlNoStore },
      content: { 'application/json': { schema: schemaRef('Customer'), example: sampleCustomer } },
    },
    ...problems('BadRequest', 'Unauthorized', 'NotFound', 'InternalServerError', 'BadGateway', 'ServiceUnavailable', 'GatewayTimeout'),
  },
};

const listLabels: OperationObject = {
  operationId: 'listLabels',
  tags: ['connector'],
  summary: 'List every label',
  description:
    `Hybrid Chat calls this to turn the label ids on a customer into names, which it matches exactly against the routing engine's labels. HEAD is answered like GET, without a body. ${REFUSED_METHODS}`,
  parameters: [
    {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'An ETag from an earlier answer: 304 when the list has not changed.',
      schema: { type: 'string' },
    },
  ],
  responses: {
    '200': {
      description: 'Every label, as an array (possibly empty); label ids are unique.',
      headers: { ETag: responseHeaders.etag, 'Cache-Control': responseHeaders.cacheControlLabels },
      content: { 'application/json': { schema: schemaRef('LabelList'), example: sampleLabels } },
    },
    '304': {
      description: 'The list matches the ETag sent in If-None-Match.',
      headers: { ETag: responseHeaders.etag },
    },
    ...problems('Unauthorized', 'InternalServerError', 'BadGateway', 'ServiceUnavailable', 'GatewayTimeout'),
  },
};

/**
 * Builds the contract's OpenAPI 3.1 document: the two endpoints, every status code with
 * `application/problem+json` error bodies, and the `Customer`, `Label`, `LabelList` and
 * `Problem` schemas, converted from the package's zod schemas.
 *
 * @example
 * ```ts
 * import { createOpenApiDocument } from 'priority-routing-crm/openapi';
 * const document = createOpenApiDocument({ serverUrl: 'https://crm.example/cim' });
 * app.get('/openapi.json', (req, res) => res.json(document));
 * ```
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApi31Document {
  const security = options.security === undefined ? undefined : securityOf(options.security);
  const root: OpenApi31Document = {
    openapi: '3.1.0',
    info: {
      title: 'Hybrid Chat priority-routing CRM connector',
      version,
      description:
        'The two requests a CRM answers so that Hybrid Chat can order queued chats by label priority. Hybrid Chat finds the customer by phone number (GET /customer?query=phone:{refId}), reads the label ids on it, turns them into names (GET /label), and routes by the highest weight among the names its routing engine knows. A customer with no label, or none found, gets priority 1. Configure Hybrid Chat with CIM_CUSTOMER_QUERY_URL and CIM_LABELS_API_PATH pointing at these two paths.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: options.serverUrl ?? DEFAULT_SERVER_URL,
        description: options.serverDescription ?? 'The connector, base path included (the reference connector by default).',
      },
    ],
    tags: [{ name: 'connector', description: 'What Hybrid Chat calls.' }],
    paths: {},
    components: {},
  };
  const builder = OpenApiBuilder.create(root);
  for (const [name, schema] of Object.entries(componentSchemas())) builder.addSchema(name, schema);
  for (const [name, response] of Object.entries(problemResponses())) builder.addResponse(name, response);
  builder.addPath('/customer', { get: lookupCustomer, head: headOf(lookupCustomer, 'lookupCustomerHead') });
  builder.addPath('/label', { get: listLabels, head: headOf(listLabels, 'listLabelsHead') });
  if (security !== undefined) {
    for (const [name, scheme] of Object.entries(security.schemes)) builder.addSecurityScheme(name, scheme);
    root.security = security.requirements;
  }
  // A copy: the builder's objects are module constants shared by every document built here.
  return structuredClone(builder.getSpec());
}
