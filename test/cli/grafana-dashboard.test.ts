import { readFile } from 'node:fs/promises';
import { parser } from '@prometheus-io/lezer-promql';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, type Exposition } from '../support/prometheus.js';
import { SERVE_FIXTURE, startJsonServe, stopServes } from '../support/serve-process.js';

afterEach(stopServes);

const DASHBOARD = new URL('../../examples/deploy/grafana-dashboard.json', import.meta.url);

interface Dashboard {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; query: { query: string } }> };
}

/** Labels Prometheus adds to every series it scrapes, and `le`, which histogram_quantile reads. */
const TARGET_LABELS = new Set(['job', 'instance']);

// Grafana fills these in before the query reaches Prometheus.
const withGrafanaVariables = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', '.+');

/** A selector in a query: the metric and the label names it matches or groups on. */
interface Selector {
  metric: string;
  labels: string[];
}

/** Parses a PromQL expression with Prometheus's own grammar: its selectors, or the syntax errors. */
function readPromql(expr: string): { selectors: Selector[]; errors: number[]; grouping: string[] } {
  const text = withGrafanaVariables(expr);
  const selectors: Selector[] = [];
  const errors: number[] = [];
  const grouping: string[] = [];
  const slice = (from: number, to: number) => text.slice(from, to);
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'GroupingLabels') {
        for (let child = node.node.firstChild; child !== null; child = child.nextSibling) if (child.name === 'LabelName') grouping.push(slice(child.from, child.to));
      }
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      const labels = node.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher').map((matcher) => matcher.getChild('LabelName')!) ?? [];
      selectors.push({ metric: name === null ? '' : slice(name.from, name.to), labels: labels.map((label) => slice(label.from, label.to)) });
    },
  });
  return { selectors, errors, grouping };
}

/** What is wrong with an expression against a real scrape: syntax, metrics and labels `/metrics` does not have. */
function problemsOf(expr: string, exposition: Exposition): string[] {
  const { selectors, errors, grouping } = readPromql(expr);
  const problems = errors.map((at) => `syntax error at ${at} in ${expr}`);
  const labelsOf = (metric: string) => new Set(exposition.samples.filter((sample) => sample.name === metric).flatMap((sample) => Object.keys(sample.labels)));
  const served = new Set<string>(TARGET_LABELS);
  for (const { metric, labels } of selectors) {
    const names = labelsOf(metric);
    if (names.size === 0 && !exposition.samples.some((sample) => sample.name === metric)) problems.push(`${metric || '(no metric name)'} is not served`);
    for (const label of labels) if (!names.has(label) && !TARGET_LABELS.has(label)) problems.push(`${metric} has no label ${label}`);
    for (const name of names) served.add(name);
  }
  for (const label of grouping) if (!served.has(label)) problems.push(`grouping by ${label}, which none of its metrics has`);
  return problems;
}

const dashboardQueries = async () => {
  const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
  const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  return { dashboard, exprs };
};

/** A serve with everything on (caches, breaker: --database over the fixture's repository), after traffic on every route. */
async function scrapeBusyServe(): Promise<Exposition> {
  const { origin } = await startJsonServe(['--port', '0', '--labels-ttl', '60000', '--customers-ttl', '60000', '--database', 'postgres://crm@127.0.0.1:1/crm', '--mapping', 'unused.json'], {
    entry: SERVE_FIXTURE,
  });
  for (const path of ['/label', '/label', '/customer?query=phone:1111', '/customer?query=phone:1111', '/customer?query=phone:2222', '/customer?query=email:x', '/wp-login.php']) await fetch(`${origin}${path}`);
  return parsePrometheusText(await (await fetch(`${origin}/metrics`)).text());
}

describe('examples/deploy/grafana-dashboard.json', () => {
  it('charts requests by route and status, p50/p95/p99 latency, repository calls and errors, cache events and the breaker', async () => {
    const { dashboard, exprs } = await dashboardQueries();
    const titles = dashboard.panels.map((panel) => panel.title);
    expect(titles).toEqual(expect.arrayContaining(['Requests by route and status', 'Latency p50, p95, p99 by route', 'Repository calls by operation and outcome', 'Repository errors and aborted calls', 'Cache events', 'Circuit breaker']));
    const metrics = new Set(exprs.flatMap((expr) => readPromql(expr).selectors.map((selector) => selector.metric)));
    expect([...metrics].filter((metric) => metric.startsWith('prc_')).sort()).toEqual(['prc_breaker_state', 'prc_cache_events_total', 'prc_repository_calls_total', 'prc_request_duration_seconds_bucket', 'prc_requests_total']);
    for (const quantile of ['0.5', '0.95', '0.99']) expect(exprs.some((expr) => expr.startsWith(`histogram_quantile(${quantile},`))).toBe(true);
    expect(dashboard.templating.list.map((variable) => variable.query.query)).toEqual(['label_values(prc_requests_total, job)']);
  });

  it('every query parses as PromQL and names only metrics and labels a real serve\'s /metrics has', async () => {
    const { exprs } = await dashboardQueries();
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    const exposition = await scrapeBusyServe();
    expect(exprs.flatMap((expr) => problemsOf(expr, exposition))).toEqual([]);
    // The same check finds a typo, a missing label and broken syntax.
    expect(problemsOf('sum by (route) (rate(prc_request_total[5m]))', exposition)).toEqual(['prc_request_total is not served', 'grouping by route, which none of its metrics has']);
    expect(problemsOf('rate(prc_requests_total{phone="1"}[5m])', exposition)).toEqual(['prc_requests_total has no label phone']);
    expect(problemsOf('sum(rate(prc_requests_total[5m])', exposition)).not.toEqual([]);
  });
});
