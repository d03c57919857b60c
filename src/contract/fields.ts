import * as z from 'zod';
import { documented } from './registry.js';

// Each factory returns a fresh schema so that every field carries its own description.

/**
 * A record id: any non-empty string. CIM uses 24-hex MongoDB ObjectIds, other CRMs use what
 * they have, so nothing beyond "non-empty" is demanded.
 */
export const idField = (description: string, example: string) =>
  documented(z.string().min(1), { description, examples: [example] });

/**
 * An ISO 8601 date-time in UTC (`Z` suffix), as CIM writes `createdAt` and `updatedAt`.
 */
export const utcDateTimeField = (description: string) =>
  documented(z.iso.datetime(), { description, examples: ['2020-06-18T09:32:53.823Z'] });

/**
 * A free-text string, `""` where the CRM has nothing.
 */
export const textField = (description: string, example: string) =>
  documented(z.string(), { description, examples: [example] });

/**
 * The record version kept by the CRM (Mongoose's `__v`).
 */
export const versionField = () =>
  documented(z.int().min(0), { description: 'Record version: an integer, 0 or more.', examples: [0] });

/**
 * A `#RRGGBB` display colour; hex digits in either case.
 */
export const colorCodeField = () =>
  documented(z.string().regex(/^#[0-9A-Fa-f]{6}$/, { error: 'expected a colour as #RRGGBB like #3cb44b' }), {
    description: 'Display colour as #RRGGBB (hex digits, either case).',
    examples: ['#3cb44b'],
  });

/**
 * The audit fields that customers and labels share.
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
