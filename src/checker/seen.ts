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
 * `undefined` when the answer was not a JSON list. Taken as the list arrives, before its body
 * goes; masked by `redact`, like every text in a report.
 */
export function seenLabels(labelList: { value: unknown } | undefined, redact: Redact): SeenLabel[] | undefined {
  if (labelList === undefined || !Array.isArray(labelList.value)) return undefined;
  return labelList.value.slice(0, MAX_SEEN_LABELS).map((entry: unknown) => {
    const label = record(entry) ?? {};
    return { _id: text(label._id, redact), name: text(label.name, redact), color_code: text(label.color_code, redact) };
  });
}

/** A phone's answer: a customer (its id and label ids) when it was a 200 with a JSON object (`body`). */
export function seenCustomer(phone: string, body: { value: unknown } | undefined, redact: Redact): SeenCustomer {
  const customer = body === undefined ? undefined : record(body.value);
  if (customer === undefined) return { phone, found: false, labels: [] };
  const labels = Array.isArray(customer.labels) ? customer.labels.slice(0, MAX_SEEN_LABELS).map((id: unknown) => text(id, redact)) : [];
  return { phone, found: true, _id: text(customer._id, redact), labels };
}
