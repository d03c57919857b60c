import process, { stderr, stdout } from 'node:process';
import packageJson from '../../package.json' with { type: 'json' };
import type { Command } from './main.js';
import { authenticateFrom, hybridChatUrls } from './serve/auth.js';
import { printableConfig, resolveServeConfig, sourceOf } from './serve/config.js';
import { checkHost } from './serve/host.js';
import { flagOf, optionsHelp, parseArgsOptions, type ServeConfig } from './serve/options.js';
import type { OpenRepository, RepositorySource } from './serve/repository.js';
import type { RequestLogEvent } from './serve/logging.js';
import { parseCommandLine, UsageError } from './usage.js';

const HELP = `Usage: priority-routing-crm serve [options]

Serves the connector: GET /customer?query=phone:{refId} and GET /label over your CRM's
data (--database <url> with --mapping <file>, or --data <file.json>), or, with neither, over
the embedded sample data (the seed's customer and labels, and more, for trying it out);
and, at the root whatever the base path (or on --admin-port), GET /healthz, GET /readyz
and GET /metrics.

${optionsHelp()}
Signals: SIGTERM stops gracefully: /readyz answers 503 at once while the listener keeps
accepting for --drain-delay, then it closes and requests in flight finish within
--shutdown-timeout; SIGINT (Ctrl+C) does the same without the drain delay. SIGHUP re-reads
--tls-cert and --tls-key.

Exit codes: 0 stopped by SIGINT or SIGTERM, or --help, --version, --print-config; 1 the data,
mapping or certificate files are unreadable or invalid, the database unreachable after
--database-wait or its password wrong, or the port is taken; 2 a wrong option (or PRC_ variable).
`;


function banner(url: { origin: string; adminOrigin: string; customerQueryUrl: string; labelsUrl: string; notes: string[] }, host: string, source: RepositorySource, metrics: boolean, protection: string, statusPage: boolean): string {
  const anyInterface = host === '0.0.0.0' || host === '::';
  const elsewhere = hybridChatElsewhere(host);
  return `priority-routing-crm connector listening on ${url.origin} (${source.describe}${source.sampleData ? `; your CRM's data with ${REAL_SOURCE_FLAGS}` : ''})

Paste into Hybrid Chat's configuration:
  CIM_CUSTOMER_QUERY_URL=${url.customerQueryUrl}
  CIM_LABELS_API_PATH=${url.labelsUrl}
  IS_CIM_INTEGRATED=true
${url.notes.map((note) => `  (${note})\n`).join('')}${anyInterface ? `  (replace ${host} with an address of this machine that Hybrid Chat can reach)\n` : ''}${elsewhere === undefined ? '' : `  (${elsewhere})\n`}
${protection}
Health: ${url.adminOrigin}/healthz, ${url.adminOrigin}/readyz${metrics ? `; metrics: ${url.adminOrigin}/metrics` : ''}${statusPage ? `; status page: ${url.origin}/status` : ''}
${source.samplePhone === undefined ? '' : `Try: curl '${url.customerQueryUrl.replace('{refId}', encodeURIComponent(source.samplePhone))}'\n`}Press Ctrl+C to stop.
`;
}

/** The flags that choose a real data source instead of the sample data, as messages name them. */
const REAL_SOURCE_FLAGS = '--database <url> --mapping <file> or --data <file.json>';

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^(?:::ffff:)?127\./i.test(host);

/** The note for a loopback address, which Hybrid Chat on another machine cannot reach. */
function hybridChatElsewhere(host: string): string | undefined {
  return isLoopback(host) ? `Hybrid Chat on another machine cannot reach ${host}: start with --host 0.0.0.0 and use this machine's address` : undefined;
}

/**
 * The warning for the sample data served where other machines reach it: copied as they are, a
 * deployment serves made-up customers behind TLS and a token, and Hybrid Chat routes every real
 * chat at priority 1 with nothing else saying so.
 */
function sampleDataWarning(host: string, source: RepositorySource): string | undefined {
  if (source.sampleData !== true || isLoopback(host)) return undefined;
  return `serving the embedded sample data (${source.describe.replace(/^sample data: /, '')}) on ${host}, an address other machines can reach: Hybrid Chat would find none of your customers. Serve your CRM's data with ${REAL_SOURCE_FLAGS} (or DATABASE_URL and PRC_MAPPING, PRC_DATA)`;
}

/**
 * Listens for SIGINT and SIGTERM from now on: `signal` resolves with the first, and both
 * listeners are then removed (`dispose` removes them early). Installed before the banner is
 * printed, since a supervisor may send the signal as soon as it reads the banner.
 */
function listenForStop(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let dispose = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      dispose();
      resolve(received);
    };
    dispose = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { signal, dispose };
}

/** How long `/readyz`'s one shared check may wait for `listLabels` (the connector's timeout). */
const READINESS_TIMEOUT_MS = 3000;

/**
 * `--max-connections` when not given: half the usual file-descriptor limit (1024), leaving room
 * for the database pool, TLS and log files. Hybrid Chat holds a few connections.
 */
const DEFAULT_MAX_CONNECTIONS = 512;
/** `--drain-delay` when not given: a readiness probe every 5 s sees the 503 before the listener closes. */
const DEFAULT_DRAIN_DELAY_MS = 5000;

/** What tests (and embedders) may swap: where the customers come from. */
export interface ServeDependencies {
  openRepository?: OpenRepository;
}

/**
 * Runs `serve` with these arguments: resolves the configuration (flags, environment,
 * `--config`), listens until SIGTERM or SIGINT, then stops gracefully. Resolves to the exit code.
 */
export async function runServe(args: string[], dependencies: ServeDependencies = {}): Promise<number> {
  const { values } = parseCommandLine({ args, options: parseArgsOptions });
  if (values.help) {
    stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const resolved = await resolveServeConfig(values, process.env, stdout.isTTY === true);
  const { config, sources } = resolved;
  if (resolved.printConfig) {
    // What serve refuses at start without connecting, refused here too: the mapping file, read and checked.
    if (config.mapping !== undefined) await (await import('./serve/mapping-file.js')).readServeMapping(config.mapping, config.defaultCountry);
    const printable = printableConfig(resolved);
    stdout.write(`${JSON.stringify(printable.config, null, 2)}\n`);
    stderr.write(Object.entries(printable.sources).map(([key, source]) => `${key}: ${source}\n`).join(''));
    for (const warning of resolved.warnings) stderr.write(`warning: ${warning}\n`);
    return 0;
  }

  await checkHost(config.host, sourceOf('host', sources));

  // Loaded only now, so that --help, --version and --print-config do not pay for pino,
  // prom-client, the cache and breaker libraries and the server (about 0.3 s of start-up).
  const tls = config.tlsCert !== undefined && config.tlsKey !== undefined ? { cert: config.tlsCert, key: config.tlsKey } : undefined;
  const [{ createServeLogger }, { countRepositoryCalls, createServeMetrics, noMetrics }, { readResilience }, { openRepository }, { startServeServer }, tlsModule, { untilConnected }, { createReadiness, READINESS_INTERVAL_MS }, statusPages] = await Promise.all([
    import('./serve/logging.js'),
    import('./serve/metrics.js'),
    import('./serve/resilience.js'),
    import('./serve/repository.js'),
    import('./serve/server.js'),
    // The certificate reader (node:tls, node:crypto) only with --tls-cert.
    tls === undefined ? undefined : import('./serve/tls.js'),
    import('./serve/database-wait.js'),
    import('./serve/readiness.js'),
    config.statusPage === true ? import('./serve/status-page.js') : undefined,
  ]);
  const log = await createServeLogger(config.logFormat, config.quiet);
  for (const warning of resolved.warnings) log.warn(warning);
  const readTlsFiles = tlsModule?.readTlsFiles;
  const certificate = tls === undefined || readTlsFiles === undefined ? undefined : await readTlsFiles(tls.cert, tls.key);
  const source = await (dependencies.openRepository ?? openRepository)(config, log);
  const sampleWarning = sampleDataWarning(config.host, source);
  if (sampleWarning !== undefined) log.warn(sampleWarning);
  for (const warning of source.warnings ?? []) log.warn(warning);
  // A CRM's API budget is for lookups: its label list is kept 5 minutes unless --labels-ttl says otherwise.
  const resilience = readResilience(config, config.database !== undefined || config.crm !== undefined, config.crm === undefined ? undefined : 300_000);
  const metrics = config.noMetrics ? undefined : createServeMetrics({ caches: resilience.cache, breaker: resilience.breaker, logLinesDropped: log.droppedLines });
  const readiness = createReadiness({
    // A CRM source: ready once a token was obtained and the labels read once (source.readiness).
    repository: source.readiness ?? source.repository,
    timeoutMs: READINESS_TIMEOUT_MS,
    intervalMs: READINESS_INTERVAL_MS,
    // Once per change, not per probe: a probe every few seconds would otherwise flood the log.
    onChange: (state) => (state.ready ? log.info('ready') : log.warn('not ready', { cause: state.detail })),
  });
  const { connected } = source;
  if (connected !== undefined) readiness.addProvider(() => (connected() ? undefined : 'The database is not connected yet: serve retries for --database-wait.'));
  const observed = readiness.observe(source.repository);
  const counted = metrics === undefined ? observed : countRepositoryCalls(observed, metrics);
  const authenticate = authenticateFrom(config);
  // The status page hears the cache and breaker events too; its repository is set just below.
  const statusPage = statusPages?.createStatusPage({
    version: packageJson.version,
    source: source.describe,
    repository: counted,
    authenticate,
    defaultCountry: config.defaultCountry,
    timeoutMs: 3000,
    breaker: resilience.breaker,
  });
  const sink = statusPage?.stats.observe(metrics ?? noMetrics) ?? metrics ?? noMetrics;
  // A database waited for (--database-wait) is gated outside the cache and breaker: 503 until connected.
  const repository = untilConnected(await resilience.wrap(counted, log, sink, source.reason), source.connected);
  statusPage?.setRepository(repository);

  const stop = listenForStop();
  let server;
  try {
    server = await startServeServer({
      port: config.port,
      host: config.host,
      repository,
      readiness,
      maxConnections: config.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      ...(config.adminPort === undefined ? {} : { adminPort: config.adminPort }),
      onConnectionsDropped: (dropped) => log.warn(`connection limit reached: ${dropped} connections over --max-connections were closed at once`, { maxConnections: config.maxConnections ?? DEFAULT_MAX_CONNECTIONS }),
      ...(config.basePath === undefined ? {} : { basePath: config.basePath }),
      ...(config.defaultCountry === undefined ? {} : { defaultCountry: config.defaultCountry }),
      ...(authenticate === undefined ? {} : { authenticate }),
      ...(certificate === undefined ? {} : { tls: certificate }),
      ...(metrics === undefined ? {} : { metrics }),
      ...(statusPage === undefined ? {} : { statusPage }),
      // --quiet: no request line, so not even the event for one.
      ...(config.quiet ? {} : { onRequest: (event: RequestLogEvent) => log.request(event) }),
      onError: (event) => log.failure(event),
    });
  } catch (error) {
    stop.dispose();
    await source.close?.();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${config.port} is already in use on ${config.host}; pick another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`cannot listen on ${config.host}: ${code}`);
    throw error;
  }

  const reload = async () => {
    if (tls === undefined || readTlsFiles === undefined) return;
    try {
      server.setTls(await readTlsFiles(tls.cert, tls.key));
      log.info('TLS certificate reloaded', { cert: tls.cert });
    } catch (error) {
      log.warn('TLS certificate not reloaded; the previous one stays in use', { reason: (error as Error).message });
    }
  };
  // Only with TLS: without it SIGHUP keeps its default meaning (the terminal went away: stop).
  const onHangup = () => void reload();
  if (tls !== undefined) process.on('SIGHUP', onHangup);

  const urls = { origin: server.origin, adminOrigin: server.adminOrigin, ...hybridChatUrls(config, sources, { origin: server.origin, customer: server.paths.customer, label: server.paths.label }) };
  statusPage?.setHybridChat(urls);
  if (config.logFormat === 'text') stdout.write(banner(urls, config.host, source, metrics !== undefined, resilience.banner, statusPage !== undefined));
  else {
    const elsewhere = hybridChatElsewhere(config.host);
    const notes = elsewhere === undefined ? urls.notes : [...urls.notes, elsewhere];
    log.info('listening', {
      url: server.origin,
      ...(server.adminOrigin === server.origin ? {} : { admin: server.adminOrigin }),
      source: source.describe,
      protection: resilience.banner,
      CIM_CUSTOMER_QUERY_URL: urls.customerQueryUrl,
      CIM_LABELS_API_PATH: urls.labelsUrl,
      IS_CIM_INTEGRATED: 'true',
      ...(notes.length === 0 ? {} : { notes }),
      ...(source.samplePhone === undefined ? {} : { try: `curl '${urls.customerQueryUrl.replace('{refId}', encodeURIComponent(source.samplePhone))}'` }),
    });
  }

  // A database waited for (--database-wait) that never came: stop as a failed start does, exit 1.
  const ended = await Promise.race([stop.signal, ...(source.failure === undefined ? [] : [source.failure])]);
  if (ended instanceof Error) {
    stop.dispose();
    process.off('SIGHUP', onHangup);
    await server.shutdown(config.shutdownTimeout, 0);
    await source.close?.();
    throw ended;
  }
  const signal = ended;
  // Ctrl+C at a terminal means "stop now": only a supervisor's SIGTERM waits for the load balancer.
  const drainMs = signal === 'SIGTERM' ? (config.drainDelay ?? DEFAULT_DRAIN_DELAY_MS) : 0;
  log.info('shutting down', { signal, drainDelayMs: drainMs, shutdownTimeoutMs: config.shutdownTimeout });
  const finished = await server.shutdown(config.shutdownTimeout, drainMs);
  process.off('SIGHUP', onHangup);
  if (!finished) log.warn(`requests still in flight after ${config.shutdownTimeout} ms were cut`);
  await source.close?.();
  if (config.logFormat === 'text') stdout.write(`${signal}: stopped\n`);
  else log.info('stopped', { signal });
  // A repository call cut at the timeout (a query the database never answers) may still hold
  // the event loop: the stop must not wait for it. Unref'd, so a clean exit is not delayed.
  setTimeout(() => process.exit(0), 500).unref();
  return 0;
}

/**
 * `priority-routing-crm serve`: the connector on `node:http` or HTTPS, configured from
 * flags, the environment and an optional JSON file, with health checks, Prometheus metrics,
 * JSON or text logs (phone numbers masked) and a graceful stop.
 */
export const serveCommand: Command = {
  summary: 'serve the connector (--database or --data; sample data without them)',
  main: (args) => runServe(args),
};
