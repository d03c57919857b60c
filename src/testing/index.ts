/**
 * `priority-routing-crm/testing`: the conformance kit for connector authors, and the checker
 * behind `priority-routing-crm check` with its reporters.
 *
 * @packageDocumentation
 */
export {
  defineConnectorConformanceTests,
  ConformanceError,
  type ConformanceTarget,
  type ConformanceUrlTarget,
  type ConformanceHandlerTarget,
  type ConformanceOptions,
  type TestApi,
  type TestBody,
} from './conformance.js';
export { fetchFromHandler, type InProcessHandler } from './handler-fetch.js';
export type { ConformanceCommonOptions } from './conformance.js';
export type { ConnectorRequest, ConnectorResponse, ConnectorHandle, HeaderValue } from '../core/http.js';
export type { FetchLike } from '../transport/exchange.js';
export type { PriorityWeights } from '../contract/priority.js';
export type { ValidationMode } from '../contract/validate.js';
export * from '../checker/index.js';
