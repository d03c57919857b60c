import type { Outcome } from '../../contract/result.js';
import { formatBytes } from '../../transport/body-limit.js';
import { isJsonMediaType } from '../../transport/exchange.js';
import { checkDefinitions, type CheckId } from '../checks.js';
import type { Observation } from '../observe.js';
import type { CheckIssue, CheckResult, CheckStatus } from '../report.js';

const RANK: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

/**
 * The worst of several statuses: fail over warn over pass over skip.
 */
export const worst = (statuses: readonly CheckStatus[]): CheckStatus =>
  statuses.reduce<CheckStatus>((a, b) => (RANK[b] > RANK[a] ? b : a), 'skip');

/**
 * A finding with the status it earns.
 */
export interface Finding extends CheckIssue {
  status: CheckStatus;
}

/**
 * The most findings a check keeps: a hostile connector can provoke millions; the rest are counted.
 */
export const MAX_ISSUES = 50;

/**
 * Builds a check's result with its title and group from the table; keeps the first
 * {@link MAX_ISSUES} issues and counts the others in `omittedIssues`.
 */
export function checkResult(
  id: CheckId,
  status: CheckStatus,
  detail: string,
  extras: { issues?: readonly CheckIssue[]; omittedIssues?: number; observations?: readonly Observation[] } = {},
): CheckResult {
  const definition = checkDefinitions.find((check) => check.id === id)!;
  const all = extras.issues ?? [];
  const omitted = (extras.omittedIssues ?? 0) + Math.max(0, all.length - MAX_ISSUES);
  return {
    id,
    title: definition.title,
    group: definition.group,
    status,
    detail,
    issues: all.slice(0, MAX_ISSUES),
    ...(omitted > 0 ? { omittedIssues: omitted } : {}),
    requests: (extras.observations ?? []).map((observation) => observation.request),
  };
}

/**
 * A result from findings: the worst finding's status, or `pass` with `passDetail`.
 */
export function fromFindings(
  id: CheckId,
  findings: readonly Finding[],
  observations: readonly Observation[],
  details: { pass: string; fail: (count: number) => string },
  /** Findings beyond `findings`, counted but not kept (their status is no worse than `findings`'). */
  omitted = 0,
): CheckResult {
  const status = findings.length === 0 ? 'pass' : worst(findings.map((finding) => finding.status));
  const issues = findings.map(({ status: _, ...issue }) => issue);
  return checkResult(id, status, status === 'pass' ? details.pass : details.fail(findings.length + omitted), { issues, omittedIssues: omitted, observations });
}

/**
 * Skipped, with the reason.
 */
export const skipped = (id: CheckId, why: string, observations: readonly Observation[] = []): CheckResult =>
  checkResult(id, 'skip', why, { observations });

/**
 * A body that answered 200 and parsed as JSON, else `undefined`: read once, as the answer
 * arrives (see `Received`).
 */
export function okJson(observation: Observation, json: Outcome<unknown, Record<never, never>>): { value: unknown } | undefined {
  if (observation.result.kind !== 'response' || observation.result.status !== 200) return undefined;
  return json.ok ? { value: json.value } : undefined;
}

// A detail's line breaks are the checker's own (the text report starts a line at each): the
// connector's, in text quoted into a sentence, are shown as their escapes.
const oneLine = (text: string) => text.replace(/[\r\n]/g, (character) => (character === '\r' ? '\\u000d' : '\\u000a'));

/**
 * `answered 500: The CRM lookup failed.` or `no answer within 5000 ms`. A line break in the
 * connector's problem is shown as its escape (`\u000a`), so that the sentence is one line.
 */
export function describeOutcome(observation: Observation): string {
  const { result } = observation;
  if (result.kind === 'timeout') return `no answer within ${result.timeoutMs} ms`;
  if (result.kind === 'network_error') return `no answer: ${result.message}`;
  const problem = observation.body.problem;
  const type = result.contentType === '' ? 'no content type' : result.contentType;
  if (result.bodyTooLarge === true) return `answered ${result.status} (${type}) with a body larger than the checker reads`;
  return `answered ${result.status} (${type})${problem === undefined ? '' : `: ${oneLine(problem.detail || problem.title)}`}`;
}

/**
 * Judges an answer that should be 200 with JSON within the budget: `fail` for anything else,
 * `warn` for a slow answer or (lenient) a wrong content type with a JSON body.
 */
export function judgeJsonAnswer(
  observation: Observation,
  options: { budgetMs: number; lenient: boolean; maxBodyBytes: number; what: string; notFoundHint?: string },
): Finding | undefined {
  const { result, subject } = observation;
  const finding = (status: CheckStatus, message: string): Finding => ({ path: '$', message, subject, status });
  if (result.kind !== 'response' || result.status !== 200) {
    const outcome = describeOutcome(observation);
    // The connector's detail is a sentence ("No customer has … query."): the hint goes on after its full stop.
    const hinted = result.kind === 'response' && result.status === 404 && options.notFoundHint !== undefined ? `${outcome.replace(/\.$/, '')}; ${options.notFoundHint}` : outcome;
    return finding('fail', `expected 200, ${hinted}`);
  }
  if (result.bodyTooLarge === true) return finding('fail', `${options.what} is larger than ${formatBytes(options.maxBodyBytes)}`);
  if (!observation.body.json) return finding('fail', `expected a JSON body, got ${observation.body.empty ? 'an empty body' : `a ${result.contentType || 'non-JSON'} body`}`);
  if (!isJsonMediaType(result.contentType)) {
    const got = result.contentType === '' ? 'no content type' : `content type ${result.contentType}`;
    return finding(options.lenient ? 'warn' : 'fail', `expected content type application/json, got ${got}`);
  }
  if (result.durationMs > options.budgetMs) return finding('warn', `took ${result.durationMs} ms, above the ${options.budgetMs} ms budget`);
  return undefined;
}

/**
 * Judges an error answer: `pass` for the expected status; `fail` for no answer, 2xx or 5xx
 * (or any other status when `exact`); `warn` for another status, and for a 503 with
 * `Retry-After` (the contract's answer while a circuit breaker is open).
 */
export function judgeErrorStatus(observation: Observation, expected: number, exact = false): Finding | undefined {
  const { result, subject } = observation;
  if (result.kind === 'response' && result.status === expected) return undefined;
  const retryAfter = result.kind === 'response' && result.status === 503 ? result.headers.get('retry-after') : null;
  if (retryAfter !== null) {
    // The contract's own answer while a circuit breaker shields a failing CRM: valid, but not the one this check is about.
    const message = `expected ${expected}, ${describeOutcome(observation).replace(/^answered 503/, `answered 503 with Retry-After: ${retryAfter}`)}; the connector's circuit breaker is open (its CRM keeps failing), so this could not be judged: run the check again later`;
    return { path: '$', subject, status: 'warn', message };
  }
  const status = result.kind !== 'response' || exact || result.status < 300 || result.status >= 500 ? 'fail' : 'warn';
  return { path: '$', subject, status, message: `expected ${expected}, ${describeOutcome(observation)}` };
}

/**
 * The entries of a JSON array that are objects, with their index.
 */
export function objectEntries(value: unknown): Array<{ index: number; entry: Record<string, unknown> }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown, index) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? [{ index, entry: entry as Record<string, unknown> }] : [],
  );
}

/**
 * `"1 phone"`, `"3 phones"`.
 */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
