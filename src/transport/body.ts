import { ProblemSchema, describeValue, type ContractIssue, type Problem } from '../contract/index.js';
import type { Outcome } from '../contract/result.js';

/**
 * A body parsed as JSON, or the contract issue that says why it is not JSON.
 */
export type JsonBody = Outcome<unknown, { issue: ContractIssue }>;

/**
 * Parses a response body as JSON without throwing.
 */
export function parseJsonBody(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const got = text.trim() === '' ? 'an empty body' : describeValue(text);
    return { ok: false, issue: { path: '$', message: `expected a JSON body, got ${got}`, code: 'invalid_json', segments: [] } };
  }
}

/**
 * The RFC 9457 problem in an error body, when the body is one (whatever its content type says).
 */
export function readProblem(text: string): Problem | undefined {
  const body = parseJsonBody(text);
  if (!body.ok) return undefined;
  const problem = ProblemSchema.safeParse(body.value);
  return problem.success ? problem.data : undefined;
}
