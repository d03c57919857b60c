import { expect } from 'vitest';
import { ProblemSchema } from '../../src/contract/problem.js';
import type { Problem } from '../../src/contract/types.js';
import { problemCatalog, problemTypes, type ProblemName } from '../../src/core/problems.js';

/**
 * An answer to check: a fetch `Response`, or one already read (`connector.handle`'s result, a
 * raw socket read, `rawGet`), whose header names are lower case.
 */
export type ProblemAnswer = Response | { status: number; headers: Readonly<Record<string, string | string[] | undefined>>; body?: string | null };

/** The problem+json content type every problem answer carries, charset included. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * Asserts an RFC 9457 answer of problem `expected` (or one of several, when either is right):
 * the status, `content-type: application/problem+json; charset=utf-8`, and a body whose type,
 * title and status are the problems table's, with no stack frame in it. Returns the raw body for
 * more checks.
 */
export async function expectProblem(answer: ProblemAnswer, expected: ProblemName | readonly ProblemName[]): Promise<string> {
  const { status, contentType, text } =
    answer instanceof Response
      ? { status: answer.status, contentType: answer.headers.get('content-type'), text: await answer.text() }
      : { status: answer.status, contentType: answer.headers['content-type'], text: answer.body ?? '' };
  const names: readonly ProblemName[] = typeof expected === 'string' ? [expected] : expected;
  expect(contentType, `content type of a ${status}`).toBe(PROBLEM_CONTENT_TYPE);
  const problem: Problem = ProblemSchema.parse(JSON.parse(text));
  const name = names.find((candidate) => problemTypes[candidate] === problem.type);
  expect(name, `problem type ${problem.type} (status ${status})`).toBeOneOf([...names]);
  const { status: tableStatus, title } = problemCatalog[name as ProblemName];
  expect(status).toBe(tableStatus);
  expect(problem).toMatchObject({ type: problemTypes[name as ProblemName], title, status: tableStatus });
  expect(text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
  return text;
}
