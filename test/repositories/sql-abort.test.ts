/**
 * The connector's timeout reaches the SQL repository through `abortWatchOf`, which makes no
 * `AbortController` per call (on Node 20 one and a listener on its signal cost about 20 µs, as
 * much as the rest of a database lookup's own CPU), and a lookup that hangs still ends in a 504.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { countRepositoryCalls, noMetrics } from '../../src/cli/serve/metrics.js';
import type { CustomerRepository } from '../../src/core/repository.js';
import { createConnector } from '../../src/index.js';
import { withCircuitBreaker } from '../../src/repositories/breaker.js';
import { withCache } from '../../src/repositories/cache.js';
import { createSqlRepository, type SqlClient } from '../../src/repositories/sql/index.js';
import { CRM_CONTACTS, CRM_SCHEMA, createPglite, crmMapping, servePglite } from '../support/pglite.js';
import { expectProblem } from '../support/problems.js';

const PGLITE_START_MS = 60_000;
const get = (url: string) => ({ method: 'GET', url, headers: { host: 'crm.example' } });

let db: PGlite;
let served: Awaited<ReturnType<typeof servePglite>>;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createPglite(CRM_SCHEMA + CRM_CONTACTS);
  served = await servePglite(db);
  pool = new pg.Pool({ connectionString: served.url(), max: 2 });
  pool.on('error', () => {});
}, PGLITE_START_MS);
afterAll(async () => {
  await pool?.end();
  await served?.stop();
  await db?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const clients: ReadonlyArray<readonly [string, () => SqlClient]> = [
  ['a pg Pool (a connection checked out per statement)', () => pool],
  ['PGlite (a client with query only)', () => db],
  ['a pg Pool behind a wrapper with only the promise form of connect (as instrumentation may wrap it)', () => promiseOnly(pool)],
];

/** `real` with a `connect` that ignores a callback and returns a promise. */
function promiseOnly(real: pg.Pool): pg.Pool {
  return new Proxy(real, {
    get(inner, name) {
      const value: unknown = Reflect.get(inner, name);
      if (name === 'connect') return () => inner.connect();
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
    },
  });
}

describe.each(clients)('on %s', (_name, client) => {
  it('answers lookups and the label list without making an AbortController', async () => {
    const connector = createConnector({ repository: createSqlRepository({ client: client(), mapping: crmMapping }) });
    // Prepared and the catalog read before counting: only the requests themselves are counted.
    expect((await connector.handle(get('/customer?query=phone:+923001234567'))).status).toBe(200);
    const made = vi.spyOn(globalThis, 'AbortController');
    const found = await connector.handle(get('/customer?query=phone:+923001234567'));
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body ?? '')).toMatchObject({ _id: '1', labels: ['1', '3'], phone1: '+92 300-1234567' });
    expect((await connector.handle(get('/customer?query=phone:5555'))).status).toBe(404);
    expect((await connector.handle(get('/label'))).status).toBe(200);
    expect(made).not.toHaveBeenCalled();
  });

  it('still answers 504 when a lookup hangs past timeoutMs, and the next lookup is served', async () => {
    // The lookup's statement (the one selecting phone1) waits at a gate the test opens after the 504.
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = 0;
    const hold = <T>(statement: unknown, run: () => Promise<T>): Promise<T> =>
      held === 0 && JSON.stringify(statement).includes('phone1') ? (held++, gate.then(run)) : run();
    const repository = createSqlRepository({ client: withHeldLookup(client(), hold), mapping: crmMapping });
    const hurried = createConnector({ repository, timeoutMs: 100 });
    await expectProblem(await hurried.handle(get('/customer?query=phone:+923001234567')), 'crmTimeout');
    expect(held).toBe(1);
    open();
    // The same repository, with time for the cancel's own connection that PGlite serves meanwhile.
    const patient = createConnector({ repository, timeoutMs: 10_000 });
    expect((await patient.handle(get('/customer?query=phone:+923001234567'))).status).toBe(200);
  });
});

// serve --database wraps the repository in these (breaker and label cache on by default, metrics on by default).
const wrappers: ReadonlyArray<readonly [string, (repository: CustomerRepository) => CustomerRepository]> = [
  ['withCircuitBreaker', (repository) => withCircuitBreaker(repository)],
  ['withCache (customers not kept: each lookup a shared call)', (repository) => withCache(repository, { labelsTtlMs: 0 })],
  ["serve's call counting", (repository) => countRepositoryCalls(repository, noMetrics)],
  ['all three, as serve --database stacks them', (repository) => countRepositoryCalls(withCache(withCircuitBreaker(repository), { labelsTtlMs: 0 }), noMetrics)],
];

describe.each(wrappers)('through %s', (_name, wrap) => {
  it('answers lookups and the label list without making an AbortController, and still answers 504 when a lookup hangs', async () => {
    const connector = createConnector({ repository: wrap(createSqlRepository({ client: pool, mapping: crmMapping })) });
    expect((await connector.handle(get('/customer?query=phone:+923001234567'))).status).toBe(200);
    const made = vi.spyOn(globalThis, 'AbortController');
    expect((await connector.handle(get('/customer?query=phone:+923001234567'))).status).toBe(200);
    expect((await connector.handle(get('/customer?query=phone:5555'))).status).toBe(404);
    expect((await connector.handle(get('/label'))).status).toBe(200);
    expect(made).not.toHaveBeenCalled();
    made.mockRestore();

    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const hold: Hold = (statement, run) => (JSON.stringify(statement).includes('phone1') ? gate.then(run) : run());
    const hurried = createConnector({ repository: wrap(createSqlRepository({ client: withHeldLookup(pool, hold), mapping: crmMapping })), timeoutMs: 100 });
    await expectProblem(await hurried.handle(get('/customer?query=phone:+923001234567')), 'crmTimeout');
    open();
  });
});

type Hold = <T>(statement: unknown, run: () => Promise<T>) => Promise<T>;

/** `target` with its `query` going through `hold` (in pg's promise or callback form); its other members as they are. */
function holdingQuery<T extends object>(target: T, hold: Hold): T {
  return new Proxy(target, {
    get(inner, name) {
      const value: unknown = Reflect.get(inner, name);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => Promise<unknown>).bind(inner);
      if (name !== 'query') return bound;
      return (...args: unknown[]) => {
        const callback = typeof args.at(-1) === 'function' ? (args.pop() as (error: unknown, result?: unknown) => void) : undefined;
        const held = hold(args[0], () => bound(...args));
        if (callback === undefined) return held;
        held.then(
          (result) => callback(null, result),
          (error: unknown) => callback(error),
        );
        return undefined;
      };
    },
  });
}

/** The client with the statements it runs going through `hold`: a pg Pool's through the connections it hands out. */
function withHeldLookup(client: SqlClient, hold: Hold): SqlClient {
  if (!('totalCount' in client)) return holdingQuery(client, hold);
  return new Proxy(client as pg.Pool, {
    get(inner, name) {
      const value: unknown = Reflect.get(inner, name);
      if (name === 'connect') {
        return (callback?: (error: unknown, client?: pg.PoolClient, done?: unknown) => void) => {
          if (callback === undefined) return inner.connect().then((client) => holdingQuery(client, hold));
          // A promise back too (a wrapper with only that form): its connection held the same way.
          const returned: unknown = inner.connect((error, client, done) => callback(error, client === undefined ? undefined : holdingQuery(client, hold), done));
          return returned instanceof Promise ? returned.then((client: pg.PoolClient) => holdingQuery(client, hold)) : returned;
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
    },
  });
}
