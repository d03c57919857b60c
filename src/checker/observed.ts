import type { Observation } from './observe.js';
import type { CheckId } from './checks.js';
import type { CheckResult, PhonePriority } from './report.js';
import type { Finding } from './rules/common.js';
import type { SeenCustomer, SeenLabel } from './seen.js';

/**
 * Findings of one kind for one answer: the first `MAX_ISSUES`, and how many more there were.
 */
export interface Bounded {
  findings: Finding[];
  omitted: number;
}

/**
 * One `--phone`'s answer, judged when it arrived: what each check needs of it, its body let go.
 */
export interface JudgedCustomer {
  phone: string;
  observation: Observation;
  /** `customer.status`: what is wrong with the answer (not 200 with JSON, slow, only on phone2…phone5). */
  answer: Finding | undefined;
  /** Whether it answered 200 with JSON. */
  found: boolean;
  /** The customer's `_id`, when it is a string. */
  id: string | undefined;
  /** `customer.schema`: its violations; `undefined` unless it answered 200 with JSON. */
  schema: Bounded | undefined;
  /** `customer.label-ids-exist`: `undefined` when the body or the label list has no labels array. */
  labelIds: (Bounded & { checked: number }) | undefined;
  /** `priority`: `undefined` without weights or without a label array. */
  priority: { entry: PhonePriority; finding: Finding } | undefined;
  /** What a report shows of it (masked, bounded). */
  seen: SeenCustomer;
}

/**
 * A `+` number's three URL forms, as sent.
 */
export interface PlusForms {
  phone: string;
  /** `+…` raw (Hybrid Chat's own form), `%2B…` and `%20…` (the `+` already turned into a space). */
  forms: Array<{ form: 'raw' | '%2B' | 'space'; observation: Observation; found: boolean; id: string | undefined }>;
}

/**
 * The label list's answer with its body, while the label checks judge it.
 */
export interface LabelAnswer {
  labels: Observation;
  /** The body when it answered 200 with JSON. */
  labelList: { value: unknown } | undefined;
}

/**
 * Everything the checker sent and got in one run; the rules read it and send nothing. No body is
 * kept: each answer was judged as it came.
 */
export interface Observed {
  labels: Observation;
  /** The label checks, judged when the list arrived. */
  labelChecks: Partial<Record<CheckId, CheckResult>>;
  /** Whether the label list answered 200 with a JSON array, which customers are compared with. */
  labelArray: boolean;
  /** What a report shows of the label list (masked, the first 500); `undefined` when it was not a JSON list. */
  seenLabels: SeenLabel[] | undefined;
  customers: JudgedCustomer[];
  /** The made-up numbers asked for, the last one decisive (earlier ones found a real customer). */
  unknown: Observation[];
  malformed: Observation | undefined;
  missing: Observation | undefined;
  post: Observation[];
  plusForms: PlusForms[];
}
