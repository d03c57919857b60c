import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReadiness, type ReadinessState } from '../../src/cli/serve/readiness.js';
import { sampleLabels } from '../../src/index.js';
import { jsonLines, SERVE_FIXTURE, startJsonServe, stopServes, waitForJsonLine } from '../support/serve-process.js';

afterEach(stopServes);

const labelCalls = (stderr: string) => stderr.split('\n').filter((line) => line === 'fixture: listLabels').length;

describe('serve GET /readyz costs the repository nothing per probe', () => {
  it('100 concurrent probes cost at most one listLabels call, and a lookup answers meanwhile', async () => {
    const { run, origin } = await startJsonServe(['--port', '0'], { entry: SERVE_FIXTURE, env: { FIXTURE_COUNT_LABELS: '1', FIXTURE_LABELS_DELAY_MS: '200' } });
    const probes = Array.from({ length: 100 }, () => fetch(`${origin}/readyz`));
    const lookup = await fetch(`${origin}/customer?query=phone:1111`);
    expect(lookup.status).toBe(200);
    const answers = await Promise.all(probes);
    expect(answers.map((answer) => answer.status)).toStrictEqual(Array(100).fill(200));
    // Another 100 right after: the outcome stands for the interval, no call at all.
    const again = await Promise.all(Array.from({ length: 100 }, () => fetch(`${origin}/readyz`)));
    expect(again.every((answer) => answer.status === 200)).toBe(true);
    expect(labelCalls(run.stderr())).toBe(1);
  });

  it("a label read by the connector counts: /readyz after GET /label calls nothing", async () => {
    const { run, origin } = await startJsonServe(['--port', '0'], { entry: SERVE_FIXTURE, env: { FIXTURE_COUNT_LABELS: '1' } });
    expect((await fetch(`${origin}/label`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    expect(labelCalls(run.stderr())).toBe(1);
  });
});

describe('serve GET /readyz 503 says why and logs it once per change (19.6)', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('gives the cause in the problem body, logs "not ready" once for many probes, then "ready" once when it recovers', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'prc-readyz-'));
    folders.push(folder);
    const outage = join(folder, 'down');
    await writeFile(outage, '');
    // --readiness-interval is not a flag: the interval is 5 s, so the recovery is seen through a
    // label read by the connector, which counts as a check.
    const { run, origin } = await startJsonServe(['--port', '0'], { entry: SERVE_FIXTURE, env: { FIXTURE_LABELS_FAIL_WHILE: outage } });
    for (let probe = 0; probe < 5; probe++) {
      const answer = await fetch(`${origin}/readyz`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ status: 503, title: 'Not ready', detail: 'The repository failed to list the labels.' });
    }
    const down = await waitForJsonLine(run, 'not ready');
    expect(down).toMatchObject({ level: 'warn', cause: 'The repository failed to list the labels.' });

    await rm(outage);
    expect((await fetch(`${origin}/label`)).status).toBe(200);
    for (let probe = 0; probe < 5; probe++) expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    await waitForJsonLine(run, 'ready');
    const changes = jsonLines(run).filter((line) => line.msg === 'not ready' || line.msg === 'ready');
    expect(changes.map((line) => line.msg)).toStrictEqual(['not ready', 'ready']);
  });
});

describe('createReadiness', () => {
  const counting = (answer: () => Promise<typeof sampleLabels>) => {
    const calls = { labels: 0 };
    return { calls, repository: { findCustomerByPhone: () => null, listLabels: () => (calls.labels++, answer()) } };
  };

  it('runs one check at a time however many probes wait, and a provider (such as a database not connected yet) answers before the repository is asked', async () => {
    let release = () => {};
    const { calls, repository } = counting(() => new Promise((resolve) => (release = () => resolve(sampleLabels))));
    const changes: ReadinessState[] = [];
    const readiness = createReadiness({ repository, timeoutMs: 3000, intervalMs: 5000, onChange: (state) => void changes.push(state) });
    let waiting: string | undefined = 'The database is not connected yet.';
    readiness.addProvider(() => waiting);
    expect(await readiness.state()).toStrictEqual({ ready: false, detail: 'The database is not connected yet.' });
    expect(calls.labels).toBe(0);

    waiting = undefined;
    const probes = Array.from({ length: 50 }, () => readiness.state());
    release();
    expect(await Promise.all(probes)).toStrictEqual(Array(50).fill({ ready: true }));
    expect(calls.labels).toBe(1);
    expect(changes).toStrictEqual([{ ready: false, detail: 'The database is not connected yet.' }, { ready: true }]);

    readiness.stop();
    expect(await readiness.state()).toStrictEqual({ ready: false, detail: 'The connector is shutting down.' });
  });

  it('says "did not list the labels in time" when the one check times out', async () => {
    const { repository } = counting(() => new Promise(() => {}));
    const readiness = createReadiness({ repository, timeoutMs: 50, intervalMs: 5000 });
    expect(await readiness.state()).toStrictEqual({ ready: false, detail: 'The repository did not list the labels in time.' });
  });
});
