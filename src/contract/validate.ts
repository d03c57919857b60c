import type * as z from 'zod';
import { CustomerSchema, LenientCustomerSchema } from './customer.js';
import { type ContractIssue, toContractIssues } from './issues.js';
import { LabelListSchema, LenientLabelListSchema } from './label.js';

/**
 * How much of the contract to demand.
 * - `strict` (default): every contract field present and well-formed, as the seed demands.
 * - `lenient`: only what routing needs (customer `_id`, `labels`, `phone1`; label `_id`, `name`),
 *   for reading real-world connectors.
 *
 * Fields beyond the contract are never an error in either mode.
 */
export type ValidationMode = 'strict' | 'lenient';

/** Options of {@link validateCustomer} and {@link validateLabelList}. */
export interface ValidateOptions<M extends ValidationMode = ValidationMode> {
  /** `strict` (default) or `lenient`; see {@link ValidationMode}. */
  mode?: M;
}

/** Either the parsed value or every issue found, never a thrown error. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

/** A customer as a strict reading gives it: exactly the contract's fields. */
export type StrictCustomer = z.output<typeof CustomerSchema>;
/** A customer as a lenient reading gives it: `_id`, `labels`, `phone1` checked, the rest kept as received. */
export type LenientCustomer = z.output<typeof LenientCustomerSchema>;
/** A label list as a lenient reading gives it. */
export type LenientLabelList = z.output<typeof LenientLabelListSchema>;

function run<T>(schema: z.ZodType<T>, value: unknown): ValidationResult<T> {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toContractIssues(result.error.issues) };
}

/**
 * Checks a `GET /customer` body against the contract.
 *
 * @example
 * ```ts
 * import { validateCustomer } from 'priority-routing-crm';
 * const result = validateCustomer(await response.json());
 * if (!result.ok) for (const issue of result.issues) console.error(`${issue.path}: ${issue.message}`);
 * ```
 */
export function validateCustomer(value: unknown, options?: ValidateOptions<'strict'>): ValidationResult<StrictCustomer>;
export function validateCustomer(value: unknown, options: ValidateOptions<'lenient'>): ValidationResult<LenientCustomer>;
export function validateCustomer(
  value: unknown,
  options?: ValidateOptions,
): ValidationResult<StrictCustomer> | ValidationResult<LenientCustomer>;
export function validateCustomer(value: unknown, options: ValidateOptions = {}) {
  return options.mode === 'lenient' ? run(LenientCustomerSchema, value) : run(CustomerSchema, value);
}

/**
 * Checks a `GET /label` body against the contract: an array of labels with unique ids.
 *
 * @example
 * ```ts
 * import { validateLabelList } from 'priority-routing-crm';
 * const result = validateLabelList(body, { mode: 'lenient' });
 * if (result.ok) console.log(result.value.map((label) => label.name));
 * ```
 */
export function validateLabelList(value: unknown, options?: ValidateOptions<'strict'>): ValidationResult<StrictLabelList>;
export function validateLabelList(value: unknown, options: ValidateOptions<'lenient'>): ValidationResult<LenientLabelList>;
export function validateLabelList(
  value: unknown,
  options?: ValidateOptions,
): ValidationResult<StrictLabelList> | ValidationResult<LenientLabelList>;
export function validateLabelList(value: unknown, options: ValidateOptions = {}) {
  return options.mode === 'lenient' ? run(LenientLabelListSchema, value) : run(LabelListSchema, value);
}

/** A label list as a strict reading gives it. */
export type StrictLabelList = z.output<typeof LabelListSchema>;
