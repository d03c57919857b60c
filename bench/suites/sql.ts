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
import { endsWithBench } from '../lib/lifetime.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { type BaselinePool, baselineLookup } from '../lib/sql-baseline.js';
import { interleave, median, seededRandom } from '../lib/stats.js';

/** Row counts; `BENCH_SQL_ROWS` / `BENCH_MARIA_ROWS` lower them on a machine too busy to load a million. */
const LARGE = rowCount('BENCH_SQL_ROWS', 1_000_000);
const SMALL = 1_000;
const MARIA = rowCount('BENCH_MARIA_ROWS', 1_000_000);
const PER_ROUND = 2_000;
const CLI = join(distDirectory, 'cli.js');
/**
 * `BENCH_SQL_BEFORE_DIST=/path/to/other/dist`: a second build of the library (an older commit's
 * `npm run build`) measured as one more contender in the same rounds, on the same databases, so
 * that before and after come from one session.
 */
const BEFORE_DIST = process.env.BENCH_SQL_BEFORE_DIST;

function rowCount(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{3,8}$/.test(value)) throw new Error(`${variable} must be a whole number of rows (at least 100), got ${JSON.stringify(value)}`);
  return Number(value);
}

const grouped = (count: number) => count.toLocaleString('en-US');

type Answer = (url: string) => Promise<unknown>;
interface Percentiles {
  p50: number;
  p99: number;
  /** CPU time of this process (the client: `process.cpuUsage`, user + system) per lookup, µs. */
  cpu: number;
}

const log = (message: string) => process.stderr.write(`sql bench: ${message}\n`);

/** Request paths for random existing customers among the first `population`, as Hybrid Chat sends them. */
function customerPaths(population: number, count = 1024, seed = 11): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => `/customer?query=phone:+${bulkMobileDigits(1 + Math.floor(random() * population))}`);
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;

/** p50 and p99, in µs, of `PER_ROUND` requests answered one after another, and this process's CPU per request. */
async function measure(answer: Answer, paths: readonly string[]): Promise<Percentiles> {
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < PER_ROUND; index++) {
    const started = process.hrtime.bigint();
    await answer(paths[index % paths.length] as string);
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), cpu: (cpu.user + cpu.system) / PER_ROUND };
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
  const child = endsWithBench(spawn(process.execPath, [CLI, 'serve', '--log-format', 'text', '--quiet', '--port', '0', '--mapping', mappingFile], { stdio: ['ignore', 'pipe', 'inherit'], env }));
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

/**
 * The CRM schema with `count` generated customers and the DDL of `db indexes --apply
 * --phone-keys` (run as a user would): the per-column indexes the baseline uses, and the
 * phone-key table the repository finds and uses.
 */
async function loadDatabase(engine: 'postgres' | 'mariadb', count: number, folder: string): Promise<{ db: CrmDatabase; mappingFile: string }> {
  const started = performance.now();
  const db = await createCrmDatabase(engine);
  await db.exec(bulkCustomersSql(engine, db.tables, count));
  const loaded = performance.now();
  const mappingFile = join(folder, `${db.scratch.name}.json`);
  await writeFile(mappingFile, JSON.stringify(db.mapping));
  const code = await new Promise<number | null>((resolve) => {
    const env = { ...process.env, DATABASE_URL: db.scratch.url };
    spawn(process.execPath, [CLI, 'db', 'indexes', '--apply', '--phone-keys', '--mapping', mappingFile], { stdio: ['ignore', 'ignore', 'inherit'], env }).once('exit', resolve);
  });
  if (code !== 0) throw new Error(`db indexes --apply exited ${String(code)}`);
  await db.exec(engine === 'postgres' ? `ANALYZE ${db.tables.contacts}; ANALYZE ${db.tables.contact_tags}` : `ANALYZE TABLE ${db.tables.contacts}, ${db.tables.contact_tags}`);
  log(`${engine}: ${count.toLocaleString('en-US')} customers generated in ${((loaded - started) / 1000).toFixed(1)} s, indexes in ${((performance.now() - loaded) / 1000).toFixed(1)} s`);
  return { db, mappingFile };
}

/** The library built elsewhere (`BENCH_SQL_BEFORE_DIST`): its main and sql entries. */
const loadBefore = (folder: string) =>
  Promise.all([
    import(new URL(`file://${join(folder, 'index.js')}`).href) as ReturnType<typeof loadMain>,
    import(new URL(`file://${join(folder, 'sql.js')}`).href) as ReturnType<typeof loadSql>,
  ]);

/** The connector over a SQL repository on `client`, in-process: `connector.handle` per request (from `dist`, or `from` another build). */
async function inProcessConnector(client: unknown, mapping: unknown, from?: string): Promise<(url: string) => Promise<{ status: number }>> {
  const [{ createConnector }, { createSqlRepository }] = from === undefined ? await Promise.all([loadMain(), loadSql()]) : await loadBefore(from);
  const connector = createConnector({ repository: createSqlRepository({ client: client as never, mapping }) });
  return async (url) => connector.handle({ method: 'GET', url, headers: { host: '127.0.0.1' } });
}

const spread = (values: readonly number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} µs`;

/** A p50, p99 or CPU-per-lookup row from per-round figures, with the spread over rounds in its note. */

function latencyRow(name: string, which: keyof Percentiles, ours: Percentiles[], baseline: Percentiles[], baselineName: string, target?: number): Row {
  const row = compare(name, 'µs', { ours: ours.map((round) => round[which]), baseline: baseline.map((round) => round[which]) }, baselineName, target);
  row.note = `${which} per round: ours ${spread(ours.map((round) => round[which]))}, baseline ${spread(baseline.map((round) => round[which]))}.`;
  return row;
}

/** What every row says about the rounds. */
const ROUNDS_NOTE = `${grouped(PER_ROUND)} lookups per round for random existing customers, one after another, each awaited; CPU is this process's (the client's) process.cpuUsage per lookup.`;

/**
 * Benchmark 6: the SQL repository against real PostgreSQL (1,000,000 customers with three phone
 * columns, the indexes of `db indexes --phone-keys`) and MariaDB (1,000,000): lookup latency and
 * client CPU in-process and over HTTP through `serve --database`, against a PREPARED
 * hand-written query on the same per-column indexes (and the same query unprepared, labelled);
 * and lookup cost at 1,000 against 1,000,000 customers. Needs the servers of
 * scripts/db-servers.sh (`npm run bench:db`).
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
      large: baselineLookup('postgres', largePool as unknown as BaselinePool, large.db.tables),
      largeText: baselineLookup('postgres', largePool as unknown as BaselinePool, large.db.tables, { prepared: false }),
      small: baselineLookup('postgres', smallPool as unknown as BaselinePool, small.db.tables),
    };
    await expectFound('ours', ours.large, paths.large);
    await expectFound('hand-written', hand.large, paths.large);
    await expectFound('hand-written, unprepared', hand.largeText, paths.large);
    const before = BEFORE_DIST === undefined ? undefined : await inProcessConnector(largePool, large.db.mapping, BEFORE_DIST);
    if (before !== undefined) await expectFound('before', before, paths.large);

    const serve = await startServe(large.db.scratch.url, large.mappingFile);
    closers.push(serve.stop);
    const rawServer = startChild('sql-server', [large.db.scratch.url, large.db.tables.contacts, large.db.tables.contact_tags]);
    closers.push(() => rawServer.stop());
    const rawPort = ((await rawServer.ready) as { port: number }).port;
    const overHttp = { ours: httpClient(serve.port), raw: httpClient(rawPort) };
    closers.push(async () => (overHttp.ours.close(), overHttp.raw.close()));
    await expectFound('serve --database', overHttp.ours.answer, paths.large);
    await expectFound('raw node:http', overHttp.raw.answer, paths.large);

    const contenders: Record<string, () => Promise<Percentiles>> = {
      oursLarge: () => measure(ours.large, paths.large),
      handLarge: () => measure(hand.large, paths.large),
      handLargeText: () => measure(hand.largeText, paths.large),
      ...(before === undefined ? {} : { beforeLarge: () => measure(before, paths.large) }),
      oursSmall: () => measure(ours.small, paths.small),
      handSmall: () => measure(hand.small, paths.small),
      oursHttp: () => measure(overHttp.ours.answer, paths.large),
      rawHttp: () => measure(overHttp.raw.answer, paths.large),
    };
    for (const warm of Object.values(contenders)) await warm();
    log(`postgres: ${rounds} rounds of ${grouped(PER_ROUND)} lookups per contender`);
    const pgSamples = await interleave(rounds, contenders);
    const sample = (key: string) => pgSamples[key] as Percentiles[];

    const growth = (largeRounds: Percentiles[], smallRounds: Percentiles[]) => largeRounds.map((round, index) => round.p50 / (smallRounds[index] as Percentiles).p50);
    const HAND = 'hand-written pg query, prepared (named statement), same indexes';
    const AT = `${grouped(LARGE)} customers`;
    const pgRows: Row[] = [
      latencyRow(`lookup p50, in-process, ${AT} (PostgreSQL)`, 'p50', sample('oursLarge'), sample('handLarge'), HAND, 1.1),
      latencyRow(`lookup client CPU, in-process, ${AT} (PostgreSQL)`, 'cpu', sample('oursLarge'), sample('handLarge'), HAND, 1.3),
      latencyRow(`lookup p99, in-process, ${AT} (PostgreSQL)`, 'p99', sample('oursLarge'), sample('handLarge'), HAND),
      latencyRow(`lookup p50, in-process, ${AT} (PostgreSQL), against the hand-written query UNPREPARED`, 'p50', sample('oursLarge'), sample('handLargeText'), 'hand-written pg query sent as text with values (the baseline before issue 21)'),
      ...(before === undefined
        ? []
        : [
            latencyRow(`BEFORE (${BEFORE_DIST}): lookup p50, in-process, ${AT} (PostgreSQL)`, 'p50', sample('beforeLarge'), sample('handLarge'), HAND, 1.1),
            latencyRow(`BEFORE: lookup client CPU, in-process, ${AT} (PostgreSQL)`, 'cpu', sample('beforeLarge'), sample('handLarge'), HAND, 1.3),
          ]),
      latencyRow(`lookup p50 over HTTP, serve --database, ${AT}`, 'p50', sample('oursHttp'), sample('rawHttp'), 'raw node:http + hand-written pg query, prepared', 1.2),
      latencyRow(`lookup p99 over HTTP, serve --database, ${AT}`, 'p99', sample('oursHttp'), sample('rawHttp'), 'raw node:http + hand-written pg query, prepared'),
      latencyRow(`lookup p50, in-process, ${grouped(SMALL)} customers (PostgreSQL)`, 'p50', sample('oursSmall'), sample('handSmall'), HAND),
      compare(`lookup growth, ${grouped(SMALL)} → ${AT} (p50)`, '×', { ours: growth(sample('oursLarge'), sample('oursSmall')), baseline: growth(sample('handLarge'), sample('handSmall')) }, 'hand-written growth'),
    ];
    pgRows[0]!.note += ` ${ROUNDS_NOTE} Ours is connector.handle over createSqlRepository (pg Pool of 10), which finds the phone-key table of db indexes --phone-keys and looks up there; the baseline parses the query, runs one named prepared statement on the per-column expression indexes and writes the JSON.`;
    const http = pgRows.findIndex((row) => row.name.includes('over HTTP'));
    pgRows[http]!.note += ' serve --database --quiet (dist/cli.js) and a raw node:http server with the baseline, each in its own process; one keep-alive connection from this process (CPU: the client only, so not compared).';
    pgRows[pgRows.length - 1]!.note = `median over rounds of (p50 at ${AT}) / (p50 at ${grouped(SMALL)}); a B-tree lookup grows with log n, so about 1.1–1.5× is the index's own share.`;
    const rows = [...pgRows, ...(await mariaRows(rounds, folder, closers))];
    return { suite: 'sql', title: '6. SQL repository on real PostgreSQL and MariaDB', rows, extra: { medianP50Us: median(sample('oursLarge').map((round) => round.p50)) } };
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
 * MariaDB (1,000,000 customers, the generated columns, indexes and phone-key table of
 * `db indexes --phone-keys`): our lookup against a hand-written mysql2 query prepared with
 * `execute`, and our lookup as server-side prepared statements against the same lookup
 * interpolated on the client (`query`).
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
  const mariaBefore = BEFORE_DIST === undefined ? undefined : await inProcessConnector(mariaPool, maria.db.mapping, BEFORE_DIST);
  await expectFound('ours on MariaDB', mariaOurs, mariaPaths);
  await expectFound('ours on MariaDB, interpolated', mariaInterpolated, mariaPaths);
  await expectFound('hand-written on MariaDB', mariaHand, mariaPaths);
  if (mariaBefore !== undefined) await expectFound('before on MariaDB', mariaBefore, mariaPaths);
  const mariaContenders: Record<string, () => Promise<Percentiles>> = {
    ours: () => measure(mariaOurs, mariaPaths),
    interpolated: () => measure(mariaInterpolated, mariaPaths),
    hand: () => measure(mariaHand, mariaPaths),
    ...(mariaBefore === undefined ? {} : { before: () => measure(mariaBefore, mariaPaths) }),
  };
  for (const warm of Object.values(mariaContenders)) await warm();
  log(`mariadb: ${rounds} rounds of ${grouped(PER_ROUND)} lookups per contender`);
  const samples = await interleave(rounds, mariaContenders);
  const sample = (key: string) => samples[key] as Percentiles[];
  const AT = `${grouped(MARIA)} customers (MariaDB)`;
  const HAND = 'hand-written mysql2 query, prepared (execute), same generated-column indexes';
  const prepared = latencyRow(`lookup p50, in-process, ${AT}: prepared (execute) against interpolated (query)`, 'p50', sample('ours'), sample('interpolated'), 'the same repository with mysql2 query(): values interpolated on the client');
  prepared.note += ' Server-side prepared statements: prepared once per pooled connection, then one execute round trip per lookup.';
  const first = latencyRow(`lookup p50, in-process, ${AT}`, 'p50', sample('ours'), sample('hand'), HAND, 1.3);
  first.note += ` ${ROUNDS_NOTE}`;
  return [
    first,
    latencyRow(`lookup client CPU, in-process, ${AT}`, 'cpu', sample('ours'), sample('hand'), HAND),
    latencyRow(`lookup p99, in-process, ${AT}`, 'p99', sample('ours'), sample('hand'), HAND),
    ...(mariaBefore === undefined
      ? []
      : [
          latencyRow(`BEFORE (${BEFORE_DIST}): lookup p50, in-process, ${AT}`, 'p50', sample('before'), sample('hand'), HAND, 1.3),
          latencyRow(`BEFORE: lookup client CPU, in-process, ${AT}`, 'cpu', sample('before'), sample('hand'), HAND),
        ]),
    prepared,
    latencyRow(`lookup p99, in-process, ${AT}: prepared against interpolated`, 'p99', sample('ours'), sample('interpolated'), 'the same repository with mysql2 query()'),
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
