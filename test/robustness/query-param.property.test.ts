import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFormComponent, readQueryParam } from '../../src/core/url.js';
import { seeded } from './arbitraries.js';

/** Query strings built from the pieces a query-string reader must judge: separators, encodings, the name. */
const piece = fc.constantFrom('query', 'token', 'q', '=', '&', '%71', '%2B', '%', '+', 'a', '1', 'phone:1111', '%E2%82%AC', '%E2%82', '&&', '==');
const search = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));
const name = fc.constantFrom('query', 'token', 'q', 'a', 'q u', 'é');

describe('readQueryParam over arbitrary query strings', () => {
  it('finds what URLSearchParams finds: missing, repeated, or the one value decoded the same way', () => {
    fc.assert(
      fc.property(search, name, (query, key) => {
        const all = new URLSearchParams(query).getAll(key);
        const result = readQueryParam(query, key);
        if (all.length === 0) expect(result).toEqual({ ok: false, reason: 'missing' });
        else if (all.length > 1) expect(result).toEqual({ ok: false, reason: 'repeated' });
        else if (result.ok) expect(result.value).toBe(all[0]);
        // Where URLSearchParams guesses at bad percent-encoding, the reader refuses instead.
        else expect(result.reason).toBe('malformed');
      }),
      seeded(5000),
    );
  });

  it('refuses only a value whose encoding is broken', () => {
    fc.assert(
      fc.property(search, name, (query, key) => {
        const result = readQueryParam(query, key);
        if (!result.ok && result.reason === 'malformed') {
          const raw = query.split('&').find((pair) => decodeFormComponent(pair.split('=')[0] ?? '') === key);
          expect(decodeFormComponent(raw?.slice(raw.indexOf('=') + 1) ?? '')).toBeUndefined();
        }
      }),
      seeded(2000),
    );
  });
});

describe('readQueryParam reads a long query in one pass', () => {
  // Structural, not timed: each key's scan for `=`, `%` and `+` must not run to the end of the
  // string. Counting indexOf calls and the characters they pass over shows it.
  function charactersScanned(query: string): number {
    const original = String.prototype.indexOf;
    let scanned = 0;
    String.prototype.indexOf = function (this: string, searched: string, position?: number) {
      const at = original.call(this, searched, position);
      if (this === query) scanned += (at === -1 ? this.length : at) - (position ?? 0);
      return at;
    };
    try {
      readQueryParam(query, 'query');
    } finally {
      String.prototype.indexOf = original;
    }
    return scanned;
  }

  it.each([
    ['many keys without =', (n: number) => `${'flag&'.repeat(n)}query=phone:1111`],
    ['many short pairs', (n: number) => `${'a=1&'.repeat(n)}query=phone:1111`],
    ['many encoded keys', (n: number) => `${'%61=1&'.repeat(n)}query=phone:1111`],
  ])('%s: characters scanned grow with the length, not its square', (_case, make) => {
    const small = make(1_000);
    const large = make(10_000);
    // Each character is passed over at most once per searched character (&, =, %, +).
    expect(charactersScanned(small)).toBeLessThanOrEqual(4 * small.length);
    expect(charactersScanned(large)).toBeLessThanOrEqual(4 * large.length);
  });
});
