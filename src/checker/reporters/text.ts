import { checkGroups } from '../checks.js';
import type { CheckReport, CheckResult, CheckStatus } from '../report.js';
import { escapedLines, escapeTerminal } from './escape.js';
import { issueLines, requestsToShow, summaryLine } from './select.js';

/**
 * The styles the text report asks for; `node:util`'s `styleText` accepts every one.
 *
 * @example
 * ```ts
 * import { type TextStyle } from 'priority-routing-crm/testing';
 * const danger: TextStyle = 'red';
 * ```
 */
export type TextStyle = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'gray' | 'cyan';

/**
 * Applies a style to text, e.g. `(style, text) => styleText(style, text)`.
 *
 * @example
 * ```ts
 * import { type Styler } from 'priority-routing-crm/testing';
 * import { styleText } from 'node:util';
 * const style: Styler = (style, text) => styleText(style, text);
 * ```
 */
export type Styler = (style: TextStyle, text: string) => string;

/**
 * Options of {@link formatTextReport}.
 *
 * @example
 * ```ts
 * import { type TextReportOptions, formatTextReport } from 'priority-routing-crm/testing';
 * const options: TextReportOptions = { maxIssues: 5 };
 * process.stdout.write(formatTextReport(report, options));
 * ```
 */
export interface TextReportOptions {
  /** Colours the output; plain text by default. The CLI passes `styleText` on a terminal only. */
  style?: Styler | undefined;
  /** Most findings listed per check; 20 by default. */
  maxIssues?: number | undefined;
}

const MARKS: Record<CheckStatus, { mark: string; label: string; style: TextStyle }> = {
  pass: { mark: '✔', label: 'PASS', style: 'green' },
  fail: { mark: '✖', label: 'FAIL', style: 'red' },
  warn: { mark: '⚠', label: 'WARN', style: 'yellow' },
  skip: { mark: '-', label: 'SKIP', style: 'gray' },
};

const plain: Styler = (_, text) => text;
const INDENT = '          ';

function formatCheck(check: CheckResult, style: Styler, maxIssues: number): string[] {
  const { mark, label, style: colour } = MARKS[check.status];
  const lines = [`  ${style(colour, `${mark} ${label}`)}  ${style('bold', check.id)}  ${escapeTerminal(check.title)}`];
  for (const line of escapedLines(check.detail)) lines.push(`${INDENT}${style('dim', line)}`);
  if (check.status === 'fail' || check.status === 'warn') {
    for (const line of issueLines(check, maxIssues)) lines.push(`${INDENT}${style(colour, escapeTerminal(line))}`);
    for (const request of requestsToShow(check)) lines.push(`${INDENT}${style('cyan', escapeTerminal(request.curl))}`);
  }
  return lines;
}

/**
 * The report for people: checks grouped, each with its result and detail; findings and curl
 * commands under failures and warnings; a summary line at the end. Every control, C1, bidi and
 * line-separator character from a connector is shown escaped (`\u001b`), never sent raw.
 *
 * @example
 * ```ts
 * import { styleText } from 'node:util';
 * import { formatTextReport, verifyConnector } from 'priority-routing-crm/testing';
 * const report = await verifyConnector(options);
 * process.stdout.write(formatTextReport(report, process.stdout.isTTY ? { style: styleText } : {}));
 * ```
 */
export function formatTextReport(report: CheckReport, options: TextReportOptions = {}): string {
  const style = options.style ?? plain;
  const maxIssues = options.maxIssues ?? 20;
  const lines = [
    style('bold', 'priority-routing-crm check'),
    `  customer URL  ${escapeTerminal(report.customerQueryUrl)}`,
    `  label URL     ${escapeTerminal(report.labelsUrl)}`,
    `  ${report.mode} mode, phones ${escapeTerminal(report.phones.join(', '))}`,
  ];
  for (const group of checkGroups) {
    const checks = report.checks.filter((check) => check.group === group);
    if (checks.length === 0) continue;
    lines.push('', style('bold', group));
    for (const check of checks) lines.push(...formatCheck(check, style, maxIssues));
  }
  const verdict = report.ok ? style('green', 'OK') : style('red', 'FAILED');
  lines.push('', `${verdict}  ${summaryLine(report.summary)} in ${(report.durationMs / 1000).toFixed(1)} s`, '');
  return lines.join('\n');
}
