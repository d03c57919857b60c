import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromNodeRequest } from '../../adapters/node-bridge.js';
import { pageCsp } from '../../checker/reporters/html-kit.js';
import { MAX_SEEN_LABELS } from '../../checker/seen.js';
import { parseCustomerQuery, phoneKeys, type CountryCode } from '../../contract/index.js';
import type { Authenticate } from '../../core/auth.js';
import type { RequestLogEvent } from './logging.js';
import { withPhoneKeys } from '../../core/phone-query.js';
import type { CustomerRepository } from '../../core/repository.js';
import { type QueryParamResult, readQueryParam, splitUrl } from '../../core/url.js';
import { renderStatusPage, type StatusView, type Trial } from './status-page-html.js';
import { StatusStats } from './status-page-stats.js';

/** What `startServeServer` calls: counts each connector request and answers `GET /status`. */
export interface StatusPageRoute {
  /** One answered connector request; `search` is its query string (`?query=phone:…`). */
  record(event: Omit<RequestLogEvent, 'path'>, search: string): void;
  /** Answers `GET /status` (or HEAD); `ready` says why the connector is not ready, if it is not. */
  answer(req: IncomingMessage, res: ServerResponse, options: { head: boolean; ready: () => Promise<string | undefined> }): void;
}

export interface StatusPageOptions {
  version: string;
  /** The data source as the banner shows it (passwords masked). */
  source: string;
  /** The repository for "try a number" until {@link StatusPage.setRepository} gives the connector's own. */
  repository: CustomerRepository;
  authenticate: Authenticate | undefined;
  defaultCountry?: CountryCode | undefined;
  /** How long a look-up may take. */
  timeoutMs: number;
  /** Whether a breaker is on: its state is shown, or "off". */
  breaker: boolean;
}

export interface StatusPage extends StatusPageRoute {
  stats: StatusStats;
  /** The repository the connector asks (with its cache and breaker): what "try a number" asks. */
  setRepository(repository: CustomerRepository): void;
  /** The values to paste into Hybrid Chat, known once the server listens. */
  setHybridChat(urls: StatusView['hybridChat']): void;
}

const MAX_TRIAL_LENGTH = 64;

const NOT_READY: Record<string, string> = {
  timeout: 'the repository did not list the labels in time',
  failed: 'the repository failed to list the labels',
  notAList: 'the repository listed the labels as something other than a list',
};

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': pageCsp('self', 'header'),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The address may carry ?token=…: never sent on to another site.
  'referrer-policy': 'no-referrer',
} as const;

function send(res: ServerResponse, status: number, html: string, head: boolean, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra, 'content-length': Buffer.byteLength(html) });
  res.end(head ? undefined : html);
}

const UNAUTHORIZED = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${pageCsp()}"><title>401: credentials needed</title></head><body><main><h1>Credentials needed</h1><p>Open /status?token=… with the connector's token, or sign in with its Basic credentials.</p></main></body></html>`;

type Labels = Trial['labels'];

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));

async function tryNumber(options: StatusPageOptions, phone: string): Promise<Trial> {
  const query = parseCustomerQuery(`phone:${phone}`);
  if (!query.ok) return { phone, keys: [], labels: [], problem: `not a number the connector accepts (${query.issues[0]?.code ?? 'invalid'})` };
  const country = options.defaultCountry === undefined ? undefined : { defaultCountry: options.defaultCountry };
  const keys = phoneKeys(query.value.phone, country);
  const context = { signal: AbortSignal.timeout(options.timeoutMs) };
  try {
    const found = (await options.repository.findCustomerByPhone(withPhoneKeys(query.value, options.defaultCountry), context)) as Record<string, unknown> | null | undefined;
    if (found === null || found === undefined) return { phone, keys, labels: [], problem: 'no customer has any of these keys (a 404 to Hybrid Chat)' };
    const labels: Labels = ((await options.repository.listLabels(context)) as unknown[]).map((label) => {
      const record = (label ?? {}) as Record<string, unknown>;
      return { _id: text(record._id), name: text(record.name), color_code: text(record.color_code) };
    });
    // Bounded like everything else a page shows: a CRM may hold anything.
    const ids = Array.isArray(found.labels) ? found.labels.slice(0, MAX_SEEN_LABELS).map(text) : [];
    return { phone, keys, labels, customer: { _id: text(found._id), labels: ids } };
  } catch (error) {
    return { phone, keys, labels: [], problem: context.signal.aborted ? `the repository did not answer within ${options.timeoutMs} ms` : `the repository failed: ${(error as Error).name}` };
  }
}

/** Why the phone parameter could not be read, as the API says it of `query`. */
const UNREAD_PHONE = {
  malformed: 'the phone parameter is not valid percent-encoded UTF-8 (a 400 to Hybrid Chat)',
  repeated: 'the phone parameter must appear once',
} as const;

/**
 * The trial for a phone parameter that could not be read (`?phone=%FF`, given twice): the page
 * says why, showing what was sent as the browser decodes it (a bad byte as U+FFFD), escaped.
 */
function unreadPhone(search: string, phone: QueryParamResult): Trial | undefined {
  if (phone.ok || phone.reason === 'missing') return undefined;
  const sent = new URLSearchParams(search).getAll('phone').join(', ').slice(0, MAX_TRIAL_LENGTH);
  return { phone: sent, keys: [], labels: [], problem: UNREAD_PHONE[phone.reason] };
}

/**
 * The status page of `serve --status-page`: in-process counters (bounded) and the HTML page,
 * behind the connector's own credentials (a query token from the address bar, Basic from the
 * browser's prompt).
 */
export function createStatusPage(options: StatusPageOptions): StatusPage {
  const stats = new StatusStats({ defaultCountry: options.defaultCountry });
  const started = performance.now();
  let hybridChat: StatusView['hybridChat'];
  let repository = options.repository;

  async function page(req: IncomingMessage, res: ServerResponse, head: boolean, ready: () => Promise<string | undefined>): Promise<void> {
    const request = fromNodeRequest(req);
    const decision = options.authenticate === undefined ? true : await options.authenticate(request);
    if (decision !== true) {
      // A browser asks for a user and password only when challenged with Basic.
      const challenge = typeof decision === 'object' && decision.challenge.startsWith('Basic') ? { 'www-authenticate': decision.challenge } : {};
      return send(res, 401, UNAUTHORIZED, head, challenge);
    }
    const { search } = splitUrl(request.url);
    const phone = readQueryParam(search, 'phone');
    const token = readQueryParam(search, 'token');
    const asked = phone.ok && phone.value.trim() !== '' ? phone.value.trim().slice(0, MAX_TRIAL_LENGTH) : undefined;
    const trying = asked === undefined ? unreadPhone(search, phone) : tryNumber({ ...options, repository }, asked);
    const [notReady, trial] = await Promise.all([ready(), trying]);
    const html = renderStatusPage({
      version: options.version,
      uptimeMs: performance.now() - started,
      source: options.source,
      hybridChat,
      notReady: notReady === undefined ? undefined : (NOT_READY[notReady] ?? notReady),
      breaker: options.breaker ? breakerText(stats.breakerState()) : 'off',
      cacheHitRatio: { labels: stats.cacheHitRatio('labels'), customers: stats.cacheHitRatio('customers') },
      minutes: stats.minutes(),
      recent: stats.recent(),
      trial,
      token: token.ok ? token.value : undefined,
    });
    send(res, 200, html, head);
  }

  return {
    stats,
    setRepository(next) {
      repository = next;
    },
    setHybridChat(urls) {
      hybridChat = urls;
    },
    record: (event, search) => stats.record(event, search),
    answer(req, res, { head, ready }) {
      page(req, res, head, ready).catch(() => {
        if (!res.headersSent) send(res, 500, '<!DOCTYPE html><title>500</title><p>The status page failed.</p>', head);
      });
    },
  };
}

/** Both breakers in words: "lookups closed, labels open". */
function breakerText(states: Readonly<Record<'findCustomerByPhone' | 'listLabels', string>>): string {
  return `lookups ${states.findCustomerByPhone.replace('_', '-')}, labels ${states.listLabels.replace('_', '-')}`;
}
