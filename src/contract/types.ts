import type * as z from 'zod';
import type { CustomerSchema } from './customer.js';
import type { LabelSchema } from './label.js';
import type { ProblemSchema } from './problem.js';
import type { CustomerQuerySchema } from './query.js';

/**
 * A customer as `GET /customer?query=phone:{refId}` returns it (what {@link CustomerSchema}
 * parses; hover a field for what it means).
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
// Written out rather than inferred (`z.output<typeof CustomerSchema>`): inferred types lose the
// field comments in the shipped .d.ts, so a vendor's editor would show nothing on hover.
// test/contract/types.test-d.ts proves this equals the schema's output.
export interface Customer {
  /** The customer's id in the CRM: any non-empty string (a 24-hex ObjectId in CIM). */
  _id: string;
  /**
   * Ids of the labels assigned to the customer. Each equals the `_id` of one label from
   * `GET /label`. May be empty.
   */
  labels: string[];
  /** The customer's phone number. Hybrid Chat reads the number here. */
  phone1: string;
  /** A further phone number; `""` where there is none. */
  phone2: string;
  /** A further phone number; `""` where there is none. */
  phone3: string;
  /** A further phone number; `""` where there is none. */
  phone4: string;
  /** A further phone number; `""` where there is none. */
  phone5: string;
  /** First name; `""` where unknown. */
  first_name: string;
  /** Last name; `""` where unknown. */
  last_name: string;
  /** E-mail address; `""` where unknown. Not checked as an address: CRMs hold what they hold. */
  email: string;
  /** Who made the record; `""` where unknown. */
  created_by: string;
  /** Who last changed the record; `""` where unknown. */
  updated_by: string;
  /** When the record was made: ISO 8601 date-time in UTC, ending in `Z` (`2020-06-18T09:32:53.823Z`). */
  createdAt: string;
  /** When the record was last changed: ISO 8601 date-time in UTC, ending in `Z`. */
  updatedAt: string;
  /** Record version (Mongoose's `__v`): an integer, 0 or more. */
  __v: number;
}

/**
 * A label as `GET /label` returns it in its array (what {@link LabelSchema} parses).
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
// Written out for the same reason as Customer; the type test proves it equals the schema's output.
export interface Label {
  /** The label's id; customers' `labels` arrays refer to it. Unique within the label list. */
  _id: string;
  /**
   * The label's name. Hybrid Chat matches it exactly (case and white space count) against the
   * routing engine's label names, so `"platinum "` never matches `"Platinum"`.
   */
  name: string;
  /** Display colour, `#RRGGBB` (hex digits, either case). */
  color_code: string;
  /** Who made the record; `""` where unknown. */
  created_by: string;
  /** Who last changed the record; `""` where unknown. */
  updated_by: string;
  /** When the record was made: ISO 8601 date-time in UTC, ending in `Z` (`2020-06-18T09:31:01.328Z`). */
  createdAt: string;
  /** When the record was last changed: ISO 8601 date-time in UTC, ending in `Z`. */
  updatedAt: string;
  /** Record version (Mongoose's `__v`): an integer, 0 or more. */
  __v: number;
}

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
 * The phone number parsed out of `query=phone:{refId}` (what {@link CustomerQuerySchema}
 * parses): `phone` as received with a leading `+` restored, `normalizedPhone` its digits only,
 * and, in a repository, `phoneKeys`: every digit spelling the number may be stored under.
 *
 * @example
 * ```ts
 * import { CustomerQuerySchema, type CustomerQuery } from 'priority-routing-crm';
 * const query: CustomerQuery = CustomerQuerySchema.parse('phone: 923001234567');
 * // { phone: '+923001234567', normalizedPhone: '923001234567' }
 * ```
 */
// Written out for the same reason as Customer: a repository's author hovers `normalizedPhone` and
// `phoneKeys` to learn which to query by. test/contract/types.test-d.ts proves it equals the schema's output.
export interface CustomerQuery {
  /**
   * The number as Hybrid Chat sent it, with a leading `+` restored where form-decoding turned it
   * into a space (`phone: 923001234567` → `+923001234567`).
   */
  phone: string;
  /**
   * The number reduced to its digits (`+92 300-1234567` → `923001234567`). Compare it with
   * stored numbers reduced the same way; a number stored in a national spelling
   * (`0300-1234567`) has other digits: query by {@link CustomerQuery.phoneKeys} instead.
   */
  normalizedPhone: string;
  /**
   * Every digit spelling this number may be stored under, E.164 digits first: for `923001234567`
   * with the connector's `defaultCountry: 'PK'`, `['923001234567', '03001234567', '3001234567',
   * '9203001234567', '00923001234567']`, so `WHERE phone_digits = ANY($1)` finds a customer
   * stored as `0300-1234567`. Just `[normalizedPhone]` without `defaultCountry`. Set by the
   * connector's handlers before the repository is called; absent when the query was parsed
   * outside a handler (`parseCustomerQuery`).
   */
  phoneKeys?: readonly string[] | undefined;
}
