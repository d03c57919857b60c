import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { bulkCustomersSql, bulkMobileDigits } from '../../test/support/crm-bulk.js';
import { type CrmDatabase, createCrmDatabase } from '../../test/support/sql-backends.js';
import { startChild } from '../lib/child.js';
import { distDirectory, loadMain, loadSql } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { type BaselinePool, baselineLookup } from '../lib/sql-baseline.js';
import { interleave, median, seededRandom } from '../lib/stats.js';

const LARGE = 1_000_000;
const SMALL = 1_000;
const MARIA = 100_000;
const PER_ROUND = 2_000;
const CLI = join(distDirectory, 'cli.js');

type Answer = (url: string) => Promise<unknown>;
interface Percentiles {
  p50: number;
  p99: number;
}

const log = (message: string) => process.stderr.write(`sql bench: ${message}\n`);

/** Request paths for random existing customers among the first `population`, as Hybrid Chat sends them. */
function customerPaths(population: number, count = 1024, seed = 11): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => `/customer?query=phone:+${bulkMobileDigits(1 + Math.floor(random() * population))}`);
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;

/** p50 and p99, in µs, of `PER_ROUND` requests answered one after another. */
async function measure(answer: Answer, paths: readonly string[]): Promise<Percentiles> {
  const times: number[] = [];
  for (let index = 0; index < PER_ROUND; index++) {
    const started = process.hrtime.bigint();
    await answer(paths[index % paths.length] as string);
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** Runs `answer` once and fails unless it found the customer: a benchmark of 404s measures nothing. */
async function expectFound(name: string, answer: (url: string) => Promise<{ status: number }>, paths: readonly string[]) {
  for (const path of paths.slice(0, 20)) {
    const { status } = await answer(path);
    if (status !== 200) throw new Error(`${name}: ${path} answered ${status}, expected 200`);
  }
}

/** A keep-alive HTTP client on one socket: the status of `GET http://127.0.0.1:<port><path>`. */
function httpClient(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answer = (path: string) =>
    new Promise<{ status: number }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      }).on('error', reject);
    });
  return { answer, close: () => agent.destroy() };
}

/** `priority-routing-crm serve --database` from `dist/`, quiet; resolves with its port once listening. */
async function startServe(url: string, mappingFile: string) {
  // The URL (with its password) from the environment: serve refuses a password on the command line.
  const env = { ...process.env, DATABASE_URL: url };
  const child = spawn(process.execPath, [CLI, 'serve', '--log-format', 'text', '--quiet', '--port', '0', '--mapping', mappingFile], { stdio: ['ignore', 'pipe', 'inherit'], env });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /CIM_CUSTOMER_QUERY_URL=http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve --database exited ${String(code)}: ${out}`)));
  });
  return { port, stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))) };
}

/** The CRM schema with `count` generated customers and the DDL of `db indexes --apply` (run as a user would). */
async function loadDatabase(engine: 'postgres' | 'mariadb', count: number, folder: string): Promise<{ db: CrmDatabase; mappingFile: string }> {
  const started = performance.now();
  const db = await createCrmDatabase(engine);
  await db.exec(bulkCustomersSql(engine, db.tables, count));
  const loaded = performance.now();
  const mappingFile = join(folder, `${db.scratch.name}.json`);
  await writeFile(mappingFile, JSON.stringify(db.mapping));
  const code = await new Promise<number | null>((resolve) => {
    const env = { ...process.env, DATABASE_URL: db.scratch.url };
    spawn(process.execPath, [CLI, 'db', 'indexes', '--apply', '--mapping', mappingFile], { stdio: ['ignore', 'ignore', 'inherit'], env }).once('exit', resolve);
  });
  if (code !== 0) throw new Error(`db indexes --apply exited ${String(code)}`);
  await db.exec(engine === 'postgres' ? `ANALYZE ${db.tables.contacts}; ANALYZE ${db.tables.contact_tags}` : `ANALYZE TABLE ${db.tables.contacts}, ${db.tables.contact_tags}`);
  log(`${engine}: ${count.toLocaleString('en-US')} customers generated in ${((loaded - started) / 1000).toFixed(1)} s, indexes in ${((performance.now() - loaded) / 1000).toFixed(1)} s`);
  return { db, mappingFile };
}

/** The connector over a SQL repository on `client`, in-process: `connector.handle` per request. */
async function inProcessConnector(client: unknown, mapping: unknown): Promise<(url: string) => Promise<{ status: number }>> {
  const [{ createConnector }, { createSqlRepository }] = await Promise.all([loadMain(), loadSql()]);
  const connector = createConnector({ repository: createSqlRepository({ client: client as never, mapping }) });
  return async (url) => connector.handle({ method: 'GET', url, headers: { host: '127.0.0.1' } });
}

const spread = (values: readonly number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} µs`;

/** A p50 or p99 row from per-round percentiles, with the spread over rounds in its note. */
function latencyRow(name: string, which: keyof Percentiles, ours: Percentiles[], baseline: Percentiles[], baselineName: string, target?: number): Row {
  const row = compare(name, 'µs', { ours: ours.map((round) => round[which]), baseline: baseline.map((round) => round[which]) }, baselineName, target);
  row.note = `${which} per round: ours ${spread(ours.map((round) => round[which]))}, baseline ${spread(baseline.map((round) => round[which]))}.`;
  return row;
}

/**
 * Benchmark 6: the SQL repository against real PostgreSQL (1,000,000 customers with three phone
 * columns, the indexes of `db indexes`) and MariaDB (100,000): lookup latency in-process and over
 * HTTP through `serve --database`, against a hand-written query on the same indexes; and lookup
 * cost at 1,000 against 1,000,000 customers. Needs the servers of scripts/db-servers.sh
 * (`npm run bench:db`).
 */
export async function sql(rounds: number): Promise<SuiteResult> {
  const postgresUrl = process.env.PRC_TEST_POSTGRES_URL;
  const mysqlUrl = process.env.PRC_TEST_MYSQL_URL;
  const folder = process.env.PRC_TEST_DB_DIR;
  if (!postgresUrl || !mysqlUrl || !folder) throw new Error('the sql suite needs the database servers: run it with `npm run bench:db`');

  const closers: Array<() => Promise<unknown>> = [];
  try {
    const large = await loadDatabase('postgres', LARGE, folder);
    const small = await loadDatabase('postgres', SMALL, folder);
    closers.push(() => large.db.close(), () => small.db.close());
    const pools = [large, small].map(({ db }) => {
      const pool = new pg.Pool({ connectionString: db.scratch.url, max: 10 });
      closers.push(() => pool.end());
      return pool;
    });
    const [largePool, smallPool] = pools as [pg.Pool, pg.Pool];
    const paths = { large: customerPaths(LARGE), small: customerPaths(SMALL) };

    const ours = { large: await inProcessConnector(largePool, large.db.mapping), small: await inProcessConnector(smallPool, small.db.mapping) };
    const hand = {
      large: baselineLookup('postgres', largePool as BaselinePool, large.db.tables),
      small: baselineLookup('postgres', smallPool as BaselinePool, small.db.tables),
    };
    await expectFound('ours', ours.large, paths.large);
    await expectFound('hand-written', hand.large, paths.large);

    const serve = await startServe(large.db.scratch.url, large.mappingFile);
    closers.push(serve.stop);
    const rawServer = startChild('sql-server', [large.db.scratch.url, large.db.tables.contacts, large.db.tables.contact_tags]);
    closers.push(() => rawServer.stop());
    const rawPort = ((await rawServer.ready) as { port: number }).port;
    const overHttp = { ours: httpClient(serve.port), raw: httpClient(rawPort) };
    closers.push(async () => (overHttp.ours.close(), overHttp.raw.close()));
    await expectFound('serve --database', overHttp.ours.answer, paths.large);
    await expectFound('raw node:http', overHttp.raw.answer, paths.large);

    const contenders = {
      oursLarge: () => measure(ours.large, paths.large),
      handLarge: () => measure(hand.large, paths.large),
      oursSmall: () => measure(ours.small, paths.small),
      handSmall: () => measure(hand.small, paths.small),
      oursHttp: () => measure(overHttp.ours.answer, paths.large),
      rawHttp: () => measure(overHttp.raw.answer, paths.large),
    };
    for (const warm of Object.values(contenders)) await warm();
    log(`postgres: ${rounds} rounds of ${PER_ROUND.toLocaleString('en-US')} lookups per contender`);
    const pgSamples = await interleave(rounds, contenders);

    const growth = (largeRounds: Percentiles[], smallRounds: Percentiles[]) => largeRounds.map((round, index) => round.p50 / (smallRounds[index] as Percentiles).p50);
    const HAND = 'hand-written pg query, same indexes';
    const rows: Row[] = [
      latencyRow('lookup p50, in-process, 1,000,000 customers (PostgreSQL)', 'p50', pgSamples.oursLarge, pgSamples.handLarge, HAND, 1.2),
      latencyRow('lookup p99, in-process, 1,000,000 customers (PostgreSQL)', 'p99', pgSamples.oursLarge, pgSamples.handLarge, HAND),
      latencyRow('lookup p50 over HTTP, serve --database, 1,000,000 customers', 'p50', pgSamples.oursHttp, pgSamples.rawHttp, 'raw node:http + hand-written pg query', 1.2),
      latencyRow('lookup p99 over HTTP, serve --database, 1,000,000 customers', 'p99', pgSamples.oursHttp, pgSamples.rawHttp, 'raw node:http + hand-written pg query'),
      latencyRow('lookup p50, in-process, 1,000 customers (PostgreSQL)', 'p50', pgSamples.oursSmall, pgSamples.handSmall, HAND),
      compare('lookup growth, 1,000 → 1,000,000 customers (p50)', '×', { ours: growth(pgSamples.oursLarge, pgSamples.oursSmall), baseline: growth(pgSamples.handLarge, pgSamples.handSmall) }, 'hand-written growth'),
      ...(await mariaRows(rounds, folder, closers)),
    ];
    rows[0]!.note += ` ${PER_ROUND.toLocaleString('en-US')} lookups per round for random existing customers, one after another, each awaited; ours is connector.handle over createSqlRepository (pg Pool of 10), the baseline parses the query, runs one statement and writes the JSON.`;
    rows[2]!.note += ' serve --database --quiet (dist/cli.js) and a raw node:http server with the baseline, each in its own process; one keep-alive connection from this process.';
    rows[5]!.note = `median over rounds of (p50 at ${LARGE.toLocaleString('en-US')}) / (p50 at ${SMALL.toLocaleString('en-US')}); a B-tree lookup grows with log n, so about 1.1–1.5× is the index's own share.`;
    return { suite: 'sql', title: '6. SQL repository on real PostgreSQL and MariaDB', rows, extra: { medianP50Us: median(pgSamples.oursLarge.map((round) => round.p50)) } };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/**
 * A mysql2 pool whose connections run `execute` as `query`: the repository as it was before it
 * used server-side prepared statements (values interpolated into the text on the client), to
 * state what the prepared statements cost or save in the same run.
 */
function interpolatingPool(pool: mysql.Pool) {
  return {
    pool: (pool as unknown as { pool: unknown }).pool,
    getConnection: async () => {
      const connection = await pool.getConnection();
      return new Proxy(connection, {
        get(target, property) {
          if (property === 'execute') return (text: string, params: unknown[]) => target.query(text, params);
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

/**
 * MariaDB (100,000 customers, the generated columns and indexes of `db indexes`): our lookup
 * against a hand-written mysql2 query, and our lookup as server-side prepared statements
 * (`execute`, what the repository sends) against the same lookup interpolated on the client
 * (`query`).
 */
async function mariaRows(rounds: number, folder: string, closers: Array<() => Promise<unknown>>): Promise<Row[]> {
  const maria = await loadDatabase('mariadb', MARIA, folder);
  closers.push(() => maria.db.close());
  const mariaPool = mysql.createPool({ uri: maria.db.scratch.url, connectionLimit: 10 });
  closers.push(() => mariaPool.end());
  const mariaPaths = customerPaths(MARIA);
  const mariaOurs = await inProcessConnector(mariaPool, maria.db.mapping);
  const mariaInterpolated = await inProcessConnector(interpolatingPool(mariaPool), maria.db.mapping);
  const mariaHand = baselineLookup('mariadb', mariaPool as unknown as BaselinePool, maria.db.tables);
  await expectFound('ours on MariaDB', mariaOurs, mariaPaths);
  await expectFound('ours on MariaDB, interpolated', mariaInterpolated, mariaPaths);
  await expectFound('hand-written on MariaDB', mariaHand, mariaPaths);
  const mariaContenders = { ours: () => measure(mariaOurs, mariaPaths), interpolated: () => measure(mariaInterpolated, mariaPaths), hand: () => measure(mariaHand, mariaPaths) };
  for (const warm of Object.values(mariaContenders)) await warm();
  log(`mariadb: ${rounds} rounds of ${PER_ROUND.toLocaleString('en-US')} lookups per contender`);
  const mariaSamples = await interleave(rounds, mariaContenders);
  const prepared = latencyRow('lookup p50, in-process, 100,000 customers (MariaDB): prepared (execute) against interpolated (query)', 'p50', mariaSamples.ours, mariaSamples.interpolated, 'the same repository with mysql2 query(): values interpolated on the client');
  prepared.note += ' Server-side prepared statements: prepared once per pooled connection, then one execute round trip per lookup.';
  return [
    latencyRow('lookup p50, in-process, 100,000 customers (MariaDB)', 'p50', mariaSamples.ours, mariaSamples.hand, 'hand-written mysql2 query, same indexes'),
    latencyRow('lookup p99, in-process, 100,000 customers (MariaDB)', 'p99', mariaSamples.ours, mariaSamples.hand, 'hand-written mysql2 query, same indexes'),
    prepared,
    latencyRow('lookup p99, in-process, 100,000 customers (MariaDB): prepared against interpolated', 'p99', mariaSamples.ours, mariaSamples.interpolated, 'the same repository with mysql2 query()'),
  ];
}

/** The MariaDB part of {@link sql} alone (`--only sql-mariadb`): no million-row PostgreSQL load. */
export async function sqlMariadb(rounds: number): Promise<SuiteResult> {
  const folder = process.env.PRC_TEST_DB_DIR;
  if (!process.env.PRC_TEST_MYSQL_URL || !folder) throw new Error('the sql-mariadb suite needs the database servers: run it under scripts/db-servers.sh');
  const closers: Array<() => Promise<unknown>> = [];
  try {
    return { suite: 'sql-mariadb', title: '6b. SQL repository on real MariaDB', rows: await mariaRows(rounds, folder, closers) };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}
