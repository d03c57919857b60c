import { resolvePriority, type PriorityResult, type PriorityWeights } from '../../client/priority.js';
import { describeValue } from '../../contract/index.js';
import type { Observed } from '../observed.js';
import type { CheckResult, PhonePriority } from '../report.js';
import { count, describeOutcome, fromFindings, objectEntries, okJson, skipped, type Finding } from './common.js';

function why(result: PriorityResult, customer: string | undefined, unreadable: readonly string[] = []): string {
  if (customer !== undefined) return `${customer}, so priority 1`;
  const [top, ...rest] = result.matched;
  const counted = top === undefined ? 'no label has a weight' : `${top.name}=${top.weight}${rest.length > 0 ? ` (also ${rest.map((m) => `${m.name}=${m.weight}`).join(', ')})` : ''}`;
  const ignored = result.ignored.map((entry) =>
    entry.reason === 'unknown_label_id'
      ? `id ${JSON.stringify(entry.labelId)} is not in the label list`
      : `${JSON.stringify(entry.name)} has no weight${entry.hint === undefined ? '' : ` (${entry.hint})`}`,
  );
  const none = unreadable.length === 0 ? 'the customer has no label' : 'the customer has no label id Hybrid Chat can read';
  const labels = result.matched.length + result.ignored.length === 0 ? none : counted;
  return [labels, ...ignored, ...unreadable].join('; ');
}

/**
 * `priority`: the priority each phone would get with the given weights, and why.
 *
 * @example
 * ```ts
 * const { result, priorities } = priority(observed, { Gold: 8, Vip: 10 });
 * priorities?.[0]; // { phone: '1111', priority: 8, reason: 'Gold=8', … }
 * ```
 */
export function priority(observed: Observed, weights: PriorityWeights | undefined): { result: CheckResult; priorities?: PhonePriority[] } {
  if (weights === undefined) return { result: skipped('priority', 'no weights given (--weights Gold=8,Vip=10 or --weights-file)') };
  const labelsBody = okJson(observed.labels);
  if (labelsBody === undefined || !Array.isArray(labelsBody.value)) {
    return { result: skipped('priority', 'no label array to read (see labels.status)', [observed.labels]) };
  }
  const labels = objectEntries(labelsBody.value).flatMap(({ entry }) =>
    typeof entry._id === 'string' && typeof entry.name === 'string' ? [{ _id: entry._id, name: entry.name }] : [],
  );
  const findings: Finding[] = [];
  const priorities: PhonePriority[] = observed.customers.map(({ phone, observation }) => {
    const body = okJson(observation)?.value as { labels?: unknown } | undefined;
    const ids = Array.isArray(body?.labels) ? body.labels.filter((id): id is string => typeof id === 'string') : undefined;
    // A non-string entry is no id at all: said, so that "no label" does not hide it.
    const unreadable = Array.isArray(body?.labels)
      ? body.labels.flatMap((id: unknown, index) => (typeof id === 'string' ? [] : [`$.labels[${index}] is ${describeValue(id)}, not a label id string`]))
      : [];
    const missing =
      observation.result.kind === 'response' && observation.result.status === 404
        ? 'no customer'
        : ids === undefined
          ? `no readable customer (${describeOutcome(observation)})`
          : undefined;
    const result = resolvePriority({ customer: ids === undefined ? null : { labels: ids }, labels, weights });
    const reason = why(result, missing, unreadable);
    const suspicious = unreadable.length > 0 || result.ignored.some((entry) => entry.reason === 'unknown_label_id' || 'hint' in entry);
    findings.push({ path: '$', subject: `phone ${phone}`, status: suspicious ? 'warn' : 'pass', message: `priority ${result.priority}: ${reason}` });
    return { phone, priority: result.priority, reason, matched: result.matched, ignored: result.ignored };
  });
  const warned = findings.filter((finding) => finding.status === 'warn');
  const lines = (status: string) => findings.filter((f) => f.status === status).map((f) => `\n${f.subject}: ${f.message}`).join('');
  const result = fromFindings('priority', warned, [observed.labels, ...observed.customers.map((c) => c.observation)], {
    pass: lines('pass').slice(1),
    // The warned phones follow as issues; the detail lists the others.
    fail: (n) => `${count(n, 'phone')} of ${findings.length} may not get the priority meant for it${lines('pass')}`,
  });
  return { result, priorities };
}
