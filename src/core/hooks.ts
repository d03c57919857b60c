import type { ContractIssue } from '../contract/index.js';
import type { ConnectorRequest } from './http.js';

/**
 * The connector's two routes; `null` for a path that is neither.
 *
 * @example
 * ```ts
 * import { type ConnectorRoute } from 'priority-routing-crm';
 * const route: ConnectorRoute = 'label';
 * ```
 */
export type ConnectorRoute = 'customer' | 'label';

/**
 * Why a request failed on the connector's side:
 * - `invalid_data` (502): the repository returned data that breaks the contract; see `issues`.
 * - `exception` (500): the repository or `authenticate` threw or rejected, `authenticate` returned a
 *   challenge that cannot be sent, or the answer could not be written; see `error`.
 * - `timeout` (504): the repository did not answer within `timeoutMs`.
 * - `hook`: the `onResponse` hook threw; the response was sent regardless.
 *
 * @example
 * ```ts
 * import { createConnector, type ConnectorErrorKind } from 'priority-routing-crm';
 * const failures = new Map<ConnectorErrorKind, number>();
 * const connector = createConnector({ repository, onError: (event) => failures.set(event.kind, (failures.get(event.kind) ?? 0) + 1) });
 * ```
 */
export type ConnectorErrorKind = 'invalid_data' | 'exception' | 'timeout' | 'hook';

/**
 * What `onError` receives. Meant for your logs: it may hold CRM data (`issues` quote the bad
 * values, `error` is whatever was thrown), none of which ever reaches the client.
 *
 * @example
 * ```ts
 * import { pino } from 'pino';
 * import { createConnector, type ConnectorErrorEvent } from 'priority-routing-crm';
 * const logger = pino();
 * const onError = (event: ConnectorErrorEvent) => logger.error({ route: event.route, kind: event.kind, issues: event.issues }, 'connector failure');
 * const connector = createConnector({ repository, onError });
 * ```
 */
export interface ConnectorErrorEvent {
  kind: ConnectorErrorKind;
  route: ConnectorRoute | null;
  /** The status answered (0 for `hook`, which does not change the response). */
  status: number;
  /** For `invalid_data`: every way the repository's data breaks the contract. */
  issues?: ContractIssue[];
  /** For `exception` and `hook`: the thrown value, as thrown (not always an `Error`). */
  error?: unknown;
  /** The phone number asked for, masked unless `maskPhone: false`. */
  phone?: string;
}

/**
 * What `onResponse` receives once per answered request: enough for an access log or metrics.
 *
 * @example
 * ```ts
 * import { createConnector, type ConnectorResponseEvent } from 'priority-routing-crm';
 * const onResponse = ({ method, route, status, durationMs, phone }: ConnectorResponseEvent) =>
 *   console.log(`${method} ${route ?? '-'} ${status} ${durationMs.toFixed(1)}ms ${phone ?? ''}`);
 * const connector = createConnector({ repository, onResponse });
 * ```
 */
export interface ConnectorResponseEvent {
  /** The request method in upper case. */
  method: string;
  route: ConnectorRoute | null;
  status: number;
  /** Time from receiving the request to having the response, in milliseconds. */
  durationMs: number;
  /** The phone number asked for (customer route), masked unless `maskPhone: false`. */
  phone?: string;
}

/**
 * Masks a phone number for logs, keeping a leading `+`, the first two and the last four digits
 * (`+923001234567` → `+92******4567`). Short numbers keep only their last two characters
 * (`1111` → `**11`).
 *
 * @example
 * ```ts
 * import { maskPhone } from 'priority-routing-crm';
 * maskPhone('+923001234567'); // '+92******4567'
 * ```
 */
export function maskPhone(phone: string): string {
  const sign = phone.startsWith('+') ? '+' : '';
  const body = phone.slice(sign.length);
  if (body.length <= 8) return `${sign}${'*'.repeat(Math.max(body.length - 2, 0))}${body.slice(-2)}`;
  return `${sign}${body.slice(0, 2)}${'*'.repeat(body.length - 6)}${body.slice(-4)}`;
}

/**
 * Calls a user hook so that nothing it does (throw, reject) can break the response: a hook is
 * for observing, never for failing a chat's routing.
 */
export function callHook<E>(hook: ((event: E) => unknown) | undefined, event: E, onFailure?: (error: unknown) => void): void {
  if (hook === undefined) return;
  try {
    const result = hook(event);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      Promise.resolve(result).catch((error: unknown) => onFailure?.(error));
    }
  } catch (error) {
    onFailure?.(error);
  }
}

/**
 * An `onResponse` hook that is also handed the request it answered (see {@link hearingRequest}),
 * and the event without `phone`: reading `phoned.phone` masks it then, so a hook that never needs
 * it (serve's metrics under `--quiet`) never pays for masking and copying it on each lookup.
 */
export type RequestResponseHook = (event: ConnectorResponseEvent, request: ConnectorRequest, phoned: { readonly phone: string | undefined }) => unknown;

/** The event as a user's hook gets it: with `phone` when the request had one (masked). */
export const withPhone = (event: ConnectorResponseEvent, phoned: { readonly phone: string | undefined }): ConnectorResponseEvent => {
  const phone = phoned.phone;
  // A literal, not a spread: copying an object that holds a double (durationMs) takes V8's slow
  // clone path and a new hidden class per request (about 0.8 µs on Node 20).
  return phone === undefined ? event : { method: event.method, route: event.route, status: event.status, durationMs: event.durationMs, phone };
};

const requestHooks = new WeakSet<object>();

/**
 * Internal (serve's log line and status page): `hook` as an `onResponse` hook that the connector
 * also hands the request it answered, so the caller reads per-request facts the event leaves out
 * (the path, the query) without AsyncLocalStorage, which makes every promise in the process pay
 * on Node 20. A user's hook is never handed the request: its headers carry credentials, and a
 * hook may log whatever it is given.
 */
export function hearingRequest(hook: RequestResponseHook): (event: ConnectorResponseEvent) => unknown {
  requestHooks.add(hook);
  return hook as (event: ConnectorResponseEvent) => unknown;
}

/** Whether `hook` came from {@link hearingRequest}. */
export const hearsRequest = (hook: object): boolean => requestHooks.has(hook);
