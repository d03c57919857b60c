/**
 * priority-routing-crm: the Hybrid Chat priority-routing CRM contract (schemas, types and
 * validation helpers), plus the server-side handlers and the client that later modules add.
 *
 * @packageDocumentation
 */
export * from './contract/index.js';
export * from './core/index.js';
export * from './reference/index.js';
export * from './client/index.js';
export {
  verifyConnector,
  ConnectorUnreachableError,
  CheckOptionsError,
  checkDefinitions,
  checkIds,
  CheckReportSchema,
  checkReportJsonSchema,
  type VerifyConnectorOptions,
  type CheckProgress,
  type CheckDefinition,
  type CheckId,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
} from './checker/index.js';
export * from './repositories/index.js';
