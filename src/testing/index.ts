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
export * from '../checker/index.js';
