import { checkGroups } from '../checks.js';
import type { CheckReport, CheckResult } from '../report.js';
import { issueLines, requestsToShow } from './select.js';

// XML 1.0 cannot carry most control characters even escaped: they are dropped.
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot carry.
 */
export const escapeXml = (text: string): string => text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function body(check: CheckResult): string {
  return [check.detail, ...issueLines(check), ...requestsToShow(check).map((request) => request.curl)].join('\n');
}

function testcase(check: CheckResult): string {
  const time = seconds(check.requests.reduce((sum, request) => sum + (request.durationMs ?? 0), 0));
  const open = `    <testcase classname="priority-routing-crm.${escapeXml(check.group)}" name="${escapeXml(`${check.id}: ${check.title}`)}" time="${time}"`;
  switch (check.status) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
      return `${open}>\n      <skipped message="${escapeXml(check.detail)}"/>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${escapeXml(check.detail)}" type="${escapeXml(check.id)}">${escapeXml(body(check))}</failure>\n    </testcase>`;
    case 'warn':
      return `${open}>\n      <properties><property name="status" value="warn"/></properties>\n      <system-out>${escapeXml(`WARNING: ${body(check)}`)}</system-out>\n    </testcase>`;
  }
}

/**
 * The report as JUnit XML, one `<testsuite>` per group and one `<testcase>` per check: failures
 * as `<failure>`, skips as `<skipped>`, warnings as a passing case with a `status=warn`
 * property and the finding in `<system-out>`. Readable by GitHub, GitLab, Jenkins and Azure.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { formatJunitReport } from 'priority-routing-crm/testing';
 * await writeFile('check.xml', formatJunitReport(report));
 * ```
 */
export function formatJunitReport(report: CheckReport): string {
  const suites = checkGroups.flatMap((group) => {
    const checks = report.checks.filter((check) => check.group === group);
    if (checks.length === 0) return [];
    const count = (status: CheckResult['status']) => checks.filter((check) => check.status === status).length;
    return [
      `  <testsuite name="${escapeXml(group)}" tests="${checks.length}" failures="${count('fail')}" errors="0" skipped="${count('skip')}" timestamp="${report.startedAt}">`,
      ...checks.map(testcase),
      '  </testsuite>',
    ];
  });
  const { summary } = report;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="priority-routing-crm check" tests="${summary.total}" failures="${summary.fail}" errors="0" skipped="${summary.skip}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
