export {
  createConnectorClient,
  type ConnectorClient,
  type ConnectorClientOptions,
  type RequestOptions,
  type ClientCustomer,
  type ClientLabelList,
  type PriorityLookup,
} from './client.js';
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
} from './results.js';
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
} from '../contract/priority.js';
export { fillCustomerUrl, REF_ID_PLACEHOLDER } from '../contract/url-template.js';
export { redactUrl, type RedactUrlOptions } from '../redaction/redact.js';
export type { FetchLike } from '../transport/exchange.js';
export { DEFAULT_MAX_BODY_BYTES } from '../transport/body-limit.js';
