import process, { stderr, stdout } from 'node:process';
import packageJson from '../../package.json' with { type: 'json' };
import { type MemoryDataSet, sampleDataSet } from '../reference/index.js';
import { startReferenceServer } from '../reference/server.js';
import type { ConnectorErrorEvent, ConnectorResponseEvent } from '../server/index.js';
import { normalizeBasePath } from '../server/connector.js';
import type { Command } from './main.js';
import { parseCommandLine, readJsonFile, UsageError } from './usage.js';
import { databaseUrlOf, openDatabaseSource } from './serve-database.js';

const HELP = `Usage: priority-routing-crm serve [options]

Serves the reference connector: GET /customer?query=phone:{refId} and GET /label over
the embedded sample data (the seed's customer and labels, and more), or over --data.

Options:
  -p, --port <port>       port to listen on (default: $PORT, else 3000; 0 picks a free one)
      --host <address>    address to bind (default: 127.0.0.1; 0.0.0.0 for every interface)
      --base-path <path>  prefix for both routes, such as /cim (default: none)
  -d, --data <file.json>  serve { "customers": [...], "labels": [...] } from this file instead
      --database <url>    serve customers and labels from PostgreSQL or MySQL/MariaDB
                          (postgres://, postgresql://, mysql://, mariadb://; or DATABASE_URL)
      --mapping <file>    where the contract's fields are in that database (JSON; see README)
  -q, --quiet             do not log one line per request
  -h, --help              show this help
  -v, --version           print the version

Exit codes: 0 stopped by SIGINT or SIGTERM; 1 the data file is unreadable or invalid, the
database is unreachable or lacks a mapped table or column, or the port is taken; 2 a wrong option.
`;

const options = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string', default: '127.0.0.1' },
  'base-path': { type: 'string' },
  data: { type: 'string', short: 'd' },
  database: { type: 'string' },
  mapping: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function readPort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port <= 65_535)) throw new UsageError(`${source} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

const loadData = async (file: string) => (await readJsonFile(file, '--data', (message) => new Error(message))) as MemoryDataSet;

function checkBasePath(basePath: string): void {
  try {
    normalizeBasePath(basePath);
  } catch (error) {
    throw new UsageError(`--base-path ${(error as Error).message.replace(/^basePath /, "")}`);
  }
}

const logLine = ({ method, route, status, durationMs, phone }: ConnectorResponseEvent) =>
  `${new Date().toISOString()} ${method} ${route === null ? '-' : `/${route}`} ${status} ${durationMs.toFixed(1)}ms${phone === undefined ? '' : ` ${phone}`}\n`;

const errorLine = ({ kind, route, status, issues }: ConnectorErrorEvent) =>
  `${new Date().toISOString()} error ${kind} on ${route === null ? '-' : `/${route}`} (${status})${
    issues === undefined ? '' : issues.map((issue) => `\n  ${issue.path}: ${issue.message}`).join('')
  }\n`;

function banner(server: { url: string; customerQueryUrl: string; labelsUrl: string }, host: string, source: string): string {
  const anyInterface = host === '0.0.0.0' || host === '::';
  return `priority-routing-crm reference connector listening on ${server.url} (${source})

Paste into Hybrid Chat's configuration:
  CIM_CUSTOMER_QUERY_URL=${server.customerQueryUrl}
  CIM_LABELS_API_PATH=${server.labelsUrl}
${anyInterface ? `  (replace ${host} with an address of this machine that Hybrid Chat can reach)\n` : ''}
Try: curl '${server.customerQueryUrl.replace('{refId}', '1111')}'
Press Ctrl+C to stop.
`;
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

/**
 * `priority-routing-crm serve`: the reference connector on `node:http`, printing the two URLs
 * for Hybrid Chat and one log line per request (phone numbers masked).
 *
 * @example
 * ```sh
 * npx priority-routing-crm serve --port 8080 --base-path /cim
 * ```
 */
export const serveCommand: Command = {
  summary: 'serve the reference connector (sample data or --data)',
  async main(args) {
    const { values } = parseCommandLine({ args, options });
    if (values.help) {
      stdout.write(HELP);
      return 0;
    }
    if (values.version) {
      stdout.write(`${packageJson.version}\n`);
      return 0;
    }
    const port = values.port !== undefined ? readPort(values.port, '--port') : process.env.PORT ? readPort(process.env.PORT, 'PORT') : 3000;
    const basePath = values['base-path'];
    if (basePath !== undefined) checkBasePath(basePath);
    const databaseUrl = databaseUrlOf(values, process.env);
    // --default-country comes with the phone-format work; read it here once it exists.
    const defaultCountry = (values as { 'default-country'?: string })['default-country'];
    const database = databaseUrl === undefined ? undefined : await openDatabaseSource({ database: databaseUrl, mapping: values.mapping, defaultCountry });
    const data = values.data === undefined ? sampleDataSet : await loadData(values.data);
    const source = values.data === undefined ? 'sample data' : values.data;

    const stop = listenForStop();
    let server;
    try {
      server = await startReferenceServer({
        port,
        host: values.host,
        ...(database === undefined ? { data } : { repository: database.repository }),
        ...(basePath === undefined ? {} : { basePath }),
        ...(values.quiet ? {} : { onResponse: (event: ConnectorResponseEvent) => stdout.write(logLine(event)) }),
        onError: (event) => stderr.write(errorLine(event)),
      });
    } catch (error) {
      stop.dispose();
      await database?.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`port ${port} is already in use on ${values.host}; pick another with --port`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`cannot listen on ${values.host}: ${code}`);
      if (values.data !== undefined && error instanceof Error && error.name === 'DataSetError') throw new Error(`--data ${values.data}: ${error.message}`);
      throw error;
    }
    stdout.write(banner(server, values.host, database?.describe ?? `${source}: ${(data.customers?.length ?? 0)} customers, ${(data.labels?.length ?? 0)} labels`));
    const signal = await stop.signal;
    await server.close();
    await database?.close();
    stdout.write(`${signal}: stopped\n`);
    return 0;
  },
};
