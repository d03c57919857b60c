import type { ContractIssue } from '../contract/index.js';

/**
 * The time of a real `Date`, or `undefined` for anything else. `instanceof Date` would miss a
 * `Date` made in another realm (a vm context, as some test runners and sandboxes load drivers
 * in); `Date.prototype.getTime` reads the internal time slot, so it accepts those and throws
 * for objects that only look like a Date.
 */
function dateTime(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/** A `Date` whose time is NaN (`new Date('garbage')`): there is no instant to send. */
const isInvalidDate = (value: unknown): boolean => Number.isNaN(dateTime(value));

/**
 * A record with `createdAt`/`updatedAt` as database drivers return them (`Date`) turned into the
 * wire's ISO 8601 UTC strings with milliseconds (`2020-06-18T09:32:53.823Z`): a shallow copy when
 * a field was a valid `Date`, the record itself otherwise (strings are checked by the schema as
 * they are). An invalid `Date` is left in place for the schema to reject; see {@link dateIssues}.
 */
export function withIsoDates<T>(record: T): T {
  if (typeof record !== 'object' || record === null) return record;
  try {
    // Named reads, not a loop over the two names: a keyed read by a changing name takes V8's
    // megamorphic path, on every lookup.
    const createdAt = isoOf((record as { createdAt?: unknown }).createdAt);
    const updatedAt = isoOf((record as { updatedAt?: unknown }).updatedAt);
    if (createdAt === undefined && updatedAt === undefined) return record;
    const copy: Record<string, unknown> = { ...(record as Record<string, unknown>) };
    if (createdAt !== undefined) copy.createdAt = createdAt;
    if (updatedAt !== undefined) copy.updatedAt = updatedAt;
    return copy as T;
  } catch {
    // A getter that throws: the schema's check reports the record as unreadable.
    return record;
  }
}

/** A valid `Date` as the wire's ISO string; `undefined` for anything else (strings are checked by the schema as they are). */
function isoOf(value: unknown): string | undefined {
  const time = dateTime(value);
  return time === undefined || Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The value at `segments` under `root`, or `undefined` where the path does not lead anywhere. */
function valueAt(root: unknown, segments: ReadonlyArray<string | number>): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/**
 * The issues found under `root` (a record, a list, a data set: the issues' paths start there),
 * with the schema's words for an invalid `Date` in `createdAt`/`updatedAt` ("expected string")
 * replaced by words a vendor can act on.
 */
export function explainDates(root: unknown, issues: ContractIssue[]): ContractIssue[] {
  return issues.map((issue) => {
    const last = issue.segments.at(-1);
    if (last !== 'createdAt' && last !== 'updatedAt') return issue;
    let value: unknown;
    try {
      value = valueAt(root, issue.segments);
    } catch {
      return issue;
    }
    if (!isInvalidDate(value)) return issue;
    return { ...issue, message: 'an invalid Date (its time is NaN): expected a valid Date or an ISO 8601 date-time in UTC ending in Z' };
  });
}
