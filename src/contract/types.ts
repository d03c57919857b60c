import type * as z from 'zod';
import type { CustomerSchema } from './customer.js';
import type { LabelSchema } from './label.js';
import type { ProblemSchema } from './problem.js';
import type { CustomerQuerySchema } from './query.js';

/**
 * A customer as `GET /customer?query=phone:{refId}` returns it (inferred from
 * {@link CustomerSchema}; hover a field for what it means).
 *
 * - `_id`: the customer's id in the CRM, any non-empty string.
 * - `labels`: ids of the customer's labels, each the `_id` of a label from `GET /label`; may be empty.
 * - `phone1`: the phone number, where Hybrid Chat reads it; `phone2`…`phone5`: further numbers or `""`.
 * - `first_name`, `last_name`, `email`, `created_by`, `updated_by`: `""` where unknown.
 * - `createdAt`, `updatedAt`: ISO 8601 date-times in UTC; `__v`: record version, an integer ≥ 0.
 *
 * @example
 * ```ts
 * import type { Customer } from 'priority-routing-crm';
 * const customer: Customer = {
 *   _id: 'c-42', labels: ['5eeb3455de812695676383d2'], phone1: '923001234567', phone2: '', phone3: '', phone4: '', phone5: '',
 *   first_name: 'Ayesha', last_name: 'Khan', email: '', created_by: 'admin', updated_by: '',
 *   createdAt: '2020-06-18T09:32:53.823Z', updatedAt: '2020-06-18T09:32:53.823Z', __v: 0,
 * };
 * ```
 */
export type Customer = z.output<typeof CustomerSchema>;

/**
 * A label as `GET /label` returns it in its array (inferred from {@link LabelSchema}).
 *
 * - `_id`: the id customers' `labels` refer to, unique in the list.
 * - `name`: matched exactly (case and white space count) against the routing engine's labels.
 * - `color_code`: `#RRGGBB`; `created_by`, `updated_by`, `createdAt`, `updatedAt`, `__v`: as on customers.
 *
 * @example
 * ```ts
 * import type { Label } from 'priority-routing-crm';
 * const gold: Label = {
 *   _id: '5eeb3455de812695676383d2', name: 'Gold', color_code: '#3cb44b', created_by: 'admin', updated_by: '',
 *   createdAt: '2020-06-18T09:31:01.328Z', updatedAt: '2020-06-18T09:31:01.328Z', __v: 0,
 * };
 * ```
 */
export type Label = z.output<typeof LabelSchema>;

/**
 * An RFC 9457 problem details body (`application/problem+json`), inferred from
 * {@link ProblemSchema}: `type`, `title`, `status`, `detail`, optional `instance`, and any
 * extension members.
 *
 * @example
 * ```ts
 * import type { Problem } from 'priority-routing-crm';
 * const notFound: Problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No customer has that phone number.' };
 * ```
 */
export type Problem = z.output<typeof ProblemSchema>;

/**
 * The phone number parsed out of `query=phone:{refId}` (inferred from {@link CustomerQuerySchema}):
 * `phone` as received with a leading `+` restored, `normalizedPhone` its digits only.
 *
 * @example
 * ```ts
 * import { CustomerQuerySchema, type CustomerQuery } from 'priority-routing-crm';
 * const query: CustomerQuery = CustomerQuerySchema.parse('phone: 923001234567');
 * // { phone: '+923001234567', normalizedPhone: '923001234567' }
 * ```
 */
export type CustomerQuery = z.output<typeof CustomerQuerySchema>;
