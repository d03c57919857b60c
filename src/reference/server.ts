import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleClientError, refuseMissingHost } from '../adapters/client-error.js';
import { createConnector } from '../core/connector.js';
import type { HandlerOptions } from '../core/options.js';
import type { CustomerRepository } from '../core/repository.js';
import { createMemoryRepository, type MemoryDataSet } from '../repositories/memory.js';
import { sampleDataSet } from './sample-data.js';

/**
 * Options of {@link startReferenceServer}.
 *
 * @example
 * ```ts
 * import { type ReferenceServerOptions } from 'priority-routing-crm/node';
 * import { sampleDataSet } from 'priority-routing-crm';
 * const options: ReferenceServerOptions = { port: 0, basePath: '/cim', data: sampleDataSet };
 * ```
 */
export interface ReferenceServerOptions extends HandlerOptions {
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number | undefined;
  /** Address to bind; default `127.0.0.1`. */
  host?: string | undefined;
  /** Path prefix for both routes, such as `/cim`. */
  basePath?: string | undefined;
  /** The customers and labels to serve; default {@link sampleDataSet}. Validated before listening. */
  data?: MemoryDataSet | undefined;
  /** Serve this repository instead of a memory repository over `data` (such as one wrapped in `withCache`). */
  repository?: CustomerRepository | undefined;
}

/**
 * A running reference connector.
 *
 * @example
 * ```ts
 * import { startReferenceServer } from 'priority-routing-crm/node';
 * const { customerQueryUrl, labelsUrl, close } = await startReferenceServer();
 * ```
 */
export interface ReferenceServer {
  /** The base URL with the base path, no trailing slash: `http://127.0.0.1:41234/cim`. */
  url: string;
  /** The port actually bound (useful with `port: 0`). */
  port: number;
  /** The value for Hybrid Chat's `CIM_CUSTOMER_QUERY_URL`, with the literal `{refId}` placeholder. */
  customerQueryUrl: string;
  /** The value for Hybrid Chat's `CIM_LABELS_API_PATH`. */
  labelsUrl: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** `::1` → `[::1]`, so the address fits in a URL. */
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * Starts the reference connector (a memory repository over the sample data, or `data`) on
 * `node:http`: what `priority-routing-crm serve` runs, and what tests start in-process.
 *
 * @example
 * ```ts
 * import { startReferenceServer } from 'priority-routing-crm/node';
 * const server = await startReferenceServer({ port: 0 });
 * await fetch(`${server.url}/customer?query=phone:1111`); // the seed's customer
 * await server.close();
 * ```
 */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const { port = 0, host = '127.0.0.1', basePath, data = sampleDataSet, repository, ...handlerOptions } = options;
  const connector = createConnector({
    repository: repository ?? createMemoryRepository(data, { defaultCountry: handlerOptions.defaultCountry }),
    ...(basePath === undefined ? {} : { basePath }),
    ...handlerOptions,
  });
  // Node's parser errors and a missing Host get problem+json too, not Node's bare status line.
  const server = createServer({ requireHostHeader: false }, (req, res) => refuseMissingHost(req, res) || connector.node(req, res));
  server.on('clientError', handleClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const origin = `http://${urlHost(host)}:${bound}`;
  return {
    url: `${origin}${connector.paths.customer.slice(0, -'/customer'.length)}`,
    port: bound,
    customerQueryUrl: `${origin}${connector.paths.customer}?query=phone:{refId}`,
    labelsUrl: `${origin}${connector.paths.label}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
