import type { ConnectorRoute } from './hooks.js';
import type { ConnectorResponse } from './http.js';

/**
 * What the hooks learn about one request: its route and, once the query has been read, the
 * phone asked for (masked per `maskPhone`). Made once it is known and never changed: a step
 * that learns more makes a new one.
 */
export interface Trace {
  readonly route: ConnectorRoute | null;
  readonly phone?: string;
}

/** What a step of the request path produced: the response, and the trace it is reported under. */
export interface Answer {
  readonly response: ConnectorResponse;
  readonly trace: Trace;
}

// Shared by every request that knows no phone: most answers then cost no trace of their own.
const TRACES: Readonly<Record<ConnectorRoute | 'none', Trace>> = Object.freeze({
  customer: Object.freeze({ route: 'customer' }),
  label: Object.freeze({ route: 'label' }),
  none: Object.freeze({ route: null }),
});

/** The trace of a request on `route`, before anything else is known about it. */
export const traceOf = (route: ConnectorRoute | null): Trace => TRACES[route ?? 'none'];

/** The trace of a customer lookup for `phone` (already masked). */
export const customerTrace = (phone: string): Trace => ({ route: 'customer', phone });

export const answer = (response: ConnectorResponse, trace: Trace): Answer => ({ response, trace });
