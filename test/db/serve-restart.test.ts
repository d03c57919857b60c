import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, startCli, waitForOutput } from '../support/cli.js';
import { controlServer, type Engine } from '../support/db-servers.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { expectProblem } from '../support/problems.js';

// serve's own defaults over a database: the label cache and the circuit breaker (5 failures,
// 10 s cooldown). The breaker's cooldown is what a Hybrid Chat operator waits after a restart.
const FAILURES = 5;
const COOLDOWN_MS = 10_000;

async function ask(url: string) {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body, ms: performance.now() - started };
}

describe.each<Engine>(['postgres', 'mariadb'])('serve --database (JSON logs, default breaker and label cache) with %s stopped mid-run', (engine) => {
  let db: CrmDatabase;
  let folder: string;
  let run: CliRun | undefined;
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    folder = await mkdtemp(join(tmpdir(), 'prc-serve-restart-'));
  });
  afterAll(async () => {
    await controlServer('start', engine).catch(() => {}); // already running unless a test failed midway
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL');
    await db?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers 500 problem+json, then 503 with Retry-After once the breaker opens, stale labels from the cache, and serves again by itself after the cooldown', async () => {
    const mapping = join(folder, 'mapping.json');
    await writeFile(mapping, JSON.stringify(db.mapping));
    run = startCli(['serve', '--port', '0', '--mapping', mapping], { DATABASE_URL: db.scratch.url });
    const [, base] = await waitForOutput(run, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const customer = `${base}/customer?query=phone:1111`;
    const labels = `${base}/label`;
    expect((await ask(customer)).status).toBe(200);
    const listed = await ask(labels);
    expect(listed.status).toBe(200);

    await controlServer('stop', engine);
    for (let i = 0; i < FAILURES; i++) {
      const answer = await ask(customer);
      await expectProblem(answer, 'crmFailure');
      expect(answer.ms).toBeLessThan(3000);
    }
    const open = await ask(customer);
    await expectProblem(open, 'circuitOpen');
    expect(Number(open.headers['retry-after'])).toBeGreaterThan(0);
    // The label list was cached before the stop: served stale while the database is down.
    const stale = await ask(labels);
    expect(stale.status).toBe(200);
    expect(stale.body).toBe(listed.body);

    await controlServer('start', engine);
    const started = performance.now();
    let status = 0;
    while (status !== 200 && performance.now() - started < COOLDOWN_MS + 5000) {
      status = (await ask(customer)).status;
      if (status !== 200) {
        expect([500, 503]).toContain(status);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await ask(customer)).status).toBe(200);
    expect(run.child.exitCode).toBeNull(); // the same process: no restart

    const log = run.stdout();
    expect(log).toContain('"msg":"circuit breaker open"');
    expect(log).toContain('"msg":"circuit breaker closed"');
    expect(log).not.toContain(decodeURIComponent(new URL(db.scratch.url).password));
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 60_000);
});
