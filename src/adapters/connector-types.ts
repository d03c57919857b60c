/**
 * The types the `/node` and `/fetch` entries mention through `createConnector` and the handler
 * factories, re-exported by both so that an adapter's user annotates without a second import.
 */
export type { ConnectorInput } from './connector-input.js';
export type { NodeRequestLike, NodeResponseLike } from './node-bridge.js';
export type { Connector, ConnectorOptions } from '../core/connector.js';
export type { ConnectorRequest, ConnectorResponse, ConnectorHandle, HeaderValue } from '../core/http.js';
export type { HandlerOptions } from '../core/options.js';
export type { ConnectorRoute, ConnectorErrorKind, ConnectorErrorEvent, ConnectorResponseEvent } from '../core/hooks.js';
export type { Authenticate, AuthDecision } from '../core/auth.js';
// Every repository type: the module holds nothing else.
export type * from '../core/repository.js';
export type { Customer, Label, CustomerQuery } from '../contract/types.js';
export type { ContractIssue } from '../contract/issues.js';
