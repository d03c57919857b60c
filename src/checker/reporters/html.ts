import { checkGroups } from '../checks.js';
import type { CheckReport, CheckRequest, CheckResult, CheckStatus, PhonePriority } from '../report.js';
import { barChart, scaleBar } from './html-chart.js';
import { escapeHtml, isHexColour, labelChip, htmlPage, unknownLabelChip } from './html-kit.js';
import { MAX_SEEN_LABELS } from '../seen.js';
import { issueLines, requestsToShow, summaryLine } from './select.js';

/**
 * Options of {@link formatHtmlReport}.
 *
 * @example
 * ```ts
 * import { type HtmlReportOptions, formatHtmlReport } from 'priority-routing-crm/testing';
 * const options: HtmlReportOptions = { budgetMs: 500 };
 * const html = formatHtmlReport(report, options);
 * ```
 */
export interface HtmlReportOptions {
  /** The time budget drawn as a line on the response-time chart; 1000 ms by default (`--budget`). */
  budgetMs?: number | undefined;
}

const STATES: Record<CheckStatus, { icon: string; word: string }> = {
  pass: { icon: '✔', word: 'passed' },
  fail: { icon: '✖', word: 'failed' },
  warn: { icon: '⚠', word: 'warned' },
  skip: { icon: '⊘', word: 'skipped' },
};

const state = (status: CheckStatus, word = STATES[status].word) =>
  `<span class="state state-${status}"><span aria-hidden="true">${STATES[status].icon}</span> ${word}</span>`;

/** The run's one word: failed, warned, skipped (nothing ran) or passed. */
function verdict(summary: CheckReport['summary']): CheckStatus {
  if (summary.fail > 0) return 'fail';
  if (summary.warn > 0) return 'warn';
  if (summary.pass === 0 && summary.skip > 0) return 'skip';
  return 'pass';
}

const lines = (texts: readonly string[]) => texts.map(escapeHtml).join('<br>');

function checkRow(check: CheckResult): string {
  const findings = issueLines(check, 20);
  const curls = requestsToShow(check).map((request) => `<pre>${escapeHtml(request.curl)}</pre>`).join('');
  const open = check.status === 'fail' || check.status === 'warn' ? ' open' : '';
  return `<tr class="check check-${check.status}" id="check-${escapeHtml(check.id)}">
<td>${state(check.status)}</td>
<td><strong>${escapeHtml(check.title)}</strong><br><code class="muted">${escapeHtml(check.id)}</code></td>
<td><div>${lines(check.detail.split('\n'))}</div>${findings.length === 0 ? '' : `<ul class="findings">${findings.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`}${curls === '' ? '' : `<details${open}><summary>curl (${requestsToShow(check).length})</summary>${curls}</details>`}</td>
</tr>`;
}

function checksSection(report: CheckReport): string {
  const groups = checkGroups
    .map((group) => ({ group, checks: report.checks.filter((check) => check.group === group) }))
    .filter(({ checks }) => checks.length > 0)
    .map(({ group, checks }) => `<tr><th colspan="3" scope="rowgroup">${escapeHtml(group)}</th></tr>${checks.map(checkRow).join('\n')}`);
  return `<h2>Checks</h2><table class="checks"><thead><tr><th scope="col">State</th><th scope="col">Check</th><th scope="col">Details</th></tr></thead><tbody>${groups.join('\n')}</tbody></table>`;
}

type Labels = NonNullable<CheckReport['labels']>;

function labelsSection(labels: Labels | undefined): string {
  if (labels === undefined) return '<h2>Labels</h2><p class="muted">The label list was not a JSON list: nothing to draw.</p>';
  const flagged = labels.filter((label) => !isHexColour(label.color_code)).length;
  const note = flagged === 0 ? '' : `<p class="state state-warn">${flagged} label${flagged === 1 ? '' : 's'} without a #RRGGBB colour: shown as text.</p>`;
  return `<h2>Labels (${labels.length})</h2>${note}<div class="chips labels">${labels.map(labelChip).join(' ') || '<span class="muted">The list is empty.</span>'}</div>`;
}

function customersSection(report: CheckReport, labels: Labels): string {
  if (report.customers === undefined || report.customers.length === 0) return '';
  const byId = new Map(labels.map((label) => [label._id, label]));
  // The report keeps the first labels only: past them, an id may well be in the list.
  const why = labels.length >= MAX_SEEN_LABELS ? `not among the first ${MAX_SEEN_LABELS} labels` : 'not in the label list';
  const rows = report.customers.map((customer) => {
    const chips = customer.labels.map((id) => {
      const label = byId.get(id);
      return label === undefined ? unknownLabelChip(id, why) : labelChip(label);
    });
    const found = customer.found ? `${state('pass', 'found')} <code>${escapeHtml(customer._id ?? '')}</code>` : state('skip', 'not found');
    return `<tr><td><code>${escapeHtml(customer.phone)}</code></td><td>${found}</td><td class="chips">${chips.join(' ') || '<span class="muted">no labels</span>'}</td></tr>`;
  });
  return `<h2>Customers</h2><table class="customers"><thead><tr><th scope="col">Phone</th><th scope="col">Customer</th><th scope="col">Labels</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The matched label with the highest weight: the one that set the priority. */
const decider = (entry: PhonePriority) => entry.matched.reduce<PhonePriority['matched'][number] | undefined>((best, match) => (best === undefined || match.weight > best.weight ? match : best), undefined);

function prioritiesSection(report: CheckReport, labels: Labels): string {
  if (report.priorities === undefined) return '';
  const byId = new Map(labels.map((label) => [label._id, label]));
  const rows = report.priorities.map((entry) => {
    const decided = decider(entry);
    const chip = decided === undefined ? '<span class="muted">no weighted label</span>' : labelChip({ name: decided.name, color_code: byId.get(decided.labelId)?.color_code ?? '', _id: decided.labelId });
    return `<tr><td><code>${escapeHtml(entry.phone)}</code></td><td>${scaleBar(entry.priority, 1, 10, `priority ${entry.priority} of 10`)}</td><td>${chip}</td><td class="muted">${escapeHtml(entry.reason)}</td></tr>`;
  });
  return `<h2>Priorities</h2><table class="priorities"><thead><tr><th scope="col">Phone</th><th scope="col">Priority (1–10)</th><th scope="col">Decided by</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** Every request of the run once (several checks read the same answer). */
function uniqueRequests(report: CheckReport): CheckRequest[] {
  const seen = new Map<string, CheckRequest>();
  for (const check of report.checks) for (const request of check.requests) seen.set(`${request.method} ${request.url} ${request.subject}`, request);
  return [...seen.values()];
}

function timingSection(report: CheckReport, budgetMs: number): string {
  const requests = uniqueRequests(report);
  if (requests.length === 0) return '';
  const bars = requests.map((request, index) => {
    const ms = request.durationMs ?? 0;
    const over = request.durationMs === null || ms > budgetMs;
    const title = `${requestName(request)}: ${request.durationMs === null ? 'no answer' : `${ms} ms, status ${request.status}`}`;
    return { label: String(index + 1), segments: [{ value: ms, className: over ? 'bar-over' : 'bar-ok', title }] };
  });
  const chart = barChart({ title: `Response time of each of ${requests.length} requests against the ${budgetMs} ms budget`, bars, unit: 'ms', line: { value: budgetMs, label: `budget ${budgetMs} ms` } });
  const rows = requests.map(
    (request, index) =>
      `<tr><td>${index + 1}</td><td>${escapeHtml(requestName(request))}</td><td>${request.status ?? 'no answer'}</td><td>${request.durationMs === null ? '–' : `${request.durationMs} ms`}</td></tr>`,
  );
  return `<h2>Response times</h2>${chart}<details><summary>As a table</summary><table><thead><tr><th scope="col">#</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Time</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

const CSS = `
.verdict{font-size:1.6rem;margin:.25rem 0 .75rem}
.chart .bar-ok{fill:var(--pass)}.chart .bar-over{fill:var(--fail)}
.scale .scale-track{fill:var(--line)}.scale .scale-fill{fill:var(--accent)}
.findings{margin:.25rem 0;padding-left:1.25rem}
`;

/**
 * The report as one self-contained HTML page for people: the verdict first, the run (URLs
 * masked, when, how long), each check with icon, word and colour, its findings and curl lines;
 * the labels as chips in their own colours, the customers found, the priorities (with weights)
 * and the response time of every request against the budget. No script, nothing loaded: a
 * Content-Security-Policy meta forbids both. Everything from the connector is HTML-escaped, and
 * a colour is used only when it is `#RRGGBB`.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { formatHtmlReport, verifyConnector } from 'priority-routing-crm/testing';
 * const report = await verifyConnector(options);
 * await writeFile('report.html', formatHtmlReport(report, { budgetMs: 1000 }));
 * ```
 */
export function formatHtmlReport(report: CheckReport, options: HtmlReportOptions = {}): string {
  const budgetMs = options.budgetMs ?? 1000;
  const overall = verdict(report.summary);
  const labels = report.labels ?? [];
  const header = `<h1>Connector check</h1>
<p class="verdict">${state(overall)} <span class="muted">${escapeHtml(summaryLine(report.summary))}</span></p>
<div class="card"><dl>
<dt>Customer URL</dt><dd><code>${escapeHtml(report.customerQueryUrl)}</code></dd>
<dt>Label URL</dt><dd><code>${escapeHtml(report.labelsUrl)}</code></dd>
<dt>Phones</dt><dd>${report.phones.map((phone) => `<code>${escapeHtml(phone)}</code>`).join(', ')}</dd>
<dt>Mode</dt><dd>${report.mode}</dd>
<dt>Ran</dt><dd><time datetime="${escapeHtml(report.startedAt)}">${escapeHtml(report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>, took ${(report.durationMs / 1000).toFixed(1)} s</dd>
</dl></div>`;
  const body = [header, checksSection(report), labelsSection(report.labels), customersSection(report, labels), prioritiesSection(report, labels), timingSection(report, budgetMs)];
  return htmlPage(`Connector check: ${STATES[overall].word}`, body.join('\n'), { css: CSS });
}

/** `GET phone 1111`, `POST customer URL`: the subject of a POST already says so. */
function requestName(request: { method: string; subject: string }): string {
  return request.subject.startsWith(`${request.method} `) ? request.subject : `${request.method} ${request.subject}`;
}
