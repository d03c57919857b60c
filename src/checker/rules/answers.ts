import { normalizePhone } from '../../contract/index.js';
import type { Observation } from '../observe.js';
import type { LabelAnswer, Observed } from '../observed.js';
import type { ResolvedOptions } from '../options.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, judgeJsonAnswer, type Finding } from './common.js';
import { nationalSpelling } from './national.js';

type Judged = Pick<ResolvedOptions, 'budgetMs' | 'mode' | 'maxBodyBytes' | 'defaultCountry'>;

const slowest = (durations: number[]) => Math.max(0, ...durations);

const OTHER_PHONES = ['phone2', 'phone3', 'phone4', 'phone5'] as const;

/** Found by a number that is only on phone2…phone5 while phone1 is empty: Hybrid Chat reads phone1. */
function onlyOnOtherPhone(phone: string, subject: string, body: unknown): Finding | undefined {
  if (typeof body !== 'object' || body === null || (body as Record<string, unknown>).phone1 !== '') return undefined;
  const record = body as Record<string, unknown>;
  const wanted = normalizePhone(phone);
  const field = OTHER_PHONES.find((name) => typeof record[name] === 'string' && record[name] !== '' && normalizePhone(record[name]) === wanted);
  if (field === undefined) return undefined;
  return { path: '$.phone1', subject, status: 'warn', message: `found by ${field}, but phone1 is empty: Hybrid Chat reads the number from phone1` };
}

/**
 * What is wrong with one `--phone`'s answer, for `customer.status`: `body` is its JSON when it
 * answered 200 with JSON.
 */
export function customerAnswer(phone: string, observation: Observation, body: { value: unknown } | undefined, options: Judged): Finding | undefined {
  const finding = judgeJsonAnswer(observation, {
    budgetMs: options.budgetMs,
    lenient: options.mode === 'lenient',
    maxBodyBytes: options.maxBodyBytes,
    what: 'the customer',
    notFoundHint: 'the checker needs phone numbers of known customers, or the connector does not find this one',
  });
  return finding ?? (body === undefined ? undefined : onlyOnOtherPhone(phone, observation.subject, body.value));
}

/**
 * `labels.status`: the label list answers 200 with JSON within the budget.
 */
export function labelsStatus(observed: LabelAnswer, options: Judged): CheckResult {
  const finding = judgeJsonAnswer(observed.labels, { budgetMs: options.budgetMs, lenient: options.mode === 'lenient', maxBodyBytes: options.maxBodyBytes, what: 'the label list' });
  const { durationMs } = observed.labels.request;
  return fromFindings('labels.status', finding === undefined ? [] : [finding], [observed.labels], {
    pass: `200 application/json in ${durationMs ?? 0} ms`,
    fail: () => finding!.message,
  });
}

/**
 * `customer.status`: every given phone finds a customer, 200 with JSON within the budget, and
 * is spelled as Hybrid Chat sends numbers.
 */
export function customerStatus(observed: Observed, options: Judged): CheckResult {
  const findings: Finding[] = [];
  for (const { phone, observation, answer } of observed.customers) {
    if (answer !== undefined) findings.push(answer);
    const national = nationalSpelling(phone, observation.subject, options.defaultCountry);
    if (national !== undefined) findings.push(national);
  }
  const observations = observed.customers.map((customer) => customer.observation);
  const durations = observations.map((observation) => observation.request.durationMs ?? 0);
  return fromFindings('customer.status', findings, observations, {
    pass: `${count(observations.length, 'phone')}: 200 application/json, slowest ${slowest(durations)} ms`,
    fail: () => `${count(new Set(findings.map((finding) => finding.subject)).size, 'phone')} of ${observations.length} not as expected`,
  });
}
