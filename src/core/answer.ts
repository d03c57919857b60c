import type { ConnectorRoute } from './hooks.js';
import type { ConnectorResponse } from './http.js';

/**
 * What the hooks learn about one request: its route and, once the query has been read, the
 * phone asked for (masked per `maskPhone`). Made once it is known and never changed: a step
 * that learns more makes a new one.
 */
export interface Trace {
  readonly route: ConnectorRoute | null;
  /** `undefined` until the query has been read (and on every route but the customer's). */
  readonly phone: string | undefined;
}

/** What a step of the request path produced: the response, and the trace it is reported under. */
export interface Answer {
  readonly response: ConnectorResponse;
  readonly trace: Trace;
}

// Shared by every request that knows no phone, so most answers cost no trace of their own. Not
// frozen, and with `phone` present: every trace then has one shape, which keeps the hot path's
// property reads monomorphic.
const TRACES: Readonly<Record<ConnectorRoute | 'none', Trace>> = {
  customer: { route: 'customer', phone: undefined },
  label: { route: 'label', phone: undefined },
  none: { route: null, phone: undefined },
};

/** The trace of a request on `route`, before anything else is known about it. */
export const traceOf = (route: ConnectorRoute | null): Trace => TRACES[route ?? 'none'];

/** The trace of a customer lookup for `phone` (already masked). */
export const customerTrace = (phone: string): Trace => ({ route: 'customer', phone });

export const answer = (response: ConnectorResponse, trace: Trace): Answer => ({ response, trace });
