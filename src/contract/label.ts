import * as z from 'zod';
import { auditFields, colorCodeField, idField } from './fields.js';
import { documented } from './registry.js';

const labelShape = {
  /** The label's id; customers' `labels` arrays refer to it. Unique within the label list. */
  _id: idField("The label's id: what customers' `labels` refer to. Unique within the list.", '5eeb3455de812695676383d2'),
  /**
   * The label's name. Hybrid Chat matches it exactly (case and white space count) against the
   * routing engine's label names, so `"platinum "` never matches `"Platinum"`.
   */
  name: documented(z.string().min(1), {
    description:
      "The label's name. Matched exactly (case and white space count) against the routing engine's label names.",
    examples: ['Gold'],
  }),
  /** Display colour, `#RRGGBB` (hex digits, either case). */
  color_code: colorCodeField(),
  ...auditFields('label'),
};

/**
 * One label as `GET /label` returns it. Fields beyond the contract are accepted on input and
 * left out of the parsed value.
 *
 * @example
 * ```ts
 * import { LabelSchema } from 'priority-routing-crm';
 * const [gold] = await (await fetch('http://crm.example/cim/label')).json();
 * LabelSchema.parse(gold); // { _id: '5eeb3455de812695676383d2', name: 'Gold', color_code: '#3cb44b', … }
 * ```
 */
export const LabelSchema = documented(z.object(labelShape), {
  id: 'Label',
  title: 'Label',
  description: 'A customer label. Hybrid Chat turns the label ids on a customer into names with the label list.',
});

/**
 * Flags the second and later use of each `_id`: Hybrid Chat's id-to-name map would silently
 * keep only one of them.
 */
function checkUniqueIds(labels: ReadonlyArray<{ _id: string }>, ctx: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  labels.forEach((label, index) => {
    const first = firstIndex.get(label._id);
    if (first === undefined) {
      firstIndex.set(label._id, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [index, '_id'],
      message: `duplicate label id ${JSON.stringify(label._id)}: the label at $[${first}] has it too`,
      input: label._id,
      params: { reason: 'duplicate_label_id', firstIndex: first },
    });
  });
}

/**
 * The body of `GET /label`: an array (possibly empty) of labels whose `_id`s are unique.
 *
 * @example
 * ```ts
 * import { LabelListSchema } from 'priority-routing-crm';
 * const labels = LabelListSchema.parse(await response.json()); // throws a ZodError naming the bad entry
 * ```
 */
export const LabelListSchema = documented(z.array(LabelSchema).superRefine(checkUniqueIds), {
  id: 'LabelList',
  title: 'Label list',
  description: 'Every label the CRM knows, as an array (possibly empty). Label ids are unique within the list.',
});

/**
 * A label read leniently: only what routing needs, `_id` and `name`. Other fields pass through
 * unchecked and are kept.
 *
 * @example
 * ```ts
 * import { LenientLabelSchema } from 'priority-routing-crm';
 * LenientLabelSchema.parse({ _id: 'g', name: 'Gold' }); // { _id: 'g', name: 'Gold' }: no colour or audit fields needed
 * LenientLabelSchema.safeParse({ _id: 'g', name: '' }).success; // false: a name is never empty
 * ```
 */
export const LenientLabelSchema = z.looseObject({ _id: labelShape._id, name: labelShape.name });

/**
 * A label list read leniently: each entry needs only `_id` and `name`; ids are still unique.
 *
 * @example
 * ```ts
 * import { LenientLabelListSchema } from 'priority-routing-crm';
 * LenientLabelListSchema.safeParse([{ _id: 'g', name: 'Gold' }, { _id: 'g', name: 'Vip' }]).success; // false: duplicate id "g"
 * ```
 */
export const LenientLabelListSchema = z.array(LenientLabelSchema).superRefine(checkUniqueIds);
