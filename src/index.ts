/**
 * priority-routing-crm: the Hybrid Chat priority-routing CRM contract (schemas, types and
 * validation), the framework-free connector, repositories and the client. Every name here is
 * public API; the HTTP plumbing behind them is internal. Framework bridges are in `/node` and
 * `/fetch`, SQL in `/sql`, the OpenAPI document in `/openapi`, the checker in `/testing`.
 *
 * @packageDocumentation
 */

// The contract: schemas, types, validation, query parsing, phone keys.
export { CustomerSchema, LenientCustomerSchema } from './contract/customer.js';
export { LabelSchema, LabelListSchema, LenientLabelSchema, LenientLabelListSchema } from './contract/label.js';
export { ProblemSchema } from './contract/problem.js';
export { CustomerQuerySchema, CUSTOMER_QUERY_PATTERN, parseCustomerQuery } from './contract/query.js';
export { normalizePhone } from './contract/phone.js';
export { phoneKeys, phoneKey, isCountryCode, type CountryCode } from './contract/phone-keys.js';
export type { ContractIssue } from './contract/issues.js';
export type { Result } from './contract/result.js';
export {
  validateCustomer,
  validateLabelList,
  type ValidationMode,
  type ValidateOptions,
  type StrictCustomer,
  type StrictLabelList,
  type LenientCustomer,
  type LenientLabelList,
} from './contract/validate.js';
export { sampleCustomer, sampleLabels } from './contract/samples.js';
export type { Customer, Label, Problem, CustomerQuery } from './contract/types.js';
export {
  resolvePriority,
  assertPriorityWeights,
  MIN_PRIORITY,
  MAX_PRIORITY,
  type PriorityWeights,
  type PriorityResult,
  type ResolvePriorityInput,
  type MatchedLabel,
  type IgnoredLabel,
  type UnknownLabelId,
  type UnweightedLabel,
} from './contract/priority.js';
export { fillCustomerUrl, REF_ID_PLACEHOLDER } from './contract/url-template.js';
export { problemTypes, type ProblemName } from './core/problems.js';

// The connector.
export { createConnector, type Connector, type ConnectorOptions } from './core/connector.js';
// The two handlers without routing (the package's first promise): one route each, for a
// serverless function per route, a router that already routes, or a unit test of a repository.
export { lookupCustomer } from './core/customer.js';
export { listLabels } from './core/labels.js';
export type { ConnectorRequest, ConnectorResponse, ConnectorHandle, HeaderValue } from './core/http.js';
export type { HandlerOptions } from './core/options.js';
export {
  maskPhone,
  type ConnectorRoute,
  type ConnectorErrorKind,
  type ConnectorErrorEvent,
  type ConnectorResponseEvent,
} from './core/hooks.js';
export {
  queryTokenAuth,
  apiKeyAuth,
  bearerAuth,
  basicAuth,
  anyAuth,
  type Authenticate,
  type AuthDecision,
  type BasicCredentials,
  type BasicAuthOptions,
  type Secrets,
} from './core/auth.js';
export type { NodeRequestLike, NodeResponseLike } from './adapters/node-bridge.js';

// Repositories.
export type * from './core/repository.js'; // every repository type: the module holds nothing else
export * from './repositories/index.js';
export { sampleDataSet, samplePhones } from './reference/sample-data.js';

// The client.
export {
  createConnectorClient,
  type ConnectorClient,
  type ConnectorClientOptions,
  type RequestOptions,
  type ClientCustomer,
  type ClientLabelList,
  type PriorityLookup,
} from './client/client.js';
export type {
  CustomerLookupResult,
  LabelListResult,
  CustomerFound,
  CustomerNotFound,
  LabelsFound,
  ContractViolationResult,
  HttpErrorResult,
  NetworkErrorResult,
  TimeoutResult,
  RequestFailure,
  ResponseInfo,
} from './client/results.js';
export type { FetchLike } from './transport/exchange.js';
export { DEFAULT_MAX_BODY_BYTES } from './transport/body-limit.js';

// Masking for your own logs: the same rule the checker and serve use for connector URLs.
export { redactUrl, type RedactUrlOptions } from './redaction/redact.js';
