import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../src/reference/server.js';
import { createSqlRepository, openSqlDatabase, type SqlClient } from '../../src/repositories/sql/index.js';
import { controlServer, type Engine } from '../support/db-servers.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { expectProblem } from '../support/problems.js';

const TIMEOUT_MS = 1000;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

async function ask(url: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body, ms: performance.now() - started };
}

// The database stopped mid-run and started again, under a connector that keeps running: each
// request in between fails fast and cleanly, and the same pool serves again afterwards.
describe.each<[Engine, 'openSqlDatabase (as serve --database)' | 'a pool of your own']>([
  ['postgres', 'openSqlDatabase (as serve --database)'],
  ['postgres', 'a pool of your own'],
  ['mariadb', 'openSqlDatabase (as serve --database)'],
  ['mariadb', 'a pool of your own'],
])('%s restarted under a running connector, %s', (engine, source) => {
  let db: CrmDatabase;
  let client: SqlClient;
  let close = async () => {};
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    if (source === 'a pool of your own') client = db.pool();
    else {
      const opened = await openSqlDatabase(db.scratch.url, { timeoutMs: TIMEOUT_MS });
      client = opened.client;
      close = opened.close;
    }
  });
  afterAll(async () => {
    await controlServer('start', engine).catch(() => {}); // already running unless a test failed midway
    await close();
    await db?.close();
  });

  it('answers 500 or 504 problem+json within timeoutMs while it is down, and recovers by itself once it is back', async () => {
    const server = await startReferenceServer({ repository: createSqlRepository({ client, mapping: db.mapping }), timeoutMs: TIMEOUT_MS });
    const customer = server.customerQueryUrl.replace('{refId}', '1111');
    try {
      expect((await ask(customer)).status).toBe(200);
      expect((await ask(server.labelsUrl)).status).toBe(200);

      await controlServer('stop', engine);
      const down = [];
      for (let i = 0; i < 3; i++) down.push(await ask(customer), await ask(server.labelsUrl));
      // And several at once, as a queue would send them.
      down.push(...(await Promise.all(Array.from({ length: 6 }, () => ask(customer)))));
      for (const answer of down) {
        await expectProblem(answer, ['crmFailure', 'crmTimeout']);
        // Catches a request that outlives timeoutMs (a connect that hangs); twice the timeout
        // leaves room for a loaded machine.
        expect(answer.ms).toBeLessThan(2 * TIMEOUT_MS);
      }

      await controlServer('start', engine);
      // The first request after the restart may meet a connection the pool had not yet seen
      // die; within a few requests every answer is right again, without restarting anything.
      const after: number[] = [];
      for (let i = 0; i < 20 && after.at(-1) !== 200; i++) {
        after.push((await ask(customer)).status);
        if (after.at(-1) !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(after.at(-1)).toBe(200);
      expect(after.length).toBeLessThanOrEqual(3);
      for (let i = 0; i < 10; i++) expect((await ask(i % 2 === 0 ? customer : server.labelsUrl)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
