import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleClientError, refuseMissingHost } from '../../adapters/client-error.js';
import { createConnector, type ConnectorOptions } from '../../core/connector.js';
import { hearingRequest } from '../../core/hooks.js';
import type { ConnectorResponse } from '../../core/http.js';
import { problemDetails, problemResponse } from '../../core/problems.js';
import { splitUrl } from '../../core/url.js';
import type { RequestLogEvent } from './logging.js';
import type { ServeMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import type { StatusPageRoute } from './status-page.js';

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
  /** `GET /status` at the root (`--status-page`): it counts the connector's requests and answers the page. */
  statusPage?: StatusPageRoute;
  /** Called once per connector request (not for `/healthz`, `/readyz`, `/metrics`). */
  onRequest?: (event: RequestLogEvent) => void;
  /** What `/readyz` answers (see readiness.ts): never a repository call of its own per probe. */
  readiness: Readiness;
  /** Connections beyond this many (per listener) are closed at once, before any byte is read. */
  maxConnections: number;
  /** `/healthz`, `/readyz` and `/metrics` on this port (same host and TLS) instead of the connector's. */
  adminPort?: number | undefined;
  /** Called when connections over `maxConnections` were closed: at most once a minute, with how many. */
  onConnectionsDropped?: ((dropped: number) => void) | undefined;
}

export interface ServeServer {
  /** `http://127.0.0.1:41234` or `https://…`, no base path. */
  origin: string;
  /** Where `/healthz`, `/readyz` and `/metrics` are: `origin`, or the admin port's origin. */
  adminOrigin: string;
  paths: { customer: string; label: string };
  /** Installs a new certificate and key for new connections; open ones keep theirs. */
  setTls(tls: TlsFiles): void;
  /**
   * Graceful stop: `/readyz` answers 503 from now on and every answer closes its connection;
   * the listener keeps accepting for `drainMs` (so a load balancer sees "not ready" before
   * connections are refused), then closes; requests in flight finish, and whatever is still
   * open `timeoutMs` after that is cut. Resolves with whether everything finished in time.
   */
  shutdown(timeoutMs: number, drainMs: number): Promise<boolean>;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * How long a client may take to send its request headers, and its whole request (documented in
 * docs/serve.md). Node's own are 60 s and 300 s, checked every 30 s: a slowloris socket was
 * held 78 s. Hybrid Chat sends a small GET at once.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node checks those timeouts: their bounds hold to within this. */
const TIMEOUT_CHECK_MS = 1000;
/** How often, while shutting down, connections that went idle are closed. */
const IDLE_CLOSE_POLL_MS = 20;
/** At most one log line this often about connections closed over the limit. */
const DROP_LOG_INTERVAL_MS = 60_000;

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
 * logged and not counted as connector traffic; with `adminPort`, those three on that port only.
 * Each listener closes connections over `maxConnections` at once and cuts slow requests
 * ({@link HEADERS_TIMEOUT_MS}, {@link REQUEST_TIMEOUT_MS}).
 */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const { port, host, tls, metrics, onRequest, statusPage, readiness, maxConnections, adminPort, onConnectionsDropped, ...connectorOptions } = options;
  // The path and query of the request answered, for the log line and the status page: the
  // connector hands its request to this hook (not AsyncLocalStorage, which makes every promise
  // in the process pay), and the event has the route but not the path.
  const connector = createConnector({
    ...connectorOptions,
    onResponse: hearingRequest((event, request, phoned) => {
      metrics?.request(event.route, event.status, event.durationMs);
      // Masking the phone is a good part of a lookup's cost: only for the log line and the status page.
      if (statusPage === undefined && onRequest === undefined) return;
      const { path, search } = splitUrl(request.url);
      // One literal of one shape, not spreads of the event: V8 clones an object holding a double
      // (`durationMs`) on its slow path, which cost more than the log line's text.
      const heard = { method: event.method, route: event.route, status: event.status, durationMs: event.durationMs, phone: phoned.phone, path };
      statusPage?.record(heard, search);
      onRequest?.(heard);
    }),
  });
  let stopping = false;
  const servers: Server[] = [];

  /** Answers `/healthz`, `/readyz` and `/metrics`; `false` for any other request. */
  const probe = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return false;
    if (path === '/healthz') sendJson(res, 200, 'application/json', { status: 'ok' }, head);
    else if (path === '/readyz') {
      void readiness.state().then((state) =>
        state.ready ? sendJson(res, 200, 'application/json', { status: 'ready' }, head) : sendProblem(res, problemResponse('notReady', state.detail), head),
      );
    } else if (path === '/metrics' && metrics !== undefined) {
      void metrics.scrape().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(head ? undefined : body);
        },
        () => sendProblem(res, problemResponse('internalError', problemDetails.internalError()), head),
      );
    } else return false;
    return true;
  };

  /** What every request goes through first, on either port: Host, and the close during shutdown. */
  const accept = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (refuseMissingHost(req, res)) return false;
    // During shutdown every answer closes its connection, so keep-alive clients reconnect elsewhere.
    if (stopping) res.setHeader('connection', 'close');
    return true;
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!accept(req, res)) return;
    const { path } = splitUrl(req.url ?? '/');
    if (adminPort === undefined && probe(req, res, path)) return;
    const head = req.method === 'HEAD';
    if (statusPage !== undefined && path === '/status' && (req.method === 'GET' || head)) {
      // Why not ready, in /readyz's words: the same shared state, never a repository call of its own.
      const ready = async () => {
        const state = await readiness.state();
        return state.ready ? undefined : state.detail;
      };
      return statusPage.answer(req, res, { head, ready });
    }
    void connector.node(req, res);
  };
  const adminListener = (req: IncomingMessage, res: ServerResponse) => {
    if (!accept(req, res)) return;
    if (!probe(req, res, splitUrl(req.url ?? '/').path)) sendProblem(res, problemResponse('notFound', problemDetails.notFound('probes')), req.method === 'HEAD');
  };

  // Connections closed over the limit: one line now, then at most one a minute with the count.
  let dropped = 0;
  let dropTimer: NodeJS.Timeout | undefined;
  const reportDrops = () => {
    dropTimer = undefined;
    if (dropped === 0) return;
    onConnectionsDropped?.(dropped);
    dropped = 0;
    dropTimer = setTimeout(reportDrops, DROP_LOG_INTERVAL_MS).unref();
  };
  const onDrop = () => {
    dropped += 1;
    if (dropTimer === undefined) reportDrops();
  };

  // Node's parser errors and a missing Host get problem+json too, not Node's bare status line.
  const open = async (listenPort: number, handler: typeof listener): Promise<Server> => {
    const limits = { requireHostHeader: false, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS };
    // node:https (with node:tls) is loaded only for TLS: a tenth of a plain start-up's instructions.
    const server: Server = tls === undefined ? createHttpServer(limits, handler) : (await import('node:https')).createServer({ ...limits, cert: tls.cert, key: tls.key }, handler);
    // Over the limit, Node closes the new socket before reading it ('drop'): the sockets held
    // stay below the process's file-descriptor limit, so the database and honest clients keep theirs.
    server.maxConnections = maxConnections;
    server.on('drop', onDrop);
    server.on('clientError', handleClientError);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.push(server);
    return server;
  };
  const origin = (server: Server) => `${tls === undefined ? 'http' : 'https'}://${urlHost(host)}:${(server.address() as AddressInfo).port}`;

  const main = await open(port, listener);
  let admin: Server | undefined;
  try {
    admin = adminPort === undefined ? undefined : await open(adminPort, adminListener);
  } catch (error) {
    main.close();
    throw error;
  }

  return {
    origin: origin(main),
    adminOrigin: origin(admin ?? main),
    paths: connector.paths,
    setTls(files) {
      for (const server of servers) (server as HttpsServer).setSecureContext({ cert: files.cert, key: files.key });
    },
    async shutdown(timeoutMs, drainMs) {
      stopping = true;
      readiness.stop();
      // Still accepting: a probe now hears 503 (and the connection closes after each answer),
      // so the load balancer takes this instance out before its connections are refused.
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
      clearTimeout(dropTimer);
      // A response in flight when the shutdown began leaves its keep-alive connection idle but
      // open: from here on such connections are closed as they go idle (a request already
      // pipelined on one is still answered first). Polled while closing, not a listener per request.
      const closeIdle = setInterval(() => servers.forEach((server) => server.closeIdleConnections()), IDLE_CLOSE_POLL_MS);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          clearInterval(closeIdle);
          for (const server of servers) server.closeAllConnections();
          resolve(false);
        }, timeoutMs);
        // close() stops accepting and closes idle keep-alive connections; busy ones close after
        // their response, and close's callback runs once the last one has.
        let open = servers.length;
        for (const server of servers) {
          server.close(() => {
            open -= 1;
            if (open > 0) return;
            clearTimeout(timer);
            clearInterval(closeIdle);
            resolve(true);
          });
        }
      });
    },
  };
}
