import * as z from 'zod';
import { toContractIssues, validateCustomer, type ContractIssue, type ValidationMode } from '../contract/index.js';

/**
 * The issues of a list validated element by element: the first `max`, how many more there
 * were, and where judging stopped when the deadline came first.
 */
export interface BoundedIssues {
  issues: ContractIssue[];
  omitted: number;
  /** The index of the first element not judged, when `deadline` passed; else `undefined`. */
  stoppedAt: number | undefined;
}

function countIssues(element: z.ZodType, value: unknown): number {
  const result = element['~standard'].validate(value) as { issues?: readonly unknown[] } | Promise<unknown>;
  return result instanceof Promise ? 0 : (result.issues?.length ?? 0);
}

// Checking the clock every element would cost more than judging most of them.
const CLOCK_EVERY = 1024;

/**
 * Validates each element of `list` with `element`, keeping the first `max` issues (with paths
 * into the list, `$[3].name`) and only counting the others, until `deadline` (a
 * `performance.now()` time). Validating the whole array at once would hold every issue: a list
 * of 200,000 `{}` makes 1.6 million of them and gigabytes of memory.
 */
export function elementIssues(
  list: readonly unknown[],
  element: z.ZodType,
  options: { max: number; deadline?: number; path?: ReadonlyArray<string | number> },
): BoundedIssues {
  const prefix = options.path ?? [];
  const issues: ContractIssue[] = [];
  let omitted = 0;
  for (let index = 0; index < list.length; index += 1) {
    if (options.deadline !== undefined && index % CLOCK_EVERY === 0 && performance.now() > options.deadline) return { issues, omitted, stoppedAt: index };
    const room = options.max - issues.length;
    if (room <= 0) {
      // Only counted: the Standard Schema entry point builds no ZodError (with its stack), and
      // is several times faster and lighter on memory than safeParse.
      omitted += countIssues(element, list[index]);
      continue;
    }
    const result = element.safeParse(list[index], { reportInput: true });
    if (result.success) continue;
    const found = result.error.issues.slice(0, room).map((issue) => ({ ...issue, path: [...prefix, index, ...issue.path] }));
    issues.push(...toContractIssues(found));
    omitted += Math.max(0, result.error.issues.length - room);
  }
  return { issues, omitted, stoppedAt: undefined };
}

const LABEL_ID = z.string();

/**
 * The issues of a customer whose `labels` hold entries that are not strings, with the label ids
 * judged one by one (the first `max` issues kept, the rest counted) and the other fields as
 * `validateCustomer` judges them; `undefined` when every label id is a string (then validate it
 * whole). A customer with 200,000 objects for label ids would otherwise hold 200,000 issues.
 */
export function customerLabelIssues(value: unknown, mode: ValidationMode, options: { max: number; deadline?: number }): BoundedIssues | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const labels = (value as { labels?: unknown }).labels;
  if (!Array.isArray(labels)) return undefined;
  const ids = elementIssues(labels, LABEL_ID, { ...options, path: ['labels'] });
  if (ids.issues.length === 0 && ids.stoppedAt === undefined) return undefined;
  const rest = validateCustomer({ ...value, labels: [] }, { mode });
  const all = [...(rest.ok ? [] : rest.issues), ...ids.issues];
  return { issues: all.slice(0, options.max), omitted: ids.omitted + Math.max(0, all.length - options.max), stoppedAt: ids.stoppedAt };
}
