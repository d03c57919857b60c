import type { Received } from '../observe.js';
import type { JudgedCustomer } from '../observed.js';
import type { ResolvedOptions } from '../options.js';
import { customerAnswer } from './answers.js';
import { customerViolations, knownLabelIds, unknownLabelIds } from './bodies.js';
import { okJson } from './common.js';
import { idOf } from './plus-forms.js';
import { seenCustomer } from '../seen.js';
import { namedLabels, phonePriority, type NamedLabels } from './priority.js';

/**
 * What customers are judged against: the run's options and what the label list (asked first)
 * holds.
 */
export interface CustomerContext {
  options: ResolvedOptions;
  known: ReadonlySet<string> | undefined;
  labels: NamedLabels | undefined;
}

/** The context for a run whose label list answered `labelList` (`undefined`: no JSON). */
export function customerContext(options: ResolvedOptions, labelList: { value: unknown } | undefined): CustomerContext {
  return { options, known: knownLabelIds(labelList), labels: namedLabels(labelList) };
}

/**
 * Judges one `--phone`'s answer for every check that reads it, as it arrives: the result holds a
 * bounded number of findings whatever the body was, and the body can go. Only the selected checks
 * judge; `timeoutMs` bounds the judging, as it bounds the request.
 */
export function judgeCustomer(phone: string, { observation, json }: Received, { options, known, labels }: CustomerContext): JudgedCustomer {
  const body = okJson(observation, json);
  const wants = (id: Parameters<typeof options.selected.has>[0]) => options.selected.has(id);
  const deadline = performance.now() + options.timeoutMs;
  const { subject } = observation;
  return {
    phone,
    observation,
    answer: customerAnswer(phone, observation, body, options),
    found: body !== undefined,
    id: idOf(body),
    schema: body === undefined || !wants('customer.schema') ? undefined : customerViolations(body.value, subject, options.mode, deadline),
    labelIds: body === undefined || known === undefined || !wants('customer.label-ids-exist') ? undefined : unknownLabelIds(body.value, subject, known),
    priority: options.weights === undefined || labels === undefined || !wants('priority') ? undefined : phonePriority(phone, observation, body, labels, options.weights),
    seen: seenCustomer(phone, body, options.redactText),
  };
}
