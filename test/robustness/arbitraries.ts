import fc from 'fast-check';

/**
 * Generators shared by the robustness tests. Every run is seeded (see {@link seeded}) so that a
 * failure prints a seed and a path that reproduce it exactly.
 */

/**
 * fast-check parameters for a bounded, reproducible run: `FC_SEED` overrides the seed (a
 * nightly job may rotate it). Each property stops generating after 10 s on a slow machine, and
 * a failure's shrinking after 5 s more, so a real failure is reported with its counterexample
 * instead of ending in a test timeout.
 */
export function seeded(numRuns: number): fc.Parameters<unknown> {
  const seed = Number(process.env.FC_SEED ?? 0x5eeb34c5);
  return { numRuns, seed, interruptAfterTimeLimit: 15_000, skipAllAfterTimeLimit: 10_000 };
}

/** Any single UTF-16 code unit, lone surrogates included: what a JS string may really hold. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Characters that matter to the parser: digits, separators, `+`, controls, non-ASCII digits, astral. */
const interesting = fc.constantFrom(
  '0', '1', '5', '9', '+', ' ', '-', '.', '(', ')', '/', ':', '%', '#', 'a', 'Z',
  '\u0000', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\u2028',
  '\u0661', '\uff11', '\ud800', '\udc00', '😀', 'é',
);

/** Strings of UTF-16 code units, biased towards the characters a phone number parser must judge. */
export const anyText = (maxLength: number) =>
  fc.string({ unit: fc.oneof({ weight: 3, arbitrary: interesting }, { weight: 1, arbitrary: codeUnit }), maxLength });

/** `query` values: mostly `phone:` and something, around the 64-character limit, sometimes anything. */
export const queryValue = fc.oneof(
  { weight: 4, arbitrary: anyText(70).map((rest) => `phone:${rest}`) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 68 }).chain((n) => fc.string({ unit: interesting, minLength: n, maxLength: n })).map((rest) => `phone:${rest}`) },
  { weight: 1, arbitrary: anyText(20) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((rest) => `phone:${rest}`) },
);

/** A phone number as people and CRMs write it: digit groups with separators, maybe a leading `+`. */
export const phoneSpelling = fc
  .record({
    plus: fc.boolean(),
    groups: fc.array(fc.stringMatching(/^\d{1,4}$/), { minLength: 1, maxLength: 5 }),
    separators: fc.array(fc.constantFrom('', ' ', '-', '.', '/'), { minLength: 5, maxLength: 5 }),
    parens: fc.boolean(),
  })
  .map(({ plus, groups, separators, parens }) => {
    const [first, ...rest] = groups;
    const head = parens ? `(${first})` : (first as string);
    const body = rest.reduce((text, group, index) => `${text}${separators[index] ?? ''}${group}`, head);
    return { spelling: `${plus ? '+' : ''}${body}`, digits: groups.join(''), plus };
  });
