import type * as z from 'zod';
import { CustomerSchema, LenientCustomerSchema } from './customer.js';
import { toContractIssues } from './issues.js';
import { LabelListSchema, LenientLabelListSchema } from './label.js';
import type { Result } from './result.js';

/**
 * How much of the contract to demand.
 * - `strict` (default): every contract field present and well-formed, as the seed demands.
 * - `lenient`: only what routing needs (customer `_id`, `labels`, `phone1`; label `_id`, `name`),
 *   for reading real-world connectors.
 *
 * Fields beyond the contract are never an error in either mode.
 *
 * @example
 * ```ts
 * import { validateCustomer, type ValidationMode } from 'priority-routing-crm';
 * const mode: ValidationMode = process.env.STRICT_CONTRACT === '1' ? 'strict' : 'lenient';
 * const result = validateCustomer(await response.json(), { mode });
 * ```
 */
export type ValidationMode = 'strict' | 'lenient';

/**
 * Options of {@link validateCustomer} and {@link validateLabelList}.
 *
 * @example
 * ```ts
 * import { validateLabelList, type ValidateOptions } from 'priority-routing-crm';
 * const options: ValidateOptions<'lenient'> = { mode: 'lenient' };
 * validateLabelList([{ _id: 'g', name: 'Gold' }], options).ok; // true
 * ```
 */
export interface ValidateOptions<M extends ValidationMode = ValidationMode> {
  /** `strict` (default) or `lenient`; see {@link ValidationMode}. */
  mode?: M | undefined;
}

/**
 * A customer as a strict reading gives it: exactly the contract's fields.
 *
 * @example
 * ```ts
 * import { sampleCustomer, validateCustomer, type StrictCustomer } from 'priority-routing-crm';
 * const result = validateCustomer({ ...sampleCustomer, crm_tier: 'gold' });
 * const customer: StrictCustomer | undefined = result.ok ? result.value : undefined;
 * 'crm_tier' in (customer ?? {}); // false: fields beyond the contract are left out
 * ```
 */
export type StrictCustomer = z.output<typeof CustomerSchema>;
/**
 * A customer as a lenient reading gives it: `_id`, `labels`, `phone1` checked, the rest kept as received.
 *
 * @example
 * ```ts
 * import { validateCustomer, type LenientCustomer } from 'priority-routing-crm';
 * const result = validateCustomer({ _id: 'c1', labels: [], phone1: '1111', tier: 'x' }, { mode: 'lenient' });
 * const customer: LenientCustomer | undefined = result.ok ? result.value : undefined;
 * // { _id: 'c1', labels: [], phone1: '1111', tier: 'x' }: the unknown field is kept
 * ```
 */
export type LenientCustomer = z.output<typeof LenientCustomerSchema>;
/**
 * A label list as a lenient reading gives it.
 *
 * @example
 * ```ts
 * import { validateLabelList, type LenientLabelList } from 'priority-routing-crm';
 * const result = validateLabelList([{ _id: 'g', name: 'Gold', sort: 1 }], { mode: 'lenient' });
 * const labels: LenientLabelList = result.ok ? result.value : [];
 * labels.map((label) => label.name); // ['Gold']
 * ```
 */
export type LenientLabelList = z.output<typeof LenientLabelListSchema>;

function run<T>(schema: z.ZodType<T>, value: unknown): Result<T> {
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
export function validateCustomer(value: unknown, options?: ValidateOptions<'strict'>): Result<StrictCustomer>;
export function validateCustomer(value: unknown, options: ValidateOptions<'lenient'>): Result<LenientCustomer>;
export function validateCustomer(
  value: unknown,
  options?: ValidateOptions,
): Result<StrictCustomer> | Result<LenientCustomer>;
export function validateCustomer(value: unknown, options: ValidateOptions = {}) {
  return options.mode === 'lenient' ? run(LenientCustomerSchema, value) : run(CustomerSchema, value);
}

/**
 * Checks a `GET /label` body against the contract: an array of labels with unique ids.
 *
 * @example
 * ```ts
 * import { validateLabelList } from 'priority-routing-crm';
 * const body: unknown = await response.json();
 * const result = validateLabelList(body, { mode: 'lenient' });
 * if (result.ok) console.log(result.value.map((label) => label.name));
 * ```
 */
export function validateLabelList(value: unknown, options?: ValidateOptions<'strict'>): Result<StrictLabelList>;
export function validateLabelList(value: unknown, options: ValidateOptions<'lenient'>): Result<LenientLabelList>;
export function validateLabelList(
  value: unknown,
  options?: ValidateOptions,
): Result<StrictLabelList> | Result<LenientLabelList>;
export function validateLabelList(value: unknown, options: ValidateOptions = {}) {
  return options.mode === 'lenient' ? run(LenientLabelListSchema, value) : run(LabelListSchema, value);
}

/**
 * A label list as a strict reading gives it.
 *
 * @example
 * ```ts
 * import { sampleLabels, validateLabelList, type StrictLabelList } from 'priority-routing-crm';
 * const result = validateLabelList(sampleLabels);
 * const labels: StrictLabelList = result.ok ? result.value : [];
 * labels.length; // 5
 * ```
 */
export type StrictLabelList = z.output<typeof LabelListSchema>;
