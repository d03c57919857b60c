import type { CheckReport } from '../report.js';

/**
 * The report as JSON, indented, with a final newline; it validates against `CheckReportSchema`
 * and its JSON Schema, `checkReportJsonSchema()`.
 *
 * @example
 * ```ts
 * import { formatJsonReport } from 'priority-routing-crm/testing';
 * process.stdout.write(formatJsonReport(report));
 * ```
 */
export function formatJsonReport(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
