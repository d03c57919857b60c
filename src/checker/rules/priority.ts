import { resolvePriority, type PriorityResult, type PriorityWeights } from '../../contract/priority.js';
import { describeValue } from '../../contract/index.js';
import type { Observation } from '../observe.js';
import type { Observed } from '../observed.js';
import type { CheckResult, PhonePriority } from '../report.js';
import { count, describeOutcome, fromFindings, MAX_ISSUES, objectEntries, skipped, type Finding } from './common.js';

// A sentence names a few of each kind; a customer may carry 200,000 label ids.
const NAMED = 5;

/** The first few of `items` (made by `name`), then `and 1,234 more …` for the others. */
function firstFew<T>(items: readonly T[], name: (item: T) => string, more: (n: string) => string): string[] {
  const rest = items.length - NAMED;
  return [...items.slice(0, NAMED).map(name), ...(rest > 0 ? [more(rest.toLocaleString('en-US'))] : [])];
}

/** Label entries that are not strings: no id at all, said so that "no label" does not hide them. */
interface Unreadable {
  indexes: number[];
  values: readonly unknown[];
}

function why(result: PriorityResult, customer: string | undefined, unreadable: Unreadable): string {
  if (customer !== undefined) return `${customer}, so priority 1`;
  const [top, ...rest] = result.matched;
  const also = firstFew(rest, (m) => `${m.name}=${m.weight}`, (n) => `${n} more`).join(', ');
  const counted = top === undefined ? 'no label has a weight' : `${top.name}=${top.weight}${rest.length > 0 ? ` (also ${also})` : ''}`;
  const ignored = firstFew(
    result.ignored,
    (entry) =>
      entry.reason === 'unknown_label_id'
        ? `id ${JSON.stringify(entry.labelId)} is not in the label list`
        : `${JSON.stringify(entry.name)} has no weight${entry.hint === undefined ? '' : ` (${entry.hint})`}`,
    (n) => `and ${n} more labels ignored`,
  );
  const notStrings = firstFew(
    unreadable.indexes,
    (index) => `$.labels[${index}] is ${describeValue(unreadable.values[index])}, not a label id string`,
    (n) => `and ${n} more entries that are not strings`,
  );
  const none = unreadable.indexes.length === 0 ? 'the customer has no label' : 'the customer has no label id Hybrid Chat can read';
  const labels = result.matched.length + result.ignored.length === 0 ? none : counted;
  return [labels, ...ignored, ...notStrings].join('; ');
}

/** The labels of a label list that have a string id and name, for the priority rule. */
export type NamedLabels = ReadonlyArray<{ _id: string; name: string }>;

/**
 * The labels with a string `_id` and `name`, to judge customers against as they arrive;
 * `undefined` when the list is no array.
 */
export function namedLabels(labelList: { value: unknown } | undefined): NamedLabels | undefined {
  if (labelList === undefined || !Array.isArray(labelList.value)) return undefined;
  return objectEntries(labelList.value).flatMap(({ entry }) =>
    typeof entry._id === 'string' && typeof entry.name === 'string' ? [{ _id: entry._id, name: entry.name }] : [],
  );
}

/**
 * The priority one `--phone` would get and the finding that says why: `body` is its JSON when
 * it answered 200 with JSON.
 */
export function phonePriority(
  phone: string,
  observation: Observation,
  body: { value: unknown } | undefined,
  labels: NamedLabels,
  weights: PriorityWeights,
): { entry: PhonePriority; finding: Finding } {
  const customer = body?.value as { labels?: unknown } | undefined;
  const values: readonly unknown[] = Array.isArray(customer?.labels) ? customer.labels : [];
  const ids = Array.isArray(customer?.labels) ? values.filter((id): id is string => typeof id === 'string') : undefined;
  const unreadable = { values, indexes: values.flatMap((id, index) => (typeof id === 'string' ? [] : [index])) };
  const missing =
    observation.result.kind === 'response' && observation.result.status === 404
      ? 'no customer'
      : ids === undefined
        ? `no readable customer (${describeOutcome(observation)})`
        : undefined;
  const result = resolvePriority({ customer: ids === undefined ? null : { labels: ids }, labels, weights });
  const reason = why(result, missing, unreadable);
  const suspicious = unreadable.indexes.length > 0 || result.ignored.some((entry) => entry.reason === 'unknown_label_id' || 'hint' in entry);
  // As many entries as a report keeps issues; the reason counts the others.
  const omitted = result.matched.length + result.ignored.length - Math.min(result.matched.length, MAX_ISSUES) - Math.min(result.ignored.length, MAX_ISSUES);
  return {
    finding: { path: '$', subject: `phone ${phone}`, status: suspicious ? 'warn' : 'pass', message: `priority ${result.priority}: ${reason}` },
    entry: {
      phone,
      priority: result.priority,
      reason,
      matched: result.matched.slice(0, MAX_ISSUES),
      ignored: result.ignored.slice(0, MAX_ISSUES),
      ...(omitted > 0 ? { omittedEntries: omitted } : {}),
    },
  };
}

/**
 * `priority`: the priority each phone would get with the given weights, and why.
 */
export function priority(observed: Observed, weights: PriorityWeights | undefined): { result: CheckResult; priorities?: PhonePriority[] } {
  if (weights === undefined) return { result: skipped('priority', 'no weights given (--weights Gold=8,Vip=10 or --weights-file)') };
  if (!observed.labelArray) {
    return { result: skipped('priority', 'no label array to read (see labels.status)', [observed.labels]) };
  }
  const judged = observed.customers.flatMap((customer) => (customer.priority === undefined ? [] : [customer.priority]));
  const findings = judged.map((entry) => entry.finding);
  const warned = findings.filter((finding) => finding.status === 'warn');
  const lines = (status: string) => findings.filter((f) => f.status === status).map((f) => `\n${f.subject}: ${f.message}`).join('');
  const result = fromFindings('priority', warned, [observed.labels, ...observed.customers.map((c) => c.observation)], {
    pass: lines('pass').slice(1),
    // The warned phones follow as issues; the detail lists the others.
    fail: (n) => `${count(n, 'phone')} of ${findings.length} may not get the priority meant for it${lines('pass')}`,
  });
  return { result, priorities: judged.map((entry) => entry.entry) };
}
