import type * as z from 'zod';

/**
 * One way a value breaks the contract, said so that a person can act on it.
 *
 * @example
 * ```ts
 * import { sampleCustomer, validateCustomer, type ContractIssue } from 'priority-routing-crm';
 * const result = validateCustomer({ ...sampleCustomer, labels: 'Gold' });
 * const issues: ContractIssue[] = result.ok ? [] : result.issues;
 * // [{ path: '$.labels', message: 'expected an array, got "Gold"', code: 'invalid_type', segments: ['labels'] }]
 * ```
 */
export interface ContractIssue {
  /** Where, as a JSON path: `$` is the whole body, `$.labels[1]` the second label id. */
  path: string;
  /** What is wrong, as a sentence: `expected an ISO 8601 date-time …, got "18/06/2020"`. */
  message: string;
  /** zod's issue code (`invalid_type`, `invalid_format`, `too_small`, `custom`, …), for programs. */
  code: string;
  /** The same place as {@link ContractIssue.path}, as keys and indexes. */
  segments: ReadonlyArray<string | number>;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_SHOWN = 60;

/**
 * `['labels', 1]` → `$.labels[1]`; keys that are not identifiers are quoted: `$["first name"]`.
 */
export function toJsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/**
 * A short, readable rendering of a received value for messages.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z',
  regex: 'a string of the required form',
};

const bound = (issue: { origin: string; inclusive?: boolean }, sign: '≥' | '≤', n: unknown) =>
  issue.origin === 'string'
    ? `a string of ${sign === '≥' ? 'at least' : 'at most'} ${String(n)} character${n === 1 ? '' : 's'}`
    : issue.origin === 'array'
      ? `an array of ${sign === '≥' ? 'at least' : 'at most'} ${String(n)} item${n === 1 ? '' : 's'}`
      : `a number ${sign} ${String(n)}`;

// One small processor per zod issue code: what was expected, in words. Messages that a schema
// set on purpose (custom refinements, `error` options) are used as they are.
const EXPECTED: { [K in z.core.$ZodIssue['code']]?: (issue: Extract<z.core.$ZodIssue, { code: K }>) => string } = {
  invalid_type: (issue) => TYPE_NAMES[issue.expected] ?? issue.expected,
  too_small: (issue) =>
    issue.origin === 'string' && issue.minimum === 1 ? 'a non-empty string' : bound(issue, '≥', issue.minimum),
  too_big: (issue) => bound(issue, '≤', issue.maximum),
  invalid_format: (issue) => FORMAT_NAMES[issue.format] ?? `a string in ${issue.format} format`,
};

/** A date-time written with an offset or without a zone: the same instant in UTC, when it is one. */
function utcEquivalent(input: unknown): string | undefined {
  if (typeof input !== 'string' || !ISO_LIKE.test(input)) return undefined;
  // Date.parse rolls 2020-02-30 over to March: only a real calendar date has an equivalent.
  const [year, month, day] = input.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const time = Date.parse(input);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function sentence(issue: z.core.$ZodIssue, input: unknown, hasInput: boolean): string {
  const expected = (EXPECTED[issue.code] as ((i: z.core.$ZodIssue) => string) | undefined)?.(issue);
  // A message set on the schema itself (e.g. the colour's) says it better than the generic one.
  const own = issue.message.startsWith('expected ') ? issue.message : undefined;
  if (expected === undefined && own === undefined) return issue.message;
  const what = own ?? `expected ${expected}`;
  if (!hasInput || input === undefined) {
    if (issue.code !== 'invalid_type') return what;
    // A missing text field is most often one the CRM has no value for: the contract wants "" then.
    return issue.expected === 'string' ? `missing: ${what} ("" where the CRM has no value)` : `missing: ${what}`;
  }
  const utc = issue.code === 'invalid_format' && issue.format === 'datetime' ? utcEquivalent(input) : undefined;
  return `${what}, got ${describeValue(input)}${utc === undefined ? '' : ` (in UTC: ${utc})`}`;
}

/**
 * Turns zod's issues into {@link ContractIssue}s with JSON paths and sentences. Parse with
 * `reportInput: true` so that each sentence can say what it got.
 */
export function toContractIssues(issues: ReadonlyArray<z.core.$ZodIssue>): ContractIssue[] {
  return issues.map((issue) => {
    const segments = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
    return {
      path: toJsonPath(segments),
      message: sentence(issue, issue.input, 'input' in issue),
      code: issue.code,
      segments,
    };
  });
}
