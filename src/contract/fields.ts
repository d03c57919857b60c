import * as z from 'zod';
import { documented } from './registry.js';

// Each factory returns a fresh schema so that every field carries its own description.

/**
 * A record id: any non-empty string. CIM uses 24-hex MongoDB ObjectIds, other CRMs use what
 * they have, so nothing beyond "non-empty" is demanded.
 *
 * @example
 * ```ts
 * import { idField } from './fields.js';
 * const _id = idField("The label's id.", '5eeb3455de812695676383d2');
 * _id.safeParse('').success; // false: an id is never empty
 * ```
 */
export const idField = (description: string, example: string) =>
  documented(z.string().min(1), { description, examples: [example] });

/**
 * An ISO 8601 date-time in UTC (`Z` suffix), as CIM writes `createdAt` and `updatedAt`.
 *
 * @example
 * ```ts
 * import { utcDateTimeField } from './fields.js';
 * const createdAt = utcDateTimeField('When the record was made.');
 * createdAt.safeParse('2020-06-18T09:32:53.823Z').success; // true
 * createdAt.safeParse('2020-06-18T09:32:53+05:00').success; // false: UTC (`Z`) only
 * ```
 */
export const utcDateTimeField = (description: string) =>
  documented(z.iso.datetime(), { description, examples: ['2020-06-18T09:32:53.823Z'] });

/**
 * A free-text string, `""` where the CRM has nothing.
 *
 * @example
 * ```ts
 * import { textField } from './fields.js';
 * const first_name = textField('First name; "" where unknown.', 'Gold');
 * first_name.parse(''); // ''
 * ```
 */
export const textField = (description: string, example: string) =>
  documented(z.string(), { description, examples: [example] });

/**
 * The record version kept by the CRM (Mongoose's `__v`).
 *
 * @example
 * ```ts
 * import { versionField } from './fields.js';
 * versionField().parse(0); // 0
 * versionField().safeParse(1.5).success; // false: an integer ≥ 0
 * ```
 */
export const versionField = () =>
  documented(z.int().min(0), { description: 'Record version: an integer, 0 or more.', examples: [0] });

/**
 * A `#RRGGBB` display colour; hex digits in either case.
 *
 * @example
 * ```ts
 * import { colorCodeField } from './fields.js';
 * colorCodeField().safeParse('#3CB44B').success; // true
 * colorCodeField().safeParse('red').error?.issues[0]?.message; // 'expected a colour as #RRGGBB like #3cb44b'
 * ```
 */
export const colorCodeField = () =>
  documented(z.string().regex(/^#[0-9A-Fa-f]{6}$/, { error: 'expected a colour as #RRGGBB like #3cb44b' }), {
    description: 'Display colour as #RRGGBB (hex digits, either case).',
    examples: ['#3cb44b'],
  });

/**
 * The audit fields that customers and labels share.
 *
 * @example
 * ```ts
 * import { auditFields, idField } from './fields.js';
 * const labelShape = { _id: idField("The label's id.", 'g'), ...auditFields('label') };
 * Object.keys(auditFields('label')); // ['created_by', 'updated_by', 'createdAt', 'updatedAt', '__v']
 * ```
 */
export const auditFields = (record: 'customer' | 'label') => ({
  /** Who made the record; `""` where unknown. */
  created_by: textField(`Who made the ${record} record; "" where unknown.`, 'admin'),
  /** Who last changed the record; `""` where unknown. */
  updated_by: textField(`Who last changed the ${record} record; "" where unknown.`, ''),
  /** When the record was made: ISO 8601 in UTC. */
  createdAt: utcDateTimeField(`When the ${record} record was made: ISO 8601 date-time in UTC.`),
  /** When the record was last changed: ISO 8601 in UTC. */
  updatedAt: utcDateTimeField(`When the ${record} record was last changed: ISO 8601 date-time in UTC.`),
  /** Record version, an integer ≥ 0. */
  __v: versionField(),
});
