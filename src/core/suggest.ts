import { distance } from 'fastest-levenshtein';

/** `PRC_BASEPATH`, `prc_base_path` and `basePath` read alike: case and `_`/`-` do not count. */
const loose = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/**
 * The known name closest to a mistyped one (edit distance, ignoring case and `_`/`-` first, then
 * as written), for "did you mean PRC_TOKEN?" after an unknown variable or key; none when every
 * known name is more than `maxDistance` edits away (a suggestion that far off misleads).
 */
export function closestName(name: string, known: readonly string[], options: { maxDistance?: number } = {}): string | undefined {
  const { maxDistance = Number.POSITIVE_INFINITY } = options;
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const apart = distance(loose(name), loose(candidate));
    if (apart > maxDistance) continue;
    const score = apart * 1000 + distance(name, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
