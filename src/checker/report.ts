import * as z from 'zod';
import { checkIds } from './checks.js';

/**
 * A check's result: `pass`; `fail` (the connector breaks the contract, exit code 1); `warn`
 * (works, but deserves a look); `skip` (could not or need not run, the detail says why).
 *
 * @example
 * ```ts
 * import { CheckStatusSchema } from 'priority-routing-crm/testing';
 * CheckStatusSchema.parse('warn'); // 'warn'
 * ```
 */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'warn', 'skip']);

/**
 * One finding of a check: where and what.
 *
 * @example
 * ```ts
 * import { CheckIssueSchema } from 'priority-routing-crm/testing';
 * CheckIssueSchema.parse({ path: '$.createdAt', message: 'expected an ISO 8601 date-time', subject: 'phone 1111' });
 * ```
 */
export const CheckIssueSchema = z.object({
  /** A JSON path into the body (`$.labels[0]`), or `$` for the whole body. */
  path: z.string(),
  /** What is wrong, as a sentence. */
  message: z.string(),
  /** Which response it is about, when a check reads several: `phone 1111`, `GET /label`. */
  subject: z.string().optional(),
});

/**
 * A request a check sent, with the curl command that sends it again.
 *
 * @example
 * ```ts
 * import { CheckRequestSchema } from 'priority-routing-crm/testing';
 * const request = CheckRequestSchema.parse(report.checks[0]!.requests[0]);
 * console.log(request.status, request.curl);
 * ```
 */
export const CheckRequestSchema = z.object({
  /** Which response this was: `label list`, `phone 1111`, `query=email:x`, … (issues name it too). */
  subject: z.string(),
  method: z.string(),
  url: z.string(),
  /** The HTTP status, or `null` when there was no answer (timeout, network error). */
  status: z.int().nullable(),
  /** How long the request took, or `null` when there was no answer. */
  durationMs: z.number().nonnegative().nullable(),
  /** A shell command that reproduces the request; credentials are masked unless asked for. */
  curl: z.string(),
});

/**
 * The result of one check.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { CheckResultSchema } from 'priority-routing-crm/testing';
 * const failed = z.array(CheckResultSchema).parse(report.checks).filter((check) => check.status === 'fail');
 * ```
 */
export const CheckResultSchema = z.object({
  id: z.enum(checkIds),
  title: z.string(),
  group: z.string(),
  status: CheckStatusSchema,
  /** What was found, in a sentence or two. */
  detail: z.string(),
  /** At most 50 findings per check are kept, so that no connector can exhaust memory. */
  issues: z.array(CheckIssueSchema),
  /** How many more findings there were than `issues` lists; absent when it lists them all. */
  omittedIssues: z.int().positive().optional(),
  requests: z.array(CheckRequestSchema),
});

/**
 * The priority one phone would get (only with weights).
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { PhonePrioritySchema } from 'priority-routing-crm/testing';
 * for (const { phone, priority, reason } of z.array(PhonePrioritySchema).parse(report.priorities ?? [])) console.log(phone, priority, reason);
 * ```
 */
export const PhonePrioritySchema = z.object({
  phone: z.string(),
  priority: z.int().min(1).max(10),
  /** Why, in a sentence: which labels counted and which were ignored. */
  reason: z.string(),
  matched: z.array(z.object({ labelId: z.string(), name: z.string(), weight: z.int() })),
  ignored: z.array(
    z.object({
      reason: z.enum(['unknown_label_id', 'unweighted_name']),
      labelId: z.string(),
      name: z.string().optional(),
      nearMiss: z.string().optional(),
      hint: z.string().optional(),
    }),
  ),
  /** How many `matched` and `ignored` entries there were beyond the 50 of each listed; absent when none. */
  omittedEntries: z.int().positive().optional(),
});

/**
 * The report of `verifyConnector` and of `priority-routing-crm check --format json`.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { CheckReportSchema } from 'priority-routing-crm/testing';
 * const report = CheckReportSchema.parse(JSON.parse(await readFile('report.json', 'utf8')));
 * const failed = report.checks.filter((check) => check.status === 'fail');
 * ```
 */
export const CheckReportSchema = z.object({
  customerQueryUrl: z.string(),
  labelsUrl: z.string(),
  mode: z.enum(['strict', 'lenient']),
  phones: z.array(z.string()),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  /** `true` when no check failed (warnings and skips allowed): exit code 0. */
  ok: z.boolean(),
  summary: z.object({
    total: z.int().nonnegative(),
    pass: z.int().nonnegative(),
    fail: z.int().nonnegative(),
    warn: z.int().nonnegative(),
    skip: z.int().nonnegative(),
  }),
  checks: z.array(CheckResultSchema),
  /** With weights: the priority each phone would get. */
  priorities: z.array(PhonePrioritySchema).optional(),
  /**
   * The label list as read (the first 500, texts cut at 200 characters, masked), for reports
   * that draw it; absent when the answer was not a JSON list. `color_code` is as sent: not
   * necessarily a colour.
   */
  labels: z.array(z.object({ _id: z.string(), name: z.string(), color_code: z.string() })).optional(),
  /** Each `phones` entry's answer: whether a customer came back, its `_id` and label ids. */
  customers: z.array(z.object({ phone: z.string(), found: z.boolean(), _id: z.string().optional(), labels: z.array(z.string()) })).optional(),
});

/**
 * See {@link CheckStatusSchema}.
 *
 * @example
 * ```ts
 * import { type CheckStatus } from 'priority-routing-crm/testing';
 * const exitCode = (status: CheckStatus) => (status === 'fail' ? 1 : 0);
 * ```
 */
export type CheckStatus = z.output<typeof CheckStatusSchema>;
/**
 * See {@link CheckIssueSchema}.
 *
 * @example
 * ```ts
 * import { type CheckIssue } from 'priority-routing-crm/testing';
 * const line = (issue: CheckIssue) => `${issue.path}: ${issue.message}`;
 * ```
 */
export type CheckIssue = z.output<typeof CheckIssueSchema>;
/**
 * See {@link CheckRequestSchema}.
 *
 * @example
 * ```ts
 * import { type CheckRequest } from 'priority-routing-crm/testing';
 * const curls = (requests: CheckRequest[]) => requests.map((request) => request.curl).join('\n');
 * ```
 */
export type CheckRequest = z.output<typeof CheckRequestSchema>;
/**
 * See {@link CheckResultSchema}.
 *
 * @example
 * ```ts
 * import { type CheckResult } from 'priority-routing-crm/testing';
 * const failed: CheckResult[] = report.checks.filter((check) => check.status === 'fail');
 * ```
 */
export type CheckResult = z.output<typeof CheckResultSchema>;
/**
 * See {@link PhonePrioritySchema}.
 *
 * @example
 * ```ts
 * import { type PhonePriority } from 'priority-routing-crm/testing';
 * const byPhone = new Map((report.priorities ?? []).map((entry: PhonePriority) => [entry.phone, entry.priority]));
 * ```
 */
export type PhonePriority = z.output<typeof PhonePrioritySchema>;
/**
 * See {@link CheckReportSchema}.
 *
 * @example
 * ```ts
 * import { type CheckReport, verifyConnector } from 'priority-routing-crm/testing';
 * const report: CheckReport = await verifyConnector(options);
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export type CheckReport = z.output<typeof CheckReportSchema>;

/**
 * The JSON Schema (draft 2020-12) of {@link CheckReportSchema}, for tools outside JavaScript.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { checkReportJsonSchema } from 'priority-routing-crm/testing';
 * await writeFile('check-report.schema.json', JSON.stringify(checkReportJsonSchema(), null, 2));
 * ```
 */
export function checkReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(CheckReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
