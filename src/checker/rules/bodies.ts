import * as z from 'zod';
import { describeValue, validateCustomer, LabelSchema, LenientLabelSchema, toContractIssues, type ValidationMode } from '../../contract/index.js';
import { customerLabelIssues, elementIssues } from '../../transport/bounded-validate.js';
import type { Bounded, LabelAnswer, Observed } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, MAX_ISSUES, objectEntries, skipped, type Finding } from './common.js';

// Without the unique-id refinement: duplicate ids are `labels.unique-ids`' finding, not this one's.
const labelSchemas = { strict: LabelSchema, lenient: LenientLabelSchema };
const labelArrays = { strict: z.array(LabelSchema), lenient: z.array(LenientLabelSchema) };

/** Where a body the contract wants bare is wrapped (`{ "data": … }`), the key, to say so. */
function envelopeKey(value: unknown, fits: (inner: unknown) => boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.entries(value).find(([, inner]) => fits(inner))?.[0];
}

/**
 * One customer body's violations of the contract, for `customer.schema`: the first
 * {@link MAX_ISSUES}, the others counted, judged until `deadline`.
 */
export function customerViolations(value: unknown, subject: string, mode: ValidationMode, deadline?: number): Bounded {
  const findings: Finding[] = [];
  const fail = (path: string, message: string) => findings.push({ path, message, subject, status: 'fail' });
  // Label ids one by one when some are not strings: 200,000 objects would make as many issues.
  const bounded = customerLabelIssues(value, mode, { max: MAX_ISSUES, ...(deadline === undefined ? {} : { deadline }) });
  if (bounded !== undefined) {
    for (const issue of bounded.issues) fail(issue.path, issue.message);
    if (bounded.stoppedAt !== undefined) fail(`$.labels[${bounded.stoppedAt}]`, STOPPED('label id'));
    return { findings, omitted: bounded.omitted };
  }
  const result = validateCustomer(value, { mode });
  if (result.ok) return { findings, omitted: 0 };
  const wrapped = Array.isArray(value)
    ? value.length === 1 && validateCustomer(value[0], { mode }).ok ? '$[0]' : undefined
    : envelopeKey(value, (inner) => validateCustomer(inner, { mode }).ok);
  if (wrapped !== undefined) {
    fail('$', `the customer is wrapped ${wrapped === '$[0]' ? 'in an array' : `in an envelope under ${JSON.stringify(wrapped)}`}: send the customer object itself`);
  } else {
    for (const issue of result.issues.slice(0, MAX_ISSUES)) fail(issue.path, issue.message);
  }
  return { findings, omitted: Math.max(0, result.issues.length - MAX_ISSUES) };
}

/**
 * `customer.schema`: each customer body conforms.
 */
export function customerSchema(observed: Observed, mode: ValidationMode): CheckResult {
  const readable = observed.customers.filter((customer) => customer.schema !== undefined);
  if (readable.length === 0) return skipped('customer.schema', 'no customer answered 200 with JSON (see customer.status)');
  return fromFindings(
    'customer.schema',
    readable.flatMap((customer) => customer.schema!.findings),
    readable.map((customer) => customer.observation),
    {
      pass: `${count(readable.length, 'customer')} conform (${mode})`,
      fail: (n) => `${count(n, 'violation')} of the contract (${mode})`,
    },
    readable.reduce((sum, customer) => sum + customer.schema!.omitted, 0),
  );
}

/**
 * `labels.schema`: the label list conforms (duplicate ids aside).
 */
export function labelsSchema(observed: LabelAnswer, mode: ValidationMode, deadline?: number): CheckResult {
  const body = observed.labelList;
  if (body === undefined) return skipped('labels.schema', 'the label list did not answer 200 with JSON (see labels.status)');
  const findings: Finding[] = [];
  let omitted = 0;
  if (Array.isArray(body.value)) {
    // Label by label, keeping only the first issues: a list of 200,000 `{}` has 1.6 million.
    const bounded = elementIssues(body.value, labelSchemas[mode], { max: MAX_ISSUES, ...(deadline === undefined ? {} : { deadline }) });
    for (const issue of bounded.issues) findings.push({ path: issue.path, message: issue.message, status: 'fail' });
    omitted = bounded.omitted;
    if (bounded.stoppedAt !== undefined) {
      findings.push({ path: `$[${bounded.stoppedAt}]`, status: 'fail', message: STOPPED('label') });
    }
  } else {
    const result = labelArrays[mode].safeParse(body.value, { reportInput: true });
    const wrapped = result.success ? undefined : envelopeKey(body.value, (inner) => labelArrays[mode].safeParse(inner).success);
    if (wrapped !== undefined) {
      findings.push({ path: '$', status: 'fail', message: `the label list is wrapped in an envelope under ${JSON.stringify(wrapped)}: send the array itself` });
    } else if (!result.success) {
      for (const issue of toContractIssues(result.error.issues)) findings.push({ path: issue.path, message: issue.message, status: 'fail' });
    }
  }
  return fromFindings(
    'labels.schema',
    findings,
    [observed.labels],
    {
      pass: `${count(Array.isArray(body.value) ? body.value.length : 0, 'label')} conform (${mode})`,
      fail: (n) => `${count(n, 'violation')} of the contract (${mode})`,
    },
    omitted,
  );
}

const STOPPED = (what: string) => `judging stopped at the time limit (timeoutMs): each ${what} from here on was not checked`;

/** The labels' string `_id`s, with their index. */
function labelIds(value: unknown) {
  return objectEntries(value).flatMap(({ index, entry }) => (typeof entry._id === 'string' ? [{ index, id: entry._id }] : []));
}

/**
 * `labels.unique-ids`: no two labels share an `_id`.
 */
export function labelsUniqueIds(observed: LabelAnswer): CheckResult {
  const body = observed.labelList;
  if (body === undefined || !Array.isArray(body.value)) return skipped('labels.unique-ids', 'no label array to read (see labels.status and labels.schema)');
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  for (const { index, id } of labelIds(body.value)) {
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else findings.push({ path: `$[${index}]._id`, status: 'fail', message: `duplicate label id ${JSON.stringify(id)}: the label at $[${earlier}] has it too` });
  }
  return fromFindings('labels.unique-ids', findings, [observed.labels], {
    pass: `${count(first.size, 'label id')}, all different`,
    fail: (n) => `${count(n, 'duplicate id')}: Hybrid Chat would keep only one name per id`,
  });
}

/**
 * The ids of the labels in a label list, to judge customers against as they arrive; `undefined`
 * when the list is no array.
 */
export function knownLabelIds(labelList: { value: unknown } | undefined): ReadonlySet<string> | undefined {
  return labelList === undefined || !Array.isArray(labelList.value) ? undefined : new Set(labelIds(labelList.value).map(({ id }) => id));
}

/**
 * One customer's label ids that are not in the list or not strings, for
 * `customer.label-ids-exist`: the first {@link MAX_ISSUES}, the others counted (a customer may
 * carry 200,000); `undefined` when the body has no labels array.
 */
export function unknownLabelIds(value: unknown, subject: string, known: ReadonlySet<string>): (Bounded & { checked: number }) | undefined {
  const labels = typeof value === 'object' && value !== null ? (value as { labels?: unknown }).labels : undefined;
  if (!Array.isArray(labels)) return undefined;
  const findings: Finding[] = [];
  let omitted = 0;
  labels.forEach((id: unknown, index) => {
    if (typeof id === 'string' && known.has(id)) return;
    if (findings.length >= MAX_ISSUES) return void (omitted += 1);
    const message =
      typeof id !== 'string'
        ? `${describeValue(id)} is not a label id: label ids are strings, so Hybrid Chat cannot name it and it adds nothing to the priority`
        : `label id ${JSON.stringify(id)} is not in the label list: Hybrid Chat cannot name it, so it adds nothing to the priority`;
    findings.push({ path: `$.labels[${index}]`, subject, status: 'fail', message });
  });
  return { findings, omitted, checked: labels.length };
}

/**
 * `customer.label-ids-exist`: every id on a customer is in the label list.
 */
export function customerLabelIdsExist(observed: Observed): CheckResult {
  if (!observed.labelArray) return skipped('customer.label-ids-exist', 'no label array to read (see labels.status)');
  const read = observed.customers.filter((customer) => customer.labelIds !== undefined);
  if (read.length === 0) return skipped('customer.label-ids-exist', 'no customer with a labels array to read (see customer.status and customer.schema)');
  const checked = read.reduce((sum, customer) => sum + customer.labelIds!.checked, 0);
  return fromFindings(
    'customer.label-ids-exist',
    read.flatMap((customer) => customer.labelIds!.findings),
    [observed.labels, ...read.map((customer) => customer.observation)],
    {
      pass: `${count(checked, 'label id')} on ${count(read.length, 'customer')}, all in the label list`,
      fail: (n) => `${count(n, 'label id')} not in the label list or not a string`,
    },
    read.reduce((sum, customer) => sum + customer.labelIds!.omitted, 0),
  );
}
