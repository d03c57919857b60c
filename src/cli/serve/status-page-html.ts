import { barChart } from '../../checker/reporters/html-chart.js';
import { escapeHtml, htmlPage, labelChip, unknownLabelChip } from '../../checker/reporters/html-kit.js';
import { STATUS_CLASSES, type MinuteBucket, type RecentRequest } from './status-page-stats.js';

/** What the page shows; every text in it is escaped here. */
export interface StatusView {
  version: string;
  uptimeMs: number;
  source: string;
  hybridChat: { customerQueryUrl: string; labelsUrl: string; notes: string[] } | undefined;
  /** `undefined` when ready, else why not. */
  notReady: string | undefined;
  breaker: string;
  cacheHitRatio: Record<'labels' | 'customers', number | undefined>;
  minutes: MinuteBucket[];
  recent: RecentRequest[];
  trial: Trial | undefined;
  /** The query token the page was opened with, kept in the form so that it authenticates too. */
  token: string | undefined;
}

/** The "try a number" answer. */
export interface Trial {
  phone: string;
  keys: string[];
  /** Why no customer was found or asked for, when none was. */
  problem?: string;
  customer?: { _id: string; labels: string[] };
  labels: Array<{ _id: string; name: string; color_code: string }>;
}

function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [d, h, m, s] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  return d > 0 ? `${d} d ${h} h ${m} min` : h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

const pill = (ok: boolean, word: string) => `<span class="state state-${ok ? 'pass' : 'fail'}"><span aria-hidden="true">${ok ? '✔' : '✖'}</span> ${escapeHtml(word)}</span>`;
const hhmm = (minute: number) => new Date(minute * 60_000).toISOString().slice(11, 16);

function trafficChart(minutes: MinuteBucket[]): string {
  const bars = minutes.map((bucket) => ({
    label: hhmm(bucket.minute),
    segments: STATUS_CLASSES.map((name) => ({ value: bucket.counts[name], className: `bar-${name}`, title: `${hhmm(bucket.minute)} UTC: ${bucket.counts[name]} × ${name}` })),
  }));
  const total = minutes.reduce((sum, bucket) => sum + STATUS_CLASSES.reduce((s, name) => s + bucket.counts[name], 0), 0);
  const legend = STATUS_CLASSES.map((name) => `<span class="legend"><span class="swatch bar-${name}-swatch" aria-hidden="true"></span>${name}</span>`).join(' ');
  return `${barChart({ title: `Requests per minute by status over the last hour (UTC): ${total} in all`, bars, unit: '/min' })}<p class="muted">${legend}</p>`;
}

function recentTable(recent: RecentRequest[]): string {
  if (recent.length === 0) return '<p class="muted">No connector request yet.</p>';
  const rows = recent.map((request) => {
    const keys = request.keysTried === undefined ? '' : `<br><small class="muted">keys tried: ${request.keysTried.map((key) => `<code>${escapeHtml(key)}</code>`).join(', ') || 'none'}</small>`;
    const state = request.status >= 500 ? 'fail' : request.status >= 400 ? 'warn' : 'pass';
    return `<tr><td><time datetime="${request.at.toISOString()}">${request.at.toISOString().slice(11, 19)}</time></td><td>${escapeHtml(request.method)} ${escapeHtml(request.route)}</td><td><code>${escapeHtml(request.phone ?? '')}</code>${keys}</td><td><span class="state state-${state}">${request.status}</span></td><td>${request.durationMs.toFixed(1)} ms</td></tr>`;
  });
  return `<table class="recent"><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Route</th><th scope="col">Phone</th><th scope="col">Status</th><th scope="col">Duration</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function trialSection(view: StatusView): string {
  const token = view.token === undefined ? '' : `<input type="hidden" name="token" value="${escapeHtml(view.token)}">`;
  const form = `<form method="get" action="/status" class="card"><label for="phone">Phone number</label> <input id="phone" name="phone" type="text" inputmode="tel" autocomplete="off" value="${escapeHtml(view.trial?.phone ?? '')}">${token} <button type="submit">Look up</button></form>`;
  const trial = view.trial;
  if (trial === undefined) return form;
  const keys = trial.keys.length === 0 ? '<span class="muted">none</span>' : trial.keys.map((key) => `<code>${escapeHtml(key)}</code>`).join(', ');
  const byId = new Map(trial.labels.map((label) => [label._id, label]));
  const found =
    trial.customer === undefined
      ? `<p>${pill(false, 'no customer')} ${escapeHtml(trial.problem ?? '')}</p>`
      : `<p>${pill(true, 'found')} customer <code>${escapeHtml(trial.customer._id)}</code></p><div class="chips trial-labels">${trial.customer.labels.map((id) => { const label = byId.get(id); return label === undefined ? unknownLabelChip(id) : labelChip(label); }).join(' ') || '<span class="muted">no labels</span>'}</div>`;
  return `${form}<div class="card trial"><dl><dt>Number</dt><dd><code>${escapeHtml(trial.phone)}</code></dd><dt>Becomes the keys</dt><dd>${keys}</dd></dl>${found}</div>`;
}

const CSS = `
.chart .bar-2xx,.bar-2xx-swatch{fill:var(--pass);background:var(--pass)}.chart .bar-4xx,.bar-4xx-swatch{fill:var(--warn);background:var(--warn)}
.chart .bar-5xx,.bar-5xx-swatch{fill:var(--fail);background:var(--fail)}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}.legend{margin-right:1em}
input,button{font:inherit;padding:.25rem .5rem;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px}
button{cursor:pointer;background:var(--accent);color:#ffffff;border-color:var(--accent)}
@media (prefers-color-scheme:dark){button{color:#000000}}
`;

/** The status page: no script, nothing loaded; forms may only go back to the page itself. */
export function renderStatusPage(view: StatusView): string {
  const ratio = (['labels', 'customers'] as const)
    .map((cache) => { const value = view.cacheHitRatio[cache]; return `${cache} ${value === undefined ? 'no lookups yet' : `${(value * 100).toFixed(1)} %`}`; })
    .join(', ');
  const hybridChat =
    view.hybridChat === undefined
      ? ''
      : `<h2>Paste into Hybrid Chat</h2><pre>CIM_CUSTOMER_QUERY_URL=${escapeHtml(view.hybridChat.customerQueryUrl)}\nCIM_LABELS_API_PATH=${escapeHtml(view.hybridChat.labelsUrl)}\nIS_CIM_INTEGRATED=true</pre>${view.hybridChat.notes.map((note) => `<p class="muted">${escapeHtml(note)}</p>`).join('')}`;
  const body = `<h1>priority-routing-crm connector</h1>
<div class="card"><dl>
<dt>Readiness</dt><dd>${view.notReady === undefined ? pill(true, 'ready') : `${pill(false, 'not ready')} ${escapeHtml(view.notReady)}`}</dd>
<dt>Breaker</dt><dd>${escapeHtml(view.breaker)}</dd>
<dt>Cache hit ratio</dt><dd>${ratio}</dd>
<dt>Version</dt><dd>${escapeHtml(view.version)}</dd>
<dt>Uptime</dt><dd>${duration(view.uptimeMs)}</dd>
<dt>Data source</dt><dd>${escapeHtml(view.source)}</dd>
</dl></div>
${hybridChat}
<h2>Try a number</h2>${trialSection(view)}
<h2>Traffic</h2>${trafficChart(view.minutes)}
<h2>${recentHeading(view.recent.length)}</h2>${recentTable(view.recent)}`;
  return htmlPage('priority-routing-crm status', body, { css: CSS, forms: 'self' });
}

/** "Last 5 requests", "Last request", and no count before the first. */
function recentHeading(count: number): string {
  if (count === 0) return 'Last requests';
  return count === 1 ? 'Last request' : `Last ${count} requests`;
}
