// Public: src/testing/index.ts re-exports all of this (`export *`), so every name here is in
// the `priority-routing-crm/testing` entry and a semver promise; the CLI imports it too.
export { verifyConnector, ConnectorUnreachableError } from './verify.js';
export { CheckOptionsError, type VerifyConnectorOptions, type CheckProgress } from './options.js';
export { checkDefinitions, checkIds, checkGroups, isCheckId, selectChecks, type CheckDefinition, type CheckId, type CheckGroup } from './checks.js';
export {
  CheckReportSchema,
  CheckResultSchema,
  CheckStatusSchema,
  CheckIssueSchema,
  CheckRequestSchema,
  PhonePrioritySchema,
  checkReportJsonSchema,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
  type CheckIssue,
  type CheckRequest,
  type PhonePriority,
} from './report.js';
export { formatTextReport, type TextReportOptions, type Styler, type TextStyle } from './reporters/text.js';
export { formatJunitReport } from './reporters/junit.js';
export { formatJsonReport } from './reporters/json.js';
export { formatHtmlReport, type HtmlReportOptions } from './reporters/html.js';
export { formatGithubAnnotations } from './reporters/github.js';
export { escapeTerminal } from './reporters/escape.js';
