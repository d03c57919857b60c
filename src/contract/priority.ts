import type { Customer, Label } from './index.js';

/**
 * The lowest priority: what a chat gets with no customer, no label or no weighted label.
 *
 * @example
 * ```ts
 * import { MIN_PRIORITY, resolvePriority } from 'priority-routing-crm';
 * resolvePriority({ customer: null, labels: [], weights: {} }).priority === MIN_PRIORITY; // true
 * ```
 */
export const MIN_PRIORITY = 1;
/**
 * The highest priority weight the routing engine allows.
 *
 * @example
 * ```ts
 * import { MAX_PRIORITY } from 'priority-routing-crm';
 * const weights = { Vvip: MAX_PRIORITY, Vip: MAX_PRIORITY - 1 };
 * ```
 */
export const MAX_PRIORITY = 10;

/**
 * The routing engine's labels: label name → priority weight, an integer from 1 to 10. Names are
 * matched exactly, as Hybrid Chat does: `"Gold"` does not match a CRM label named `"gold"`.
 *
 * @example
 * ```ts
 * import { type PriorityWeights } from 'priority-routing-crm';
 * const weights: PriorityWeights = { Gold: 8, Vip: 10 };
 * ```
 */
export type PriorityWeights = Readonly<Record<string, number>>;

/**
 * What {@link resolvePriority} reads.
 *
 * @example
 * ```ts
 * import { type ResolvePriorityInput, resolvePriority } from 'priority-routing-crm';
 * const input: ResolvePriorityInput = { customer: { labels: ['L-1'] }, labels: [{ _id: 'L-1', name: 'Gold' }], weights: { Gold: 8 } };
 * resolvePriority(input).priority; // 8
 * ```
 */
export interface ResolvePriorityInput {
  /** The customer found by phone, or `null` (or `undefined`) when there was none. */
  customer: Pick<Customer, 'labels'> | null | undefined;
  /** The connector's label list. */
  labels: ReadonlyArray<Pick<Label, '_id' | 'name'>>;
  /** Label name → weight (1 to 10), e.g. `{ Gold: 8, Vip: 10 }`. */
  weights: PriorityWeights;
}

/**
 * A label of the customer that counted: its name has a weight.
 *
 * @example
 * ```ts
 * import { type MatchedLabel } from 'priority-routing-crm';
 * const matched: MatchedLabel = { labelId: 'L-1', name: 'Gold', weight: 8 };
 * ```
 */
export interface MatchedLabel {
  labelId: string;
  name: string;
  weight: number;
}

/**
 * A label id on the customer that is not in the label list.
 *
 * @example
 * ```ts
 * import { resolvePriority, sampleCustomer, sampleLabels, type UnknownLabelId } from 'priority-routing-crm';
 * const result = resolvePriority({ customer: sampleCustomer, labels: sampleLabels, weights: { Gold: 8 } });
 * const dangling = result.ignored.filter((entry): entry is UnknownLabelId => entry.reason === 'unknown_label_id');
 * ```
 */
export interface UnknownLabelId {
  reason: 'unknown_label_id';
  labelId: string;
}

/**
 * A label whose name has no weight.
 *
 * @example
 * ```ts
 * import { resolvePriority, sampleCustomer, sampleLabels } from 'priority-routing-crm';
 * const result = resolvePriority({ customer: sampleCustomer, labels: sampleLabels, weights: { gold: 8 } });
 * const hints = result.ignored.flatMap((entry) => (entry.reason === 'unweighted_name' && entry.hint !== undefined ? [entry.hint] : []));
 * ```
 */
export interface UnweightedLabel {
  reason: 'unweighted_name';
  labelId: string;
  name: string;
  /**
   * The weight name this label's name differs from only by case or white space, if there is
   * one: the likely intended match (`"platinum "` for `"Platinum"`).
   */
  nearMiss?: string;
  /** A sentence about {@link UnweightedLabel.nearMiss}, when there is one. */
  hint?: string;
}

/**
 * A label of the customer that added nothing, and why.
 *
 * @example
 * ```ts
 * import { type IgnoredLabel } from 'priority-routing-crm';
 * const explain = (entry: IgnoredLabel) => (entry.reason === 'unknown_label_id' ? `no label ${entry.labelId}` : `${entry.name} has no weight`);
 * ```
 */
export type IgnoredLabel = UnknownLabelId | UnweightedLabel;

/**
 * The outcome of {@link resolvePriority}.
 *
 * @example
 * ```ts
 * import { type PriorityResult, resolvePriority, sampleCustomer, sampleLabels } from 'priority-routing-crm';
 * const { priority, matched, ignored }: PriorityResult = resolvePriority({ customer: sampleCustomer, labels: sampleLabels, weights: { Gold: 8 } });
 * ```
 */
export interface PriorityResult {
  /** The highest weight among the customer's labels; 1 when none counts. */
  priority: number;
  /** The labels that have a weight, highest weight first. */
  matched: MatchedLabel[];
  /** The customer's label ids that added nothing, in the customer's order. */
  ignored: IgnoredLabel[];
}

const fold = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Throws a `RangeError` naming the first weight that is not an integer from 1 to 10, or a
 * `TypeError` when `weights` is not a plain object of numbers.
 *
 * @example
 * ```ts
 * import { assertPriorityWeights } from 'priority-routing-crm';
 * assertPriorityWeights({ Gold: 8, Vip: 10 }); // fine
 * assertPriorityWeights({ Gold: 11 }); // RangeError: weight of "Gold" must be an integer from 1 to 10, got 11
 * ```
 */
export function assertPriorityWeights(weights: unknown): asserts weights is PriorityWeights {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    throw new TypeError('weights must be an object from label name to weight, such as { "Gold": 8, "Vip": 10 }');
  }
  for (const [name, weight] of Object.entries(weights)) {
    if (name === '') throw new RangeError('weight names must not be empty: they are matched against label names');
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < MIN_PRIORITY || weight > MAX_PRIORITY) {
      const got = typeof weight === 'number' ? String(weight) : JSON.stringify(weight) ?? typeof weight;
      throw new RangeError(
        `weight of ${JSON.stringify(name)} must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, got ${got}`,
      );
    }
  }
}

/**
 * Works out the priority Hybrid Chat gives a chat: the customer's label ids become names
 * through the label list, names are matched exactly against `weights`, and the highest weight
 * wins. No customer, no label or no weighted label gives 1. Ids missing from the list and
 * names without a weight are returned in `ignored`, with a hint where a name differs from a
 * weight only by case or white space. Throws when a weight is not an integer from 1 to 10.
 *
 * @example
 * ```ts
 * import { resolvePriority, sampleCustomer, sampleLabels } from 'priority-routing-crm';
 * resolvePriority({ customer: sampleCustomer, labels: sampleLabels, weights: { Gold: 8, Vip: 10 } });
 * // { priority: 8, matched: [{ labelId: '5eeb3455de812695676383d2', name: 'Gold', weight: 8 }], ignored: [] }
 * ```
 */
export function resolvePriority({ customer, labels, weights }: ResolvePriorityInput): PriorityResult {
  assertPriorityWeights(weights);
  const names = new Map<string, string>();
  // Like a map built from the list, the first label with an id is the one that counts.
  for (const label of labels) if (!names.has(label._id)) names.set(label._id, label.name);
  const folded = new Map(Object.keys(weights).map((name) => [fold(name), name]));

  const matched: MatchedLabel[] = [];
  const ignored: IgnoredLabel[] = [];
  for (const labelId of new Set(customer?.labels ?? [])) {
    const name = names.get(labelId);
    if (name === undefined) {
      ignored.push({ reason: 'unknown_label_id', labelId });
    } else if (Object.hasOwn(weights, name)) {
      matched.push({ labelId, name, weight: weights[name]! });
    } else {
      const nearMiss = folded.get(fold(name));
      ignored.push(
        nearMiss === undefined
          ? { reason: 'unweighted_name', labelId, name }
          : {
              reason: 'unweighted_name',
              labelId,
              name,
              nearMiss,
              hint: `${JSON.stringify(name)} differs only by case or white space from weight ${JSON.stringify(nearMiss)}, and names are matched exactly`,
            },
      );
    }
  }
  matched.sort((a, b) => b.weight - a.weight);
  return { priority: matched[0]?.weight ?? MIN_PRIORITY, matched, ignored };
}
