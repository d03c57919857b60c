import type { Observed } from '../observed.js';
import type { ResolvedOptions } from '../options.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, judgeJsonAnswer, type Finding } from './common.js';

type Judged = Pick<ResolvedOptions, 'budgetMs' | 'mode'>;

const slowest = (durations: number[]) => Math.max(0, ...durations);

/**
 * `labels.status`: the label list answers 200 with JSON within the budget.
 *
 * @example
 * ```ts
 * labelsStatus(observed, { budgetMs: 1000, mode: 'strict' }).status; // 'pass'
 * ```
 */
export function labelsStatus(observed: Observed, options: Judged): CheckResult {
  const finding = judgeJsonAnswer(observed.labels, { budgetMs: options.budgetMs, lenient: options.mode === 'lenient' });
  const { durationMs } = observed.labels.request;
  return fromFindings('labels.status', finding === undefined ? [] : [finding], [observed.labels], {
    pass: `200 application/json in ${durationMs ?? 0} ms`,
    fail: () => finding!.message,
  });
}

/**
 * `customer.status`: every given phone finds a customer, 200 with JSON within the budget.
 *
 * @example
 * ```ts
 * customerStatus(observed, { budgetMs: 1000, mode: 'strict' }).detail; // '2 phones: 200 application/json, slowest 12 ms'
 * ```
 */
export function customerStatus(observed: Observed, options: Judged): CheckResult {
  const findings: Finding[] = [];
  for (const { observation } of observed.customers) {
    const finding = judgeJsonAnswer(observation, {
      budgetMs: options.budgetMs,
      lenient: options.mode === 'lenient',
      notFoundHint: 'the checker needs phone numbers of known customers, or the connector does not find this one',
    });
    if (finding !== undefined) findings.push(finding);
  }
  const observations = observed.customers.map((customer) => customer.observation);
  const durations = observations.map((observation) => observation.request.durationMs ?? 0);
  return fromFindings('customer.status', findings, observations, {
    pass: `${count(observations.length, 'phone')}: 200 application/json, slowest ${slowest(durations)} ms`,
    fail: (n) => `${count(n, 'answer')} of ${observations.length} not as expected`,
  });
}
