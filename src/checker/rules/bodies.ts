import * as z from 'zod';
import { describeValue, validateCustomer, LabelSchema, LenientLabelSchema, toContractIssues, type ValidationMode } from '../../contract/index.js';
import { customerLabelIssues, elementIssues } from '../../transport/bounded-validate.js';
import type { Observed } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, MAX_ISSUES, objectEntries, okJson, skipped, type Finding } from './common.js';

// Without the unique-id refinement: duplicate ids are `labels.unique-ids`' finding, not this one's.
const labelSchemas = { strict: LabelSchema, lenient: LenientLabelSchema };
const labelArrays = { strict: z.array(LabelSchema), lenient: z.array(LenientLabelSchema) };

/** Where a body the contract wants bare is wrapped (`{ "data": … }`), the key, to say so. */
function envelopeKey(value: unknown, fits: (inner: unknown) => boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.entries(value).find(([, inner]) => fits(inner))?.[0];
}

/**
 * `customer.schema`: each customer body conforms.
 */
export function customerSchema(observed: Observed, mode: ValidationMode, deadline?: number): CheckResult {
  const readable = observed.customers.filter(({ observation }) => okJson(observation) !== undefined);
  if (readable.length === 0) return skipped('customer.schema', 'no customer answered 200 with JSON (see customer.status)');
  const findings: Finding[] = [];
  let omitted = 0;
  for (const { observation } of readable) {
    const { value } = okJson(observation)!;
    const subject = observation.subject;
    // Label ids one by one when some are not strings: 200,000 objects would make as many issues.
    const bounded = customerLabelIssues(value, mode, { max: MAX_ISSUES, ...(deadline === undefined ? {} : { deadline }) });
    if (bounded !== undefined) {
      for (const issue of bounded.issues) findings.push({ path: issue.path, message: issue.message, subject, status: 'fail' });
      omitted += bounded.omitted;
      if (bounded.stoppedAt !== undefined) findings.push({ path: `$.labels[${bounded.stoppedAt}]`, subject, status: 'fail', message: STOPPED('label id') });
      continue;
    }
    const result = validateCustomer(value, { mode });
    if (result.ok) continue;
    const wrapped = Array.isArray(value)
      ? value.length === 1 && validateCustomer(value[0], { mode }).ok ? '$[0]' : undefined
      : envelopeKey(value, (inner) => validateCustomer(inner, { mode }).ok);
    if (wrapped !== undefined) {
      const where = wrapped === '$[0]' ? 'in an array' : `in an envelope under ${JSON.stringify(wrapped)}`;
      findings.push({ path: '$', subject, status: 'fail', message: `the customer is wrapped ${where}: send the customer object itself` });
    } else {
      for (const issue of result.issues) findings.push({ path: issue.path, message: issue.message, subject, status: 'fail' });
    }
  }
  return fromFindings(
    'customer.schema',
    findings,
    readable.map((customer) => customer.observation),
    {
      pass: `${count(readable.length, 'customer')} conform (${mode})`,
      fail: (n) => `${count(n, 'violation')} of the contract (${mode})`,
    },
    omitted,
  );
}

/**
 * `labels.schema`: the label list conforms (duplicate ids aside).
 */
export function labelsSchema(observed: Observed, mode: ValidationMode, deadline?: number): CheckResult {
  const body = okJson(observed.labels);
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
export function labelsUniqueIds(observed: Observed): CheckResult {
  const body = okJson(observed.labels);
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
 * `customer.label-ids-exist`: every id on a customer is in the label list.
 */
export function customerLabelIdsExist(observed: Observed): CheckResult {
  const labels = okJson(observed.labels);
  if (labels === undefined || !Array.isArray(labels.value)) return skipped('customer.label-ids-exist', 'no label array to read (see labels.status)');
  const known = new Set(labelIds(labels.value).map(({ id }) => id));
  const findings: Finding[] = [];
  let omitted = 0;
  // All fail alike: past the first MAX_ISSUES, only counted (a customer may carry 200,000).
  const add = (finding: Finding) => (findings.length < MAX_ISSUES ? void findings.push(finding) : void (omitted += 1));
  const read = [observed.labels];
  let checked = 0;
  for (const { observation } of observed.customers) {
    const body = okJson(observation)?.value as { labels?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.labels)) continue;
    read.push(observation);
    body.labels.forEach((id: unknown, index) => {
      checked += 1;
      if (typeof id !== 'string') {
        add({
          path: `$.labels[${index}]`,
          subject: observation.subject,
          status: 'fail',
          message: `${describeValue(id)} is not a label id: label ids are strings, so Hybrid Chat cannot name it and it adds nothing to the priority`,
        });
      } else if (!known.has(id)) {
        add({
          path: `$.labels[${index}]`,
          subject: observation.subject,
          status: 'fail',
          message: `label id ${JSON.stringify(id)} is not in the label list: Hybrid Chat cannot name it, so it adds nothing to the priority`,
        });
      }
    });
  }
  if (read.length === 1) return skipped('customer.label-ids-exist', 'no customer with a labels array to read (see customer.status and customer.schema)');
  return fromFindings(
    'customer.label-ids-exist',
    findings,
    read,
    {
      pass: `${count(checked, 'label id')} on ${count(read.length - 1, 'customer')}, all in the label list`,
      fail: (n) => `${count(n, 'label id')} not in the label list or not a string`,
    },
    omitted,
  );
}
