import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../src/reference/server.js';
import { createSqlRepository, type SqlClient } from '../../src/repositories/sql/index.js';
import type { Engine } from '../support/db-servers.js';
import { expectProblem } from '../support/problems.js';
import { type CrmDatabase, createCrmDatabase } from '../support/sql-backends.js';
import { query } from '../support/sql-repository-cases.js';

const TIMEOUT_MS = 400;

/** Polls `probe` every 25 ms until it is true; the milliseconds it took, or Infinity after `limitMs`. */
async function msUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Number.POSITIVE_INFINITY;
}

/** A view that takes 30 s to read: the lookup through it runs until someone stops it. */
const SLOW_VIEW: Record<Engine, string> = {
  postgres: 'CREATE VIEW crm.slow_contacts AS SELECT c.* FROM crm.contacts c CROSS JOIN LATERAL (SELECT pg_sleep(30)) s',
  mariadb: 'CREATE VIEW {slow} AS SELECT c.* FROM {contacts} c WHERE SLEEP(30) = 0',
};
const SLEEP: Record<Engine, string> = { postgres: 'SELECT pg_sleep(2) AS held_by_test', mariadb: 'SELECT SLEEP(2) AS held_by_test' };

/** A statement straight on the driver's pool, as another part of the application would run it. */
const direct = (client: SqlClient, sql: string): Promise<unknown> => (client as { query(sql: string): Promise<unknown> }).query(sql);

describe.each<Engine>(['postgres', 'mariadb'])('on %s', (engine) => {
  let db: CrmDatabase;
  let readerUrl: string;
  beforeAll(async () => {
    db = await createCrmDatabase(engine);
    const slow = `${db.tables.contacts.replace(/contacts$/, 'slow_contacts')}`;
    await db.exec(SLOW_VIEW[engine].replace('{slow}', slow));
    readerUrl = await db.selectOnlyUrl();
  });
  afterAll(() => db?.close());

  const slowMapping = () => ({ ...db.mapping, customers: { ...db.mapping.customers, table: db.tables.contacts.replace(/contacts$/, 'slow_contacts') } });

  it('a SELECT-only user cannot write, and runs the repository fine: lookups, labels, 404 (so only SELECT is sent)', async () => {
    const reader = db.pool({ url: readerUrl });
    await expect(direct(reader, `INSERT INTO ${db.tables.tags} (name) VALUES ('x')`)).rejects.toThrow(/denied/i);
    await expect(direct(reader, `CREATE TABLE ${db.tables.contacts}_copy (id int)`)).rejects.toThrow(/denied/i);
    const server = await startReferenceServer({ repository: createSqlRepository({ client: reader, mapping: db.mapping }) });
    try {
      const found = await fetch(server.customerQueryUrl.replace('{refId}', '+923001234567'));
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ _id: '1', labels: ['1', '3'] });
      expect((await fetch(server.customerQueryUrl.replace('{refId}', '5555'))).status).toBe(404);
      const labels = await fetch(server.labelsUrl);
      expect(labels.status).toBe(200);
      expect(await labels.json()).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("cancels the statement on the server when the connector's timeoutMs aborts it (gone within a second), as the SELECT-only user", async () => {
    const client = db.pool({ url: readerUrl, max: 2 });
    const server = await startReferenceServer({ repository: createSqlRepository({ client, mapping: slowMapping() }), timeoutMs: TIMEOUT_MS });
    try {
      const started = performance.now();
      const answer = fetch(server.customerQueryUrl.replace('{refId}', '1111'));
      // The lookup really runs on the server before the timeout ends it.
      expect(await msUntil(async () => (await db.running('slow_contacts')).length === 1, TIMEOUT_MS)).toBeLessThan(TIMEOUT_MS);
      const response = await answer;
      const answeredAfter = performance.now() - started;
      await expectProblem(response, 'crmTimeout');
      expect(answeredAfter).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      // The statement sleeps 30 s: what this catches is an answer that waits for it. The margin
      // is wide because a loaded 2-core machine can stall the event loop for a second.
      expect(answeredAfter).toBeLessThan(TIMEOUT_MS + 2_000);
      // Gone from pg_stat_activity / the process list well before the 30 s it would run (a few
      // seconds of room for a loaded machine; the cancel itself takes milliseconds).
      expect(await msUntil(async () => (await db.running('slow_contacts')).length === 0, 10_000)).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
    // Both connections of the pool are usable again: two lookups at once are answered.
    const fast = createSqlRepository({ client, mapping: db.mapping });
    const signal = AbortSignal.timeout(5000);
    const found = await Promise.all([fast.findCustomerByPhone(query('1111'), { signal }), fast.listLabels({ signal })]);
    expect(found[0]?._id).toBe('3');
    expect(found[1]).toHaveLength(3);
  });

  it('waits at most timeoutMs for a connection of an exhausted pool, then serves requests again once one is free', async () => {
    const client = db.pool({ max: 1 });
    const server = await startReferenceServer({ repository: createSqlRepository({ client, mapping: db.mapping }), timeoutMs: TIMEOUT_MS });
    try {
      // The only connection is busy for 2 s with someone else's statement.
      const held = direct(client, SLEEP[engine]);
      expect(await msUntil(async () => (await db.running('held_by_test')).length === 1, 1000)).toBeLessThan(1000);
      const started = performance.now();
      const response = await fetch(server.customerQueryUrl.replace('{refId}', '1111'));
      const waited = performance.now() - started;
      await expectProblem(response, 'crmTimeout');
      // The held statement lasts 2 s: an answer before it ends proves the wait stopped at
      // timeoutMs, with room for a loaded machine.
      expect(waited).toBeLessThan(TIMEOUT_MS + 1_200);
      await held;
      // The connection that came too late went back to the pool: the next request gets it.
      const next = await fetch(server.customerQueryUrl.replace('{refId}', '1111'));
      expect(next.status).toBe(200);
      expect(await next.json()).toMatchObject({ _id: '3' });
    } finally {
      await server.close();
    }
  });
});
