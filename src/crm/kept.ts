/**
 * A pure function's answers for the last `size` keys (the oldest goes first): work a lookup would
 * otherwise repeat for the same number or the same request path.
 */
export class KeptAnswers<K, V> {
  readonly #kept = new Map<K, V>();
  constructor(private readonly size: number) {}

  /** The kept answer for `key`, else `compute(key)`, kept (an exception is not kept). */
  get(key: K, compute: (key: K) => V): V {
    const kept = this.#kept.get(key);
    if (kept !== undefined) return kept;
    const value = compute(key);
    if (this.#kept.size >= this.size) this.#kept.delete(this.#kept.keys().next().value!);
    this.#kept.set(key, value);
    return value;
  }
}
