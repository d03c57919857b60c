import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleClientError, refuseMissingHost } from '../../adapters/client-error.js';
import { createConnector, type ConnectorOptions } from '../../core/connector.js';
import type { ConnectorResponse } from '../../core/http.js';
import { problemDetails, problemResponse } from '../../core/problems.js';
import { splitUrl } from '../../core/url.js';
import type { RequestLogEvent } from './logging.js';
import type { ServeMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/** The certificate chain and key, as PEM. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export interface ServeServerOptions extends Omit<ConnectorOptions, 'onResponse'> {
  port: number;
  host: string;
  /** HTTPS when given. */
  tls?: TlsFiles;
  /** `/metrics` is served when given. */
  metrics?: ServeMetrics;
  /** Called once per connector request (not for `/healthz`, `/readyz`, `/metrics`). */
  onRequest?: (event: RequestLogEvent) => void;
  /** What `/readyz` answers (see readiness.ts): never a repository call of its own per probe. */
  readiness: Readiness;
}

export interface ServeServer {
  /** `http://127.0.0.1:41234` or `https://…`, no base path. */
  origin: string;
  paths: { customer: string; label: string };
  /** Installs a new certificate and key for new connections; open ones keep theirs. */
  setTls(tls: TlsFiles): void;
  /**
   * Graceful stop: `/readyz` answers 503 from now on, the listener closes, requests in flight
   * finish (their connections close after the response), and whatever is still open after
   * `timeoutMs` is cut. Resolves with whether everything finished in time.
   */
  shutdown(timeoutMs: number): Promise<boolean>;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

function sendJson(res: ServerResponse, status: number, contentType: string, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

/** A problem from the connector's one table (type URI, title, detail), as the probes answer it. */
function sendProblem(res: ServerResponse, problem: ConnectorResponse, head: boolean): void {
  res.writeHead(problem.status, { ...problem.headers, 'content-length': Buffer.byteLength(problem.body ?? '') });
  res.end(head ? undefined : problem.body);
}

/**
 * The `serve` HTTP(S) server: the connector under its base path, and at the root, whatever the
 * base path, `/healthz`, `/readyz` and (with metrics) `/metrics`: without authentication, not
 * logged and not counted as connector traffic.
 */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const { port, host, tls, metrics, onRequest, readiness, ...connectorOptions } = options;
  // The path of the request being answered, for the log line: the connector's event has the
  // route but not the path, and the hook runs inside the request's async context.
  const requestPath = new AsyncLocalStorage<string>();
  const connector = createConnector({
    ...connectorOptions,
    onResponse: (event) => {
      metrics?.request(event.route, event.status, event.durationMs);
      onRequest?.({ ...event, path: requestPath.getStore() ?? '' });
    },
  });
  let stopping = false;
  let server: Server | undefined;

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (refuseMissingHost(req, res)) return;
    // During shutdown every answer closes its connection, so keep-alive clients reconnect elsewhere.
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => {
      // A response in flight at shutdown just ended: its connection, idle now, is closed rather
      // than kept alive (a request already pipelined on it is still answered first).
      if (stopping) setImmediate(() => server?.closeIdleConnections());
    });
    const { path } = splitUrl(req.url ?? '/');
    const head = req.method === 'HEAD';
    const probe = req.method === 'GET' || head;
    if (probe && path === '/healthz') return sendJson(res, 200, 'application/json', { status: 'ok' }, head);
    if (probe && path === '/readyz') {
      void readiness.state().then((state) =>
        state.ready ? sendJson(res, 200, 'application/json', { status: 'ready' }, head) : sendProblem(res, problemResponse('notReady', state.detail), head),
      );
      return;
    }
    if (probe && path === '/metrics' && metrics !== undefined) {
      void metrics.scrape().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(head ? undefined : body);
        },
        () => sendProblem(res, problemResponse('internalError', problemDetails.internalError()), head),
      );
      return;
    }
    void requestPath.run(path, () => connector.node(req, res));
  };

  // Node's parser errors and a missing Host get problem+json too, not Node's bare status line.
  const listening: Server =
    tls === undefined
      ? createHttpServer({ requireHostHeader: false }, listener)
      : createHttpsServer({ cert: tls.cert, key: tls.key, requireHostHeader: false }, listener);
  listening.on('clientError', handleClientError);
  server = listening;
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(port, host, () => {
      listening.off('error', reject);
      resolve();
    });
  });
  const bound = (listening.address() as AddressInfo).port;

  return {
    origin: `${tls === undefined ? 'http' : 'https'}://${urlHost(host)}:${bound}`,
    paths: connector.paths,
    setTls(files) {
      (listening as HttpsServer).setSecureContext({ cert: files.cert, key: files.key });
    },
    shutdown(timeoutMs) {
      stopping = true;
      readiness.stop();
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          listening.closeAllConnections();
          resolve(false);
        }, timeoutMs);
        // close() stops accepting and closes idle keep-alive connections; busy ones close after
        // their response, and close's callback runs once the last one has.
        listening.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
