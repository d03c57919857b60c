import { afterEach, describe, expect, it } from 'vitest';
import { problemTypes } from '../../src/index.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus.js';
import { expectProblem } from '../support/problems.js';
import { jsonLines, SERVE_FIXTURE, spawnServe, startJsonServe, stopServes, waitForJsonLine, waitForOutput } from '../support/serve-process.js';

afterEach(stopServes);

const PHONE = '+923001234567';

async function scrape(origin: string) {
  const response = await fetch(`${origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

describe('serve GET /metrics', () => {
  it('counts connector requests by route and status, times them, counts repository calls; health checks and unknown paths add no series of their own', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--base-path', '/cim']);
    const before = await scrape(origin);
    expect(before.types.get('prc_requests_total')).toBe('counter');
    expect(before.types.get('prc_request_duration_seconds')).toBe('histogram');
    expect(before.types.get('prc_repository_calls_total')).toBe('counter');
    // prom-client's default process metrics.
    expect(before.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(before.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    // The wrappers' metrics only exist when the wrappers are on.
    expect(before.types.has('prc_cache_events_total')).toBe(false);
    expect(before.types.has('prc_breaker_state')).toBe(false);

    await fetch(`${origin}/cim/customer?query=phone:1111`);
    await fetch(`${origin}/cim/customer?query=phone:${encodeURIComponent(PHONE)}`);
    await fetch(`${origin}/cim/customer?query=phone:${encodeURIComponent('+15550000000')}`);
    await fetch(`${origin}/cim/label`);
    await fetch(`${origin}/cim/customer/${PHONE}`);
    await fetch(`${origin}/wp-login.php`);
    await fetch(`${origin}/healthz`);
    await fetch(`${origin}/readyz`);
    const after = await scrape(origin);

    const moved = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(moved('prc_requests_total', { route: 'customer', status: '200' })).toBe(2);
    expect(moved('prc_requests_total', { route: 'customer', status: '404' })).toBe(1);
    expect(moved('prc_requests_total', { route: 'label', status: '200' })).toBe(1);
    expect(moved('prc_requests_total', { route: 'other', status: '404' })).toBe(2);
    expect(moved('prc_request_duration_seconds_count', { route: 'customer' })).toBe(3);
    expect(moved('prc_request_duration_seconds_bucket', { route: 'customer', le: '+Inf' })).toBe(3);
    expect(sampleValue(after, 'prc_request_duration_seconds_sum', { route: 'customer' })).toBeGreaterThan(0);
    expect(moved('prc_repository_calls_total', { operation: 'findCustomerByPhone', outcome: 'ok' })).toBe(3);
    // /readyz asked listLabels too, but probes are not connector traffic.
    expect(moved('prc_repository_calls_total', { operation: 'listLabels', outcome: 'ok' })).toBe(1);

    const prc = after.samples.filter((sample) => sample.name.startsWith('prc_'));
    expect(new Set(prc.map((sample) => sample.labels.route).filter((route) => route !== undefined))).toStrictEqual(new Set(['customer', 'label', 'other']));
    for (const sample of prc) {
      for (const value of Object.values(sample.labels)) expect(value).not.toMatch(/\d{5,}|\/|healthz|readyz|wp-login/);
    }
  });

  it("the first scrape reports the process, not prom-client's own loading: no request of reading its files in nodejs_active_requests", async () => {
    const { origin } = await startJsonServe(['--port', '0']);
    const first = await fetch(`${origin}/metrics`);
    const body = await first.text();
    expect(body).toContain('# TYPE nodejs_active_requests gauge\n');
    expect(body).not.toContain('FileHandleCloseReq');
    expect(sampleValue(parsePrometheusText(body), 'nodejs_active_requests_total', {})).toBe(0);
  });

  it('is not served with --no-metrics (nor PRC_NO_METRICS)', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--no-metrics']);
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    const fromEnv = await startJsonServe(['--port', '0'], { env: { PRC_NO_METRICS: '1' } });
    expect((await fetch(`${fromEnv.origin}/metrics`)).status).toBe(404);
  });
});

describe('serve logs', () => {
  it('writes one JSON object per line, per request and per failure, with no unmasked phone number', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--base-path', '/cim'], { entry: SERVE_FIXTURE, env: { FIXTURE_INVALID_CUSTOMER: '1' } });
    await fetch(`${origin}/cim/label`);
    await fetch(`${origin}/cim/customer?query=phone:${encodeURIComponent(PHONE)}`);
    await fetch(`${origin}/nowhere/${PHONE.slice(1)}`);
    await waitForJsonLine(run, 'request', (line) => line.status === 404);

    const lines = jsonLines(run);
    for (const line of lines) {
      expect(Number.isNaN(Date.parse(line.time as string))).toBe(false);
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof line.level).toBe('string');
      expect(typeof line.msg).toBe('string');
    }
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ level: 'info', method: 'GET', route: '/label', path: '/cim/label', status: 200 });
    expect(requests[1]).toMatchObject({ method: 'GET', route: '/customer', path: '/cim/customer', status: 502, phone: '+92******4567' });
    expect(requests[2]).toMatchObject({ route: '-', path: '/nowhere/92******4567', status: 404 });
    for (const request of requests) expect(typeof request.durationMs).toBe('number');

    const failure = lines.find((line) => line.msg === 'connector failure');
    expect(failure).toMatchObject({ level: 'error', kind: 'invalid_data', route: '/customer', status: 502, phone: '+92******4567' });
    expect(failure?.issues).toContainEqual(expect.objectContaining({ path: '$.updatedAt', message: expect.stringContaining('ISO 8601') }));

    expect(run.stdout()).not.toContain('923001234567');
    expect(run.stderr()).not.toContain('923001234567');
  });

  it('the JSON listening line has IS_CIM_INTEGRATED, the note for Hybrid Chat elsewhere and a number in the data to try', async () => {
    const { listening } = await startJsonServe(['--port', '0']);
    expect(listening).toMatchObject({ IS_CIM_INTEGRATED: 'true', notes: [expect.stringContaining('--host 0.0.0.0')] });
    expect(listening.try).toMatch(/query=phone:1111'$/);
  });

  it('masks a phone number in a path however it is written (separators, spaces, brackets)', async () => {
    const { run, origin } = await startJsonServe(['--port', '0']);
    for (const path of ['/customer/0300-123-4567', '/customer/+92%20300%201234567', '/customer/(0300)%20123.4567', '/v1/2026/x']) await fetch(`${origin}${path}`);
    await waitForJsonLine(run, 'request', (line) => line.path === '/v1/2026/x');
    const paths = jsonLines(run).filter((line) => line.msg === 'request').map((line) => line.path);
    expect(paths).toStrictEqual(['/customer/03*****4567', '/customer/+92******4567', '/customer/03*****4567', '/v1/2026/x']);
  });

  it('--quiet drops the request lines, not the failures', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '-q'], { entry: SERVE_FIXTURE, env: { FIXTURE_INVALID_CUSTOMER: '1' } });
    await fetch(`${origin}/label`);
    await fetch(`${origin}/customer?query=phone:1111`);
    await waitForJsonLine(run, 'connector failure');
    expect(jsonLines(run).filter((line) => line.msg === 'request')).toHaveLength(0);
  });

  it('--log-format text keeps the readable lines, failures with their issues on stderr', async () => {
    const run = spawnServe(['--port', '0', '--log-format', 'text'], { entry: SERVE_FIXTURE, env: { FIXTURE_INVALID_CUSTOMER: '1' } });
    const [, url] = await waitForOutput(run, /CIM_CUSTOMER_QUERY_URL=(\S+)/);
    await fetch(url!.replace('{refId}', encodeURIComponent(PHONE)));
    await waitForOutput(run, /^\S+ GET \/customer 502 [\d.]+ms \+92\*{6}4567$/m);
    await waitForOutput(run, /error invalid_data on \/customer \(502\)\n {2}\$\.updatedAt: .*ISO 8601/, 'stderr');
  });

  it('--log-format text writes the control characters of a failure message as \\u escapes: a CRM message can neither drive the terminal nor forge a line', async () => {
    const message = '\u001b[2J\u001b]0;owned\u0007bad row\r\n2026-01-01T00:00:00.000Z GET /customer 200 1.0ms\u009b31m';
    const run = spawnServe(['--port', '0', '--log-format', 'text'], { entry: SERVE_FIXTURE, env: { FIXTURE_CUSTOMERS_FAIL: '1', FIXTURE_CUSTOMERS_FAIL_MESSAGE: message } });
    const [, url] = await waitForOutput(run, /CIM_CUSTOMER_QUERY_URL=(\S+)/);
    expect((await fetch(url!.replace('{refId}', encodeURIComponent(PHONE)))).status).toBe(500);
    const [line] = await waitForOutput(run, /^\S+ error exception on \/customer \(500\): .*$/m, 'stderr');
    expect(line).toMatch(/ \(500\): Error: \\u001b\[2J\\u001b\]0;owned\\u0007bad row\\u000d\\u000a2026-01-01T00:00:00\.000Z GET \/customer 200 1\.0ms\\u009b31m$/);
    expect(run.stderr()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('serve GET /healthz and /readyz', () => {
  it('answer at the root whatever the base path; /readyz is 503 problem+json when the repository cannot list the labels, /healthz stays 200', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--base-path', '/cim'], { entry: SERVE_FIXTURE, env: { FIXTURE_LABELS_FAIL: '1' } });
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toStrictEqual({ status: 'ok' });
    const ready = await fetch(`${origin}/readyz`);
    expect(JSON.parse(await expectProblem(ready, 'notReady'))).toStrictEqual({ type: problemTypes.notReady, status: 503, title: 'Not ready', detail: 'The repository failed to list the labels.' });
    expect((await fetch(`${origin}/cim/healthz`)).status).toBe(404);
  });
});
