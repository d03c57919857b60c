/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Runs `rounds` rounds of every contender, interleaved (a, b, a, b, …) so that drift in the
 * machine (a neighbour's load, the CPU clock) hits each the same, and returns each one's samples.
 */
export async function interleave<K extends string, T = number>(
  rounds: number,
  contenders: Readonly<Record<K, () => Promise<T> | T>>,
): Promise<Record<K, T[]>> {
  const keys = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so neither always runs on a warmer (or hotter) machine.
    const order = round % 2 === 0 ? keys : [...keys].reverse();
    for (const key of order) samples[key].push(await contenders[key]());
  }
  return samples;
}

/** A small seeded generator (mulberry32): the same run picks the same "random" phones. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
