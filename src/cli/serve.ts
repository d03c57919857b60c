import process, { stderr, stdout } from 'node:process';
import packageJson from '../../package.json' with { type: 'json' };
import type { Command } from './main.js';
import { authenticateFrom, hybridChatUrls } from './serve/auth.js';
import { printableConfig, resolveServeConfig } from './serve/config.js';
import { flagOf, optionsHelp, parseArgsOptions, type ServeConfig } from './serve/options.js';
import type { OpenRepository, RepositorySource } from './serve/repository.js';
import { parseCommandLine, UsageError } from './usage.js';

const HELP = `Usage: priority-routing-crm serve [options]

Serves the reference connector: GET /customer?query=phone:{refId} and GET /label over
the embedded sample data (the seed's customer and labels, and more), or over --data;
and, at the root whatever the base path, GET /healthz, GET /readyz and GET /metrics.

${optionsHelp()}
Signals: SIGTERM or SIGINT stop gracefully (/readyz answers 503 at once, requests in flight
finish within --shutdown-timeout); SIGHUP re-reads --tls-cert and --tls-key.

Exit codes: 0 stopped by SIGINT or SIGTERM, or --help, --version, --print-config; 1 the data
or certificate files are unreadable or invalid, or the port is taken; 2 a wrong option.
`;


function banner(url: { origin: string; customerQueryUrl: string; labelsUrl: string; notes: string[] }, host: string, source: RepositorySource, metrics: boolean, protection: string): string {
  const anyInterface = host === '0.0.0.0' || host === '::';
  const elsewhere = hybridChatElsewhere(host);
  return `priority-routing-crm reference connector listening on ${url.origin} (${source.describe})

Paste into Hybrid Chat's configuration:
  CIM_CUSTOMER_QUERY_URL=${url.customerQueryUrl}
  CIM_LABELS_API_PATH=${url.labelsUrl}
  IS_CIM_INTEGRATED=true
${url.notes.map((note) => `  (${note})\n`).join('')}${anyInterface ? `  (replace ${host} with an address of this machine that Hybrid Chat can reach)\n` : ''}${elsewhere === undefined ? '' : `  (${elsewhere})\n`}
${protection}
Health: ${url.origin}/healthz, ${url.origin}/readyz${metrics ? `; metrics: ${url.origin}/metrics` : ''}
${source.samplePhone === undefined ? '' : `Try: curl '${url.customerQueryUrl.replace('{refId}', encodeURIComponent(source.samplePhone))}'\n`}Press Ctrl+C to stop.
`;
}

/** The note for a loopback address, which Hybrid Chat on another machine cannot reach. */
function hybridChatElsewhere(host: string): string | undefined {
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  return loopback ? `Hybrid Chat on another machine cannot reach ${host}: start with --host 0.0.0.0 and use this machine's address` : undefined;
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
    const printable = printableConfig(resolved);
    stdout.write(`${JSON.stringify(printable.config, null, 2)}\n`);
    stderr.write(Object.entries(printable.sources).map(([key, source]) => `${key}: ${source}\n`).join(''));
    for (const warning of resolved.warnings) stderr.write(`warning: ${warning}\n`);
    return 0;
  }

  // Loaded only now, so that --help, --version and --print-config do not pay for pino,
  // prom-client, the cache and breaker libraries and the server (about 0.3 s of start-up).
  const [{ createServeLogger }, { countRepositoryCalls, createServeMetrics, noMetrics }, { readResilience }, { openRepository }, { startServeServer }, { readTlsFiles }] = await Promise.all([
    import('./serve/logging.js'),
    import('./serve/metrics.js'),
    import('./serve/resilience.js'),
    import('./serve/repository.js'),
    import('./serve/server.js'),
    import('./serve/tls.js'),
  ]);
  const log = createServeLogger(config.logFormat, config.quiet);
  for (const warning of resolved.warnings) log.warn(warning);
  const tls = config.tlsCert !== undefined && config.tlsKey !== undefined ? { cert: config.tlsCert, key: config.tlsKey } : undefined;
  const tlsFiles = tls === undefined ? undefined : await readTlsFiles(tls.cert, tls.key);
  const source = await (dependencies.openRepository ?? openRepository)(config);
  // A CRM's API budget is for lookups: its label list is kept 5 minutes unless --labels-ttl says otherwise.
  const resilience = readResilience(config, config.database !== undefined || config.crm !== undefined, config.crm === undefined ? undefined : 300_000);
  const metrics = config.noMetrics ? undefined : createServeMetrics({ caches: resilience.cache, breaker: resilience.breaker });
  const counted = metrics === undefined ? source.repository : countRepositoryCalls(source.repository, metrics);
  const repository = resilience.wrap(counted, (line) => log.warn(line), metrics ?? noMetrics);
  const authenticate = authenticateFrom(config);

  const stop = listenForStop();
  let server;
  try {
    server = await startServeServer({
      port: config.port,
      host: config.host,
      repository,
      readinessRepository: source.readiness ?? source.repository,
      readinessTimeoutMs: 3000,
      ...(config.basePath === undefined ? {} : { basePath: config.basePath }),
      ...(config.defaultCountry === undefined ? {} : { defaultCountry: config.defaultCountry }),
      ...(authenticate === undefined ? {} : { authenticate }),
      ...(tlsFiles === undefined ? {} : { tls: tlsFiles }),
      ...(metrics === undefined ? {} : { metrics }),
      onRequest: (event) => log.request(event),
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
    if (tls === undefined) return;
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

  const urls = { origin: server.origin, ...hybridChatUrls(config, sources, { origin: server.origin, customer: server.paths.customer, label: server.paths.label }) };
  if (config.logFormat === 'text') stdout.write(banner(urls, config.host, source, metrics !== undefined, resilience.banner));
  else {
    const elsewhere = hybridChatElsewhere(config.host);
    const notes = elsewhere === undefined ? urls.notes : [...urls.notes, elsewhere];
    log.info('listening', {
      url: server.origin,
      source: source.describe,
      protection: resilience.banner,
      CIM_CUSTOMER_QUERY_URL: urls.customerQueryUrl,
      CIM_LABELS_API_PATH: urls.labelsUrl,
      IS_CIM_INTEGRATED: 'true',
      ...(notes.length === 0 ? {} : { notes }),
      ...(source.samplePhone === undefined ? {} : { try: `curl '${urls.customerQueryUrl.replace('{refId}', encodeURIComponent(source.samplePhone))}'` }),
    });
  }

  const signal = await stop.signal;
  log.info('shutting down', { signal, shutdownTimeoutMs: config.shutdownTimeout });
  const finished = await server.shutdown(config.shutdownTimeout);
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
 * `priority-routing-crm serve`: the reference connector on `node:http` or HTTPS, configured from
 * flags, the environment and an optional JSON file, with health checks, Prometheus metrics,
 * JSON or text logs (phone numbers masked) and a graceful stop.
 */
export const serveCommand: Command = {
  summary: 'serve the reference connector (sample data or --data)',
  main: (args) => runServe(args),
};
