import type { Observed } from './observed.js';

/** At most this many labels are kept for a report, so that no connector can exhaust memory. */
export const MAX_SEEN_LABELS = 500;
/** A longer id, name or colour is cut: a report shows it, it does not need all of it. */
const MAX_TEXT = 200;

type Redact = (text: string) => string;

export interface SeenLabel {
  _id: string;
  name: string;
  color_code: string;
}

export interface SeenCustomer {
  phone: string;
  found: boolean;
  _id?: string;
  labels: string[];
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

// Whatever the connector sent, as short text: a report shows a number or null as what it was.
const text = (value: unknown, redact: Redact): string => {
  const raw = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return redact(raw.length > MAX_TEXT ? `${raw.slice(0, MAX_TEXT)}…` : raw);
};

/**
 * The label list as read (id, name, colour code; the first {@link MAX_SEEN_LABELS}), or
 * `undefined` when the answer was not a JSON list. Masked by `redact`, like every text in a report.
 */
export function seenLabels(observed: Observed, redact: Redact): SeenLabel[] | undefined {
  const json = observed.labels.json;
  if (!json.ok || !Array.isArray(json.value)) return undefined;
  return json.value.slice(0, MAX_SEEN_LABELS).map((entry) => {
    const label = record(entry) ?? {};
    return { _id: text(label._id, redact), name: text(label.name, redact), color_code: text(label.color_code, redact) };
  });
}

/** Each phone's answer: a customer (its id and label ids) when it was a 200 with a JSON object. */
export function seenCustomers(observed: Observed, redact: Redact): SeenCustomer[] {
  return observed.customers.map(({ phone, observation }) => {
    const json = observation.json;
    const body = observation.result.kind === 'response' && observation.result.status === 200 && json.ok ? record(json.value) : undefined;
    if (body === undefined) return { phone, found: false, labels: [] };
    const labels = Array.isArray(body.labels) ? body.labels.slice(0, MAX_SEEN_LABELS).map((id) => text(id, redact)) : [];
    return { phone, found: true, _id: text(body._id, redact), labels };
  });
}
