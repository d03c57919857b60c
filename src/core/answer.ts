import { type ConnectorRoute, maskPhone } from './hooks.js';
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

/**
 * The trace of a customer lookup for `phone`, masked by `mask`. The built-in mask runs on the
 * first read only (a hook or a failure report): most lookups are never reported, and masking is
 * string work on every one of them. Another mask is the site's own function, so it runs here,
 * once per lookup, as it always has (whatever it does or throws happens at the same point).
 */
export const customerTrace = (phone: string, mask: (phone: string) => string): Trace =>
  mask === maskPhone ? new MaskedOnRead(phone) : { route: 'customer', phone: mask(phone) };

/** A customer trace whose phone is masked with the built-in mask when first read. */
class MaskedOnRead implements Trace {
  readonly route = 'customer';
  #phone: string;
  #masked = false;

  constructor(phone: string) {
    this.#phone = phone;
  }

  get phone(): string {
    if (!this.#masked) {
      this.#phone = maskPhone(this.#phone);
      this.#masked = true;
    }
    return this.#phone;
  }
}

export const answer = (response: ConnectorResponse, trace: Trace): Answer => ({ response, trace });
