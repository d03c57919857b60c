/**
 * Reading `req.url` without `new URL()`: the request path runs on every chat, and splitting a
 * string is a fraction of the cost of a full WHATWG parse.
 */
import type { Outcome } from '../contract/result.js';

/**
 * The path and the raw query string (without `?`) of a request URL.
 */
export interface UrlParts {
  /** The path as received, still percent-encoded: `/cim/customer`. */
  path: string;
  /** The query string without `?` and still encoded: `query=phone:+92300…`; `""` when none. */
  search: string;
}

const SLASH = 47;

/**
 * Splits `req.url` (`/customer?query=…`) or an absolute URL (`http://host/customer?…`) into its
 * path and raw query string; a fragment is dropped.
 */
export function splitUrl(url: string): UrlParts {
  let start = 0;
  if (url.charCodeAt(0) !== SLASH) {
    const scheme = url.indexOf('://');
    if (scheme !== -1) {
      const slash = url.indexOf('/', scheme + 3);
      const query = url.indexOf('?', scheme + 3);
      // `http://host?x` has no slash before its query: its path is `/`.
      if (slash === -1 || (query !== -1 && query < slash)) return { path: '/', search: query === -1 ? '' : cut(url, query + 1) };
      start = slash;
    }
  }
  const query = url.indexOf('?', start);
  if (query === -1) return { path: cut(url, start, start), search: '' };
  return { path: url.slice(start, query), search: cut(url, query + 1) };
}

/** `url` from `from` up to a `#` or the end. */
function cut(url: string, from: number, hashFrom = from): string {
  const hash = url.indexOf('#', hashFrom);
  return url.slice(from, hash === -1 ? url.length : hash);
}

/**
 * Decodes one query-string component with form semantics (`+` is a space, then percent-decoding),
 * as `application/x-www-form-urlencoded` does. `undefined` for malformed percent-encoding or
 * invalid UTF-8, where `URLSearchParams` would silently guess.
 */
export function decodeFormComponent(component: string): string | undefined {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/**
 * What {@link readQueryParam} found: the one decoded value, or why there is none.
 */
export type QueryParamResult = Outcome<string, { reason: 'missing' | 'repeated' | 'malformed' }>;

const MISSING = { ok: false, reason: 'missing' } as const;
const REPEATED = { ok: false, reason: 'repeated' } as const;
const MALFORMED = { ok: false, reason: 'malformed' } as const;

/**
 * Finds the single value of the query parameter `name` in a raw query string, decoding it once
 * with form semantics. A parameter given twice is `repeated` (never "first one wins": two values
 * for a credential or a lookup key are an attack or a bug).
 */
export function readQueryParam(search: string, name: string): QueryParamResult {
  let raw: string | undefined;
  let from = 0;
  // The next `=`, `%` and `+` at or after `from`, remembered: a position is searched again only
  // once the reader has passed it, so each character is scanned once per kind and reading stays
  // linear. (Searching afresh from every key rescans the rest of the string for each key that
  // lacks one: quadratic for `a&a&a…`, 20 ms at 56 KB.)
  let equals = -1;
  let percent = -1;
  let plus = -1;
  while (from <= search.length) {
    let end = search.indexOf('&', from);
    if (end === -1) end = search.length;
    if (equals < from) equals = nextIndex(search, '=', from);
    const keyEnd = equals > end ? end : equals;
    if (keyEnd > from) {
      let matches = keyEnd - from === name.length && search.startsWith(name, from);
      if (!matches) {
        // Only an encoded key (`%71uery`, `a+b`) can still equal `name` after decoding.
        if (percent < from) percent = nextIndex(search, '%', from);
        if (plus < from) plus = nextIndex(search, '+', from);
        matches = (percent < keyEnd || plus < keyEnd) && decodeFormComponent(search.slice(from, keyEnd)) === name;
      }
      if (matches) {
        if (raw !== undefined) return REPEATED;
        raw = keyEnd === end ? '' : search.slice(keyEnd + 1, end);
      }
    }
    from = end + 1;
  }
  if (raw === undefined) return MISSING;
  const value = decodeFormComponent(raw);
  return value === undefined ? MALFORMED : { ok: true, value };
}

/** The index of the next `char` at or after `from`, or one past the end when there is none. */
function nextIndex(search: string, char: string, from: number): number {
  const at = search.indexOf(char, from);
  return at === -1 ? search.length + 1 : at;
}
