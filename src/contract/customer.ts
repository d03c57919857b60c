import * as z from 'zod';
import { auditFields, idField, textField } from './fields.js';
import { documented } from './registry.js';

const furtherPhoneField = () => textField(`A further phone number of the customer; "" where there is none.`, '');

const customerShape = {
  /** The customer's id in the CRM: any non-empty string (a 24-hex ObjectId in CIM). */
  _id: idField("The customer's id in the CRM: any non-empty string (a 24-hex ObjectId in CIM).", '5eeb34c5de8126e7596383d7'),
  /**
   * Ids of the labels assigned to the customer. Each equals the `_id` of one label from
   * `GET /label`. May be empty.
   */
  labels: documented(z.array(z.string()), {
    description: 'Ids of the labels assigned to the customer; each equals the `_id` of one label from GET /label. May be empty.',
    examples: [['5eeb3455de812695676383d2']],
  }),
  /** The customer's phone number. Hybrid Chat reads the number here. */
  phone1: textField("The customer's phone number: Hybrid Chat reads it here.", '1111'),
  /** A further phone number; `""` where there is none. */
  phone2: furtherPhoneField(),
  /** A further phone number; `""` where there is none. */
  phone3: furtherPhoneField(),
  /** A further phone number; `""` where there is none. */
  phone4: furtherPhoneField(),
  /** A further phone number; `""` where there is none. */
  phone5: furtherPhoneField(),
  /** First name; `""` where unknown. */
  first_name: textField('First name; "" where unknown.', 'Gold'),
  /** Last name; `""` where unknown. */
  last_name: textField('Last name; "" where unknown.', ''),
  /** E-mail address; `""` where unknown. Not checked as an address: CRMs hold what they hold. */
  email: textField('E-mail address; "" where unknown.', ''),
  ...auditFields('customer'),
};

/**
 * The names of the customer fields, in the order the seed shows them.
 */
export const customerFieldNames = Object.keys(customerShape) as ReadonlyArray<keyof typeof customerShape>;

/**
 * The body of `GET /customer?query=phone:{refId}`: exactly one customer object (not an array,
 * not wrapped in an envelope). Fields beyond the contract are accepted on input and left out
 * of the parsed value.
 *
 * @example
 * ```ts
 * import { CustomerSchema } from 'priority-routing-crm';
 * const customer = CustomerSchema.parse(await response.json());
 * customer.labels; // string[]
 * ```
 */
export const CustomerSchema = documented(z.object(customerShape), {
  id: 'Customer',
  title: 'Customer',
  description:
    'The customer found by phone number. Hybrid Chat reads `labels` (label ids) and `phone1`; a connector built with priority-routing-crm sends exactly these fields.',
});

/**
 * A customer read leniently: only what routing needs, `_id`, `labels` and `phone1`. Other
 * fields pass through unchecked and are kept.
 *
 * @example
 * ```ts
 * import { LenientCustomerSchema } from 'priority-routing-crm';
 * LenientCustomerSchema.parse({ _id: 'c1', labels: [], phone1: '1111', tier: 'gold' });
 * // { _id: 'c1', labels: [], phone1: '1111', tier: 'gold' }
 * LenientCustomerSchema.safeParse({ _id: 'c1', labels: [] }).success; // false: phone1 is missing
 * ```
 */
export const LenientCustomerSchema = z.looseObject({
  _id: customerShape._id,
  labels: customerShape.labels,
  phone1: customerShape.phone1,
});
