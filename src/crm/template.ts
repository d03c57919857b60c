import { KeptAnswers } from './kept.js';
import type { PhoneForm } from './schema.js';

/** The values `{placeholder}`s take in one request. */
export interface Bindings {
  /** `{phone}` and `{e164}`, `{international}`, `{national}`, `{asked}`, `{lastDigits}`; each-values; `{property}`. */
  readonly values: Readonly<Record<string, string>>;
  /** The phone forms an `$eachPhone` repeats over, in order (already distinct). */
  readonly phones: readonly string[];
  /** Character → replacement, applied to every placeholder value (the profile's `escape`). */
  readonly escape?: Readonly<Record<string, string>> | undefined;
}

const PLACEHOLDER = /\{([A-Za-z_][\w.]*)\}/g;
const EACH_PHONE = '$eachPhone';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function escapeValue(value: string, escape: Bindings['escape']): string {
  if (escape === undefined) return value;
  let out = '';
  for (const character of value) out += escape[character] ?? character;
  return out;
}

/** A template split once into its text and its placeholders: text at even indexes, names at odd ones. */
const compiled = new KeptAnswers<string, readonly string[]>(1000);

/**
 * A value put into a URL template, without its trailing slashes when the template goes on with
 * one: `${PRC_CRM_BASE_URL}/api` with `https://x.crm.dynamics.com/` (as an operator copies it
 * from the browser) or `{token.instance_url}/services` is `https://x…/api`, never `//api`, a path
 * the CRMs answer 404.
 */
export const joinedValue = (value: string, rest: string) => (rest.startsWith('/') && value.endsWith('/') ? value.replace(/\/+$/, '') : value);

/**
 * `text` with every known `{name}` replaced (escaped, then `encode`d); unknown braces stay as
 * written. `url`: the text is a URL template (a base URL), whose values are {@link joinedValue}s.
 */
export function fill(text: string, bindings: Bindings, encode: (value: string) => string = (value) => value, url = false): string {
  if (!text.includes('{')) return text;
  const parts = compiled.get(text, (template) => template.split(PLACEHOLDER));
  let out = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index]!;
    const value = bindings.values[name];
    const rest = parts[index + 1]!;
    out += (value === undefined ? `{${name}}` : encode(escapeValue(url ? joinedValue(value, rest) : value, bindings.escape))) + rest;
  }
  return out;
}

/** Whether a template repeats over phone forms (one request for all of them) rather than being sent once per form. */
export function hasEachPhone(template: unknown): boolean {
  if (Array.isArray(template)) return template.some(hasEachPhone);
  if (isObject(template)) return EACH_PHONE in template || Object.values(template).some(hasEachPhone);
  return false;
}

const withPhone = (bindings: Bindings, phone: string): Bindings => ({ ...bindings, values: { ...bindings.values, phone } });

/**
 * A JSON template with its placeholders filled. An array item `{ "$eachPhone": X }` becomes X
 * once per phone form (X's items, when X is an array); a value `{ "$eachPhone": "…", "$join": "or" }`
 * becomes one string, and so does `{ "$join": " or ", "$items": [ … ] }` (its items filled, then joined).
 */
export function expand(template: unknown, bindings: Bindings): unknown {
  if (typeof template === 'string') return fill(template, bindings);
  if (Array.isArray(template)) {
    return template.flatMap((item) => {
      if (isObject(item) && EACH_PHONE in item && !('$join' in item)) {
        return bindings.phones.flatMap((phone) => {
          const one = expand(item[EACH_PHONE], withPhone(bindings, phone));
          return Array.isArray(one) ? one : [one];
        });
      }
      return [expand(item, bindings)];
    });
  }
  if (isObject(template)) {
    const join = typeof template.$join === 'string' ? template.$join : ',';
    if (EACH_PHONE in template) {
      return bindings.phones.map((phone) => expand(template[EACH_PHONE], withPhone(bindings, phone))).join(join);
    }
    // `{ "$join": " or ", "$items": [ { "$eachPhone": [ … ] }, "…" ] }`: conditions per phone form and
    // others once (an OData $filter), in one string.
    if (Array.isArray(template.$items)) {
      return (expand(template.$items, bindings) as unknown[]).map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(join);
    }
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, expand(value, bindings)]));
  }
  return template;
}

/** The phone forms of a number, as the profile's `phoneForms` names them. */
export type PhoneForms = Readonly<Record<PhoneForm, string | undefined>>;
