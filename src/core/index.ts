export type { ConnectorRequest, ConnectorResponse, ConnectorHandle, HeaderValue } from './http.js';
export type { CustomerRepository, RepositoryContext, CustomerRecord, LabelRecord, MaybePromise, RecordTimestamp } from './repository.js';
export { createConnector, type Connector, type ConnectorOptions } from './connector.js';
export { lookupCustomer } from './customer.js';
export { listLabels } from './labels.js';
export type { HandlerOptions } from './options.js';
export {
  maskPhone,
  type ConnectorRoute,
  type ConnectorErrorKind,
  type ConnectorErrorEvent,
  type ConnectorResponseEvent,
} from './hooks.js';
export {
  queryTokenAuth,
  apiKeyAuth,
  bearerAuth,
  basicAuth,
  anyAuth,
  type Authenticate,
  type AuthDecision,
  type BasicCredentials,
  type Secrets,
} from './auth.js';
export { timingSafeEqualString } from './timing-safe.js';
export { problemTypes, problemCatalog, problemResponse, type ProblemName } from './problems.js';
export { readHeader } from './headers.js';
export { splitUrl, readQueryParam, decodeFormComponent, type UrlParts, type QueryParamResult } from './url.js';
export { strongEtag, ifNoneMatchHits } from './etag.js';
