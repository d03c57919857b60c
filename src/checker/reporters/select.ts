import type { CheckRequest, CheckResult } from '../report.js';

/**
 * The requests worth reproducing for a check: those its issues are about, or all of them.
 */
export function requestsToShow(check: CheckResult): CheckRequest[] {
  const subjects = new Set(check.issues.map((issue) => issue.subject).filter((subject) => subject !== undefined));
  const about = check.requests.filter((request) => subjects.has(request.subject));
  return about.length > 0 ? about : check.requests;
}

/**
 * `12 passed, 1 failed, 2 warned, 1 skipped`, leaving out the zeros except "passed".
 */
export function summaryLine(summary: { total: number; pass: number; fail: number; warn: number; skip: number }): string {
  const parts = [`${summary.pass} passed`];
  if (summary.fail > 0) parts.push(`${summary.fail} failed`);
  if (summary.warn > 0) parts.push(`${summary.warn} warned`);
  if (summary.skip > 0) parts.push(`${summary.skip} skipped`);
  return `${summary.total} check${summary.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/**
 * A check's findings as lines: `$.createdAt: expected … (phone 1111)`, then `… and 1,950 more`
 * for those beyond `limit` or not kept (`omittedIssues`).
 */
export function issueLines(check: CheckResult, limit = Number.POSITIVE_INFINITY): string[] {
  const shown = check.issues.slice(0, limit);
  const lines = shown.map((issue) => `${issue.path === '$' ? '' : `${issue.path}: `}${issue.message}${issue.subject === undefined ? '' : ` (${issue.subject})`}`);
  const more = check.issues.length + (check.omittedIssues ?? 0) - shown.length;
  if (more > 0) lines.push(`… and ${more.toLocaleString('en-US')} more`);
  return lines;
}
