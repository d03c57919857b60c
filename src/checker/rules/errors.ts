import type { Observation } from '../observe.js';
import type { Observed } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, judgeErrorStatus, skipped, type Finding } from './common.js';
import type { CheckId } from '../checks.js';

const NOT_IN_QUERY = 'the customer URL template has {refId} outside its query string, so there is no query to break';

function expectOne(id: CheckId, observation: Observation | undefined, expected: number): CheckResult {
  if (observation === undefined) return skipped(id, NOT_IN_QUERY);
  const finding = judgeErrorStatus(observation, expected);
  return fromFindings(id, finding === undefined ? [] : [finding], [observation], {
    pass: `answered ${expected}`,
    fail: () => finding!.message,
  });
}

/**
 * `customer.unknown-number-404`: a number no customer has gets 404, and nothing else.
 */
export function unknownNumber404(observed: Observed): CheckResult {
  const last = observed.unknown.at(-1);
  if (last === undefined) return skipped('customer.unknown-number-404', 'not run');
  const finding = judgeErrorStatus(last, 404, true);
  const retried = observed.unknown.length > 1 ? ` (${count(observed.unknown.length, 'made-up number')}: the earlier ones found a customer with that number)` : '';
  return fromFindings('customer.unknown-number-404', finding === undefined ? [] : [finding], observed.unknown, {
    pass: `answered 404 for a made-up number${retried}`,
    fail: () => `${finding!.message}, for a number no customer has${retried}`,
  });
}

/**
 * `customer.malformed-query-400`: `query=email:x` gets 400.
 */
export const malformedQuery400 = (observed: Observed) => expectOne('customer.malformed-query-400', observed.malformed, 400);

/**
 * `customer.missing-query-400`: no `query` gets 400.
 */
export const missingQuery400 = (observed: Observed) => expectOne('customer.missing-query-400', observed.missing, 400);

/**
 * `method.post-405`: POST gets 405 with an `Allow` header, on both URLs.
 */
export function post405(observed: Observed): CheckResult {
  const findings: Finding[] = [];
  for (const observation of observed.post) {
    const finding = judgeErrorStatus(observation, 405);
    if (finding !== undefined) findings.push(finding);
    else if (observation.result.kind === 'response' && !observation.result.headers.has('allow')) {
      findings.push({ path: '$', subject: observation.subject, status: 'warn', message: 'answered 405 without an Allow header (RFC 9110 requires one)' });
    }
  }
  return fromFindings('method.post-405', findings, observed.post, {
    pass: 'both URLs answered 405 with an Allow header',
    fail: (n) => `${count(n, 'answer')} not as expected`,
  });
}

function problemFindings(observation: Observation): Finding[] {
  const { result, subject } = observation;
  if (result.kind !== 'response') return [];
  const findings: Finding[] = [];
  const warn = (message: string) => findings.push({ path: '$', subject, status: 'warn', message });
  if (result.contentType !== 'application/problem+json') {
    warn(`${result.status} came as ${result.contentType === '' ? 'no content type' : result.contentType}, not application/problem+json`);
  }
  const { problem, stackTrace } = observation.body;
  if (problem === undefined) warn(`the ${result.status} body is not an RFC 9457 problem with type, title, status and detail`);
  else if (problem.status !== result.status) warn(`the problem says status ${problem.status}, the response is ${result.status}`);
  if (result.status === 503 && !result.headers.has('retry-after')) warn('the 503 has no Retry-After header: the contract sends one with every 503');
  if (stackTrace) warn(`the ${result.status} body shows a stack trace: it leaks the connector's internals`);
  return findings;
}

/**
 * `errors.problem-json`: every error answer the run provoked is a problem+json without internals.
 */
export function errorsProblemJson(observed: Observed): CheckResult {
  const all = [
    observed.labels,
    ...observed.customers.map((customer) => customer.observation),
    ...observed.unknown,
    ...[observed.malformed, observed.missing].filter((observation) => observation !== undefined),
    ...observed.post,
    ...observed.plusForms.flatMap((phone) => phone.forms.map((form) => form.observation)),
  ];
  const errors = all.filter(({ result }) => result.kind === 'response' && result.status >= 400);
  if (errors.length === 0) return skipped('errors.problem-json', 'no error answer to read');
  const findings = errors.flatMap(problemFindings);
  return fromFindings('errors.problem-json', findings, errors, {
    pass: `${count(errors.length, 'error answer')}, all application/problem+json`,
    fail: () => `${count(new Set(findings.map((finding) => finding.subject)).size, 'error answer')} of ${errors.length} not a clean problem+json`,
  });
}
