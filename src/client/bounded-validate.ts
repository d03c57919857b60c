import type * as z from 'zod';
import { toContractIssues, type ContractIssue } from '../contract/index.js';

/**
 * The issues of a list validated element by element: the first `max`, how many more there
 * were, and where judging stopped when the deadline came first.
 *
 * @example
 * ```ts
 * const { issues, omitted, stoppedAt }: BoundedIssues = elementIssues(list, LabelSchema, { max: 50 });
 * ```
 */
export interface BoundedIssues {
  issues: ContractIssue[];
  omitted: number;
  /** The index of the first element not judged, when `deadline` passed; else `undefined`. */
  stoppedAt: number | undefined;
}

// Checking the clock every element would cost more than judging most of them.
const CLOCK_EVERY = 1024;

/**
 * Validates each element of `list` with `element`, keeping the first `max` issues (with paths
 * into the list, `$[3].name`) and only counting the others, until `deadline` (a
 * `performance.now()` time). Validating the whole array at once would hold every issue: a list
 * of 200,000 `{}` makes 1.6 million of them and gigabytes of memory.
 *
 * @example
 * ```ts
 * elementIssues([{}, { _id: 'g', name: 'Gold' }], LenientLabelSchema, { max: 50 }).issues[0]?.path; // '$[0]._id'
 * ```
 */
export function elementIssues(list: readonly unknown[], element: z.ZodType, options: { max: number; deadline?: number }): BoundedIssues {
  const issues: ContractIssue[] = [];
  let omitted = 0;
  for (let index = 0; index < list.length; index += 1) {
    if (options.deadline !== undefined && index % CLOCK_EVERY === 0 && performance.now() > options.deadline) return { issues, omitted, stoppedAt: index };
    const result = element.safeParse(list[index], { reportInput: issues.length < options.max });
    if (result.success) continue;
    const room = options.max - issues.length;
    if (room > 0) {
      const found = result.error.issues.slice(0, room).map((issue) => ({ ...issue, path: [index, ...issue.path] }));
      issues.push(...toContractIssues(found));
    }
    omitted += Math.max(0, result.error.issues.length - Math.max(room, 0));
  }
  return { issues, omitted, stoppedAt: undefined };
}
