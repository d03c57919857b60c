import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleLabels } from '../../src/index.js';
import { readResilience } from '../../src/cli/serve/resilience.js';
import type { MetricsSink } from '../../src/cli/serve/metrics.js';
import { scriptedRepository } from '../support/scripted-repository.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus.js';
import { expectProblem } from '../support/problems.js';
import { nodeArgs } from '../support/programs.js';
import { jsonLines, SERVE_FIXTURE, startJsonServe, stopServes, waitForJsonLine } from '../support/serve-process.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const context = () => ({ signal: new AbortController().signal });

async function scrape(origin: string) {
  const response = await fetch(`${origin}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

/** Runs `serve` with `args` until its banner's protection line, then stops it by pid; returns stdout and the labels URL. */
async function bannerOf(args: string[], check?: (labelsUrl: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, [...nodeArgs(MAIN), 'serve', '--port', '0', '--quiet', '--log-format', 'text', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  try {
    for await (const chunk of child.stdout) {
      out += chunk as string;
      if (/^CRM protection: .*$/m.test(out)) break;
    }
    await check?.(out.match(/CIM_LABELS_API_PATH=(\S+)/)![1]!);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
  return out;
}

describe('serve --labels-ttl, --customers-ttl, --no-breaker', () => {
  it('leaves the memory data unwrapped by default and says so in the banner', async () => {
    expect(await bannerOf([])).toMatch(/^CRM protection: off \(--labels-ttl, --customers-ttl to turn on\)$/m);
  });

  it('caches the labels when asked, shows it in the banner, and still answers', async () => {
    const out = await bannerOf(['--labels-ttl', '60000', '--customers-ttl', '500'], async (labelsUrl) => {
      expect(await (await fetch(labelsUrl)).json()).toStrictEqual(sampleLabels);
    });
    expect(out).toMatch(/^CRM protection: labels cached 60000 ms \(stale up to 600000 ms on errors\), customers cached 500 ms, no circuit breaker$/m);
  });

  it('refuses a value that is not a number of milliseconds, naming the flag (exit 2)', async () => {
    const child = spawn(process.execPath, [...nodeArgs(MAIN), 'serve', '--labels-ttl', '30s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(err).toContain('--labels-ttl must be a whole number of milliseconds, got "30s"');
  });
});

describe('readResilience for a database', () => {
  it('turns on a 30 s label cache and the breaker by default, composed so that an open breaker still leaves labels served', async () => {
    const resilience = readResilience({}, true);
    expect(resilience.banner).toBe(
      'CRM protection: labels cached 30000 ms (stale up to 600000 ms on errors), customers not cached, circuit breaker after 5 failures, 10000 ms cooldown',
    );
    const script = scriptedRepository();
    const lines: string[] = [];
    const states: string[] = [];
    const events: string[] = [];
    const sink: MetricsSink = { repositoryCall() {}, breakerState: (state, operation) => states.push(`${operation} ${state}`), cacheEvent: (cache, event) => events.push(`${cache} ${event}`) };
    const log = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
    const repository = await resilience.wrap(script, log, sink);
    expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    script.mode = 'fail';
    for (let index = 0; index < 5; index += 1) await expect(repository.findCustomerByPhone({ phone: '1111', normalizedPhone: '1111' }, context())).rejects.toThrow('CRM down');
    await expect(repository.findCustomerByPhone({ phone: '1111', normalizedPhone: '1111' }, context())).rejects.toMatchObject({ name: 'CircuitOpenError' });
    expect(script.calls.customers).toBe(5);
    expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    expect(lines).toStrictEqual(['circuit breaker open']);
    // What /metrics shows: prc_breaker_state and prc_cache_events_total.
    expect(states).toStrictEqual(['findCustomerByPhone closed', 'listLabels closed', 'findCustomerByPhone open']);
    expect(events).toStrictEqual(['labels miss', ...Array<string>(6).fill('customers miss'), 'labels hit']);
  });

  it('logs why the label refresh fails with the source\'s own reason, bounded; without one, the error\'s name only', async () => {
    const sink: MetricsSink = { repositoryCall() {}, breakerState() {}, cacheEvent() {} };
    for (const [reason, expected] of [
      [(error: unknown) => `${(error as Error).message}: ${'x'.repeat(1000)}`, `CRM down (scripted): ${'x'.repeat(479)}`],
      [undefined, 'Error'],
    ] as const) {
      const script = scriptedRepository({ mode: 'fail' });
      const warned: unknown[] = [];
      const log = { info() {}, warn: (line: string, fields?: unknown) => warned.push([line, fields]) };
      const repository = await readResilience({}, true).wrap(script, log, sink, reason);
      await expect(repository.listLabels(context())).rejects.toThrow('CRM down');
      expect(warned).toStrictEqual([['label refresh failing; no list to serve', { reason: expected }]]);
    }
  });

  it('--no-breaker leaves it out; --labels-ttl 0 keeps no list', () => {
    expect(readResilience({ noBreaker: true, labelsTtl: 0 }, true).banner).toBe('CRM protection: labels not cached, customers not cached, no circuit breaker');
  });
});

describe('serve with a CRM that is down: /metrics and the 503 over HTTP', () => {
  afterEach(stopServes);

  it('moves prc_cache_events_total and prc_breaker_state, and answers 503 problem+json with Retry-After once the breaker opens', async () => {
    // --database turns the defaults on (labels 30 s, breaker); the fixture's repository stands in for the database.
    const { origin } = await startJsonServe(['--port', '0', '--labels-ttl', '60000', '--database', 'postgres://crm@127.0.0.1:1/crm', '--mapping', 'unused.json'], {
      entry: SERVE_FIXTURE,
      env: { FIXTURE_CUSTOMERS_FAIL: '1' },
    });
    const before = await scrape(origin);
    expect(before.types.get('prc_breaker_state')).toBe('gauge');
    expect(sampleValue(before, 'prc_breaker_state', { operation: 'findCustomerByPhone' })).toBe(0);
    expect(sampleValue(before, 'prc_breaker_state', { operation: 'listLabels' })).toBe(0);

    const labels = [await fetch(`${origin}/label`), await fetch(`${origin}/label`)];
    expect(labels.map((response) => response.status)).toStrictEqual([200, 200]);
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await fetch(`${origin}/customer?query=phone:1111`)).status);
    expect(statuses).toStrictEqual([500, 500, 500, 500, 500]);
    const open = await fetch(`${origin}/customer?query=phone:1111`);
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(open.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    await expectProblem(open, 'circuitOpen');
    // The label list kept before the outage is still served while the breaker is open.
    expect((await fetch(`${origin}/label`)).status).toBe(200);

    const after = await scrape(origin);
    const moved = (name: string, labelSet: Record<string, string>) => sampleValue(after, name, labelSet) - sampleValue(before, name, labelSet);
    expect(after.types.get('prc_cache_events_total')).toBe('counter');
    expect(after.types.get('prc_breaker_state')).toBe('gauge');
    expect(moved('prc_cache_events_total', { cache: 'labels', event: 'miss' })).toBe(1);
    expect(moved('prc_cache_events_total', { cache: 'labels', event: 'hit' })).toBe(2);
    expect(moved('prc_cache_events_total', { cache: 'customers', event: 'miss' })).toBe(6);
    expect(sampleValue(after, 'prc_breaker_state', { operation: 'findCustomerByPhone' })).toBe(2);
    // One breaker per operation: the lookups' outage leaves the label list's closed.
    expect(sampleValue(after, 'prc_breaker_state', { operation: 'listLabels' })).toBe(0);
    // The open breaker kept the sixth lookup away from the CRM.
    expect(moved('prc_repository_calls_total', { operation: 'findCustomerByPhone', outcome: 'error' })).toBe(5);
  });
});

describe('serve while the database is down: one log line per change, not per request (issue 20.8, 20.12)', () => {
  afterEach(stopServes);
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('200 stale label answers log "label refresh failing" once, then "label refresh recovered" once with the count', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'prc-flood-'));
    folders.push(folder);
    const outage = join(folder, 'down');
    const { run, origin } = await startJsonServe(['--port', '0', '--quiet', '--labels-ttl', '1', '--database', 'postgres://crm@127.0.0.1:1/crm', '--mapping', 'unused.json'], {
      entry: SERVE_FIXTURE,
      env: { FIXTURE_LABELS_FAIL_WHILE: outage },
    });
    expect((await fetch(`${origin}/label`)).status).toBe(200);
    await writeFile(outage, '');
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let index = 0; index < 200; index += 1) expect((await fetch(`${origin}/label`)).status).toBe(200);
    await rm(outage);
    // The breaker opened during the outage: once its cooldown is over, a refresh reads the list again.
    const recoveredLine = waitForJsonLine(run, 'label refresh recovered');
    let seen = false;
    void recoveredLine.then(() => (seen = true));
    while (!seen) {
      expect((await fetch(`${origin}/label`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const lines = jsonLines(run);
    const failing = lines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('label refresh failing'));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ level: 'warn', reason: 'Error' });
    const recovered = lines.filter((line) => line.msg === 'label refresh recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ level: 'info', failures: expect.any(Number) });
    expect(recovered[0]!.failures as number).toBeGreaterThanOrEqual(5);
    expect(lines.filter((line) => line.msg === 'circuit breaker open')).toStrictEqual([expect.objectContaining({ operation: 'listLabels' })]);
  }, 30_000);

  it('five lookup timeouts leave a healthy, uncached GET /label at 200 (one breaker per operation)', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--quiet', '--labels-ttl', '0', '--database', 'postgres://crm@127.0.0.1:1/crm', '--mapping', 'unused.json'], {
      entry: SERVE_FIXTURE,
      env: { FIXTURE_CUSTOMER_DELAY_MS: '5000' },
    });
    // Five numbers, since concurrent lookups of one number share one call.
    const timeouts = await Promise.all(Array.from({ length: 5 }, (_, index) => fetch(`${origin}/customer?query=phone:${1111 + index}`)));
    expect(timeouts.map((response) => response.status)).toStrictEqual([504, 504, 504, 504, 504]);
    await expectProblem(await fetch(`${origin}/customer?query=phone:1111`), 'circuitOpen');
    const labels = await fetch(`${origin}/label`);
    expect(labels.status).toBe(200);
    expect(await labels.json()).toStrictEqual(sampleLabels);
  }, 30_000);
});
