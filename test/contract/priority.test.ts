import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePriority, sampleCustomer, sampleLabels } from '../../src/index.js';

const labels = sampleLabels;
const ids = Object.fromEntries(labels.map((l) => [l.name.trim(), l._id]));

describe('resolvePriority', () => {
  it('gives the seed customer the Gold weight', () => {
    expect(resolvePriority({ customer: sampleCustomer, labels, weights: { Gold: 8, Vip: 10 } })).toEqual({
      priority: 8,
      matched: [{ labelId: ids.Gold, name: 'Gold', weight: 8 }],
      ignored: [],
    });
  });

  it('takes the highest of several labels and lists them highest first', () => {
    const result = resolvePriority({ customer: { labels: [ids.Gold!, ids.Vip!, ids.Silver!] }, labels, weights: { Gold: 8, Vip: 10, Silver: 3 } });
    expect(result.priority).toBe(10);
    expect(result.matched.map((m) => m.name)).toEqual(['Vip', 'Gold', 'Silver']);
  });

  it('gives 1 with no customer, no label, or no weighted label', () => {
    const weights = { Gold: 8 };
    expect(resolvePriority({ customer: null, labels, weights }).priority).toBe(1);
    expect(resolvePriority({ customer: undefined, labels, weights }).priority).toBe(1);
    expect(resolvePriority({ customer: { labels: [] }, labels, weights }).priority).toBe(1);
    expect(resolvePriority({ customer: { labels: [ids.Silver!] }, labels, weights })).toEqual({
      priority: 1,
      matched: [],
      ignored: [{ reason: 'unweighted_name', labelId: ids.Silver, name: 'Silver' }],
    });
  });

  it('ignores ids missing from the list and points out near-miss names', () => {
    const result = resolvePriority({ customer: { labels: ['nope', ids.platinum!] }, labels, weights: { Platinum: 9 } });
    expect(result.priority).toBe(1);
    expect(result.ignored).toEqual([
      { reason: 'unknown_label_id', labelId: 'nope' },
      {
        reason: 'unweighted_name',
        labelId: ids.platinum,
        name: 'platinum ',
        nearMiss: 'Platinum',
        hint: '"platinum " differs only by case or white space from weight "Platinum", and names are matched exactly',
      },
    ]);
  });

  it('matches names exactly: case and white space count', () => {
    expect(resolvePriority({ customer: { labels: [ids.Gold!] }, labels, weights: { gold: 8 } }).priority).toBe(1);
  });

  it('counts a label id listed twice on the customer once', () => {
    expect(resolvePriority({ customer: { labels: [ids.Gold!, ids.Gold!] }, labels, weights: { Gold: 8 } }).matched).toHaveLength(1);
  });

  it.each([
    [{ Gold: 0 }, /weight of "Gold" must be an integer from 1 to 10, got 0/],
    [{ Gold: 11 }, /got 11/],
    [{ Gold: 2.5 }, /got 2.5/],
    [{ Gold: '8' }, /got "8"/],
    [{ '': 3 }, /must not be empty/],
    [null, /weights must be an object/],
    [[8], /weights must be an object/],
  ])('rejects weights %j with a clear error', (weights, message) => {
    expect(() => resolvePriority({ customer: sampleCustomer, labels, weights: weights as never })).toThrow(message);
  });

  it('always gives the highest matched weight, or 1, and accounts for every distinct label id', () => {
    const names = ['Gold', 'Silver', 'Vip', 'gold', 'Vip '];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...names), { maxLength: 5 }).chain((labelNames) =>
          fc.record({
            labelNames: fc.constant(labelNames),
            customerIds: fc.array(fc.constantFrom(...labelNames.map((_, i) => `id${i}`), 'ghost'), { maxLength: 6 }),
            weights: fc.dictionary(fc.constantFrom(...names), fc.integer({ min: 1, max: 10 })),
          }),
        ),
        ({ labelNames, customerIds, weights }) => {
          const list = labelNames.map((name, i) => ({ _id: `id${i}`, name }));
          const result = resolvePriority({ customer: { labels: customerIds }, labels: list, weights });
          const expected = Math.max(1, ...customerIds.flatMap((id) => {
            const name = list.find((l) => l._id === id)?.name;
            return name !== undefined && Object.hasOwn(weights, name) ? [weights[name]!] : [];
          }));
          expect(result.priority).toBe(expected);
          expect(result.matched.length + result.ignored.length).toBe(new Set(customerIds).size);
        },
      ),
    );
  });
});
