import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import dataverse from './profiles/dataverse.json' with { type: 'json' };
import hubspot from './profiles/hubspot.json' with { type: 'json' };
import salesforce from './profiles/salesforce.json' with { type: 'json' };
import pipedrive from './profiles/pipedrive.json' with { type: 'json' };
import zoho from './profiles/zoho.json' with { type: 'json' };
import { withColorNames } from './colors.js';
import { AUTH_SCHEMAS, CrmProfileSchema, type CrmProfile, type CrmProfileInput } from './schema.js';
import { joinedValue } from './template.js';

/**
 * The built-in profiles, by name: plain data, each the same shape as a profile file a user could
 * have written (they read their credentials from `PRC_CRM_*` variables).
 *
 * @example
 * ```ts
 * import { crmProfiles } from 'priority-routing-crm/crm';
 * console.log(crmProfiles.zoho.lookup?.path); // '/{module}/search'
 * ```
 */
export const crmProfiles: { readonly zoho: CrmProfileInput; readonly hubspot: CrmProfileInput; readonly dataverse: CrmProfileInput; readonly salesforce: CrmProfileInput; readonly pipedrive: CrmProfileInput } = deepFreeze({
  zoho: zoho as unknown as CrmProfileInput,
  hubspot: hubspot as unknown as CrmProfileInput,
  dataverse: dataverse as unknown as CrmProfileInput,
  salesforce: salesforce as unknown as CrmProfileInput,
  pipedrive: pipedrive as unknown as CrmProfileInput,
});

/** The name of a built-in profile. */
export type CrmProfileName = keyof typeof crmProfiles;

/**
 * Thrown for a profile that cannot be used: each problem names the key (`lookup.fields.email:
 * expected a JMESPath expression …`) or the missing environment variable.
 *
 * @example
 * ```ts
 * import { createCrmRepository, CrmProfileError } from 'priority-routing-crm/crm';
 * try { createCrmRepository({ profile: 'zoho' }); } catch (error) { if (error instanceof CrmProfileError) console.error(error.message); }
 * ```
 */
export class CrmProfileError extends Error {
  override name = 'CrmProfileError';
  /** One entry per problem: the key as a dotted path, and what is wrong with it. */
  readonly problems: ReadonlyArray<{ key: string; message: string }>;
  constructor(problems: ReadonlyArray<{ key: string; message: string }>, profileName = 'profile') {
    super([`invalid CRM ${profileName}:`, ...problems.map(({ key, message }) => `  ${key}: ${message}`)].join('\n'));
    this.problems = problems;
  }
}

const keyOf = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>((key, part) => (typeof part === 'number' ? `${key}[${part}]` : key === '' ? String(part) : `${key}.${String(part)}`), '');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `over` laid on `base`, key by key, recursively; arrays and other values replace. An object
 * with a different `type` (auth `bearer` → `oauth2`) replaces too, since its keys do not mix.
 */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  if ('type' in over && over.type !== base.type) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = merge(base[key], value);
  return merged;
}

/** The profile a name or an object stands for, with `extends` resolved (one level: built-ins extend nothing). */
function resolveExtends(profile: unknown): { value: unknown; name: string } {
  if (typeof profile === 'string') {
    if (!Object.hasOwn(crmProfiles, profile)) {
      throw new CrmProfileError([{ key: '(profile)', message: `unknown built-in profile ${JSON.stringify(profile)}; expected ${Object.keys(crmProfiles).join(' or ')}, or a profile object` }]);
    }
    return { value: crmProfiles[profile as CrmProfileName], name: `profile "${profile}"` };
  }
  if (!isObject(profile)) throw new CrmProfileError([{ key: '(profile)', message: 'expected a built-in profile name or a profile object' }]);
  const base = profile.extends;
  if (base === undefined) return { value: profile, name: typeof profile.name === 'string' ? `profile "${profile.name}"` : 'profile' };
  if (typeof base !== 'string' || !Object.hasOwn(crmProfiles, base)) {
    throw new CrmProfileError([{ key: 'extends', message: `expected ${Object.keys(crmProfiles).join(' or ')}, got ${JSON.stringify(base)}` }]);
  }
  const { extends: _, ...rest } = profile;
  return { value: merge(crmProfiles[base as CrmProfileName], rest), name: `profile "${typeof profile.name === 'string' ? profile.name : `${base} (extended)`}"` };
}

// The default may hold one level of braces: `${PRC_CRM_BASE_URL:-{token.api_domain}/crm/v8}`, or
// another variable: `${PRC_CRM_TOKEN_URL:-https://login.microsoftonline.com/${PRC_CRM_TENANT_ID}/oauth2/v2.0/token}`.
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^{}]|\{[^{}]*\})*))?\}/g;

/** The names of the `${NAME}` variables in a profile string, outer ones first. */
const variablesIn = (text: unknown): string[] => (typeof text === 'string' ? [...text.matchAll(VARIABLE)].flatMap((match) => [match[1]!, ...variablesIn(match[2])]) : []);

/** A variable that is not set: the keys that need it, and the variables that would make it unneeded. */
interface Missing {
  keys: string[];
  unless: Set<string>;
  /** Set, but to the empty string (which counts as not set). */
  empty: boolean;
}

/**
 * Every `${NAME}` (or `${NAME:-default}`) in the profile's strings, from `env`. A variable that is
 * unset (or empty) without a default is a problem naming it and the key that needs it; a default
 * is substituted in turn, so a variable in it is needed only when the outer one is not set.
 */
function substitute(value: unknown, env: Readonly<Record<string, string | undefined>>, path: PropertyKey[], missing: Map<string, Missing>, outer: readonly string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (whole: string, name: string, fallback: string | undefined, at: number) => {
      // `${PRC_CRM_BASE_URL}/api` with a base URL ending in `/`: one slash, not `//api` (any key, the scope too).
      const rest = value.slice(at + whole.length);
      const given = env[name];
      if (given !== undefined && given !== '') return joinedValue(given, rest);
      if (fallback !== undefined) return joinedValue(substitute(fallback, env, path, missing, [...outer, name]) as string, rest);
      const entry = missing.get(name) ?? { keys: [], unless: new Set<string>(), empty: given === '' };
      entry.keys.push(keyOf(path));
      for (const alternative of outer) entry.unless.add(alternative);
      missing.set(name, entry);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, env, [...path, index], missing, outer));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, env, [...path, key], missing, outer)]));
  return value;
}

/** A compiled JMESPath expression: evaluate it over one value. */
export type Evaluate = (value: unknown) => unknown;

type Ast = ReturnType<typeof compile>;

/** The field names of an expression that is only fields joined by dots, else `undefined`. */
function fieldPath(ast: Ast): string[] | undefined {
  const node = ast as { type: string; name?: unknown; left?: Ast; right?: Ast };
  if (node.type === 'Field' && typeof node.name === 'string') return [node.name];
  if (node.type !== 'Subexpression' || node.left === undefined || node.right === undefined) return undefined;
  const left = fieldPath(node.left);
  const right = left === undefined ? undefined : fieldPath(node.right);
  return left === undefined || right === undefined ? undefined : [...left, ...right];
}

/** JMESPath's field step, repeated: `null` once a value is not an object (arrays included) or has no such field. */
function readPath(value: unknown, names: readonly string[]): unknown {
  let current = value;
  for (const name of names) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return null;
    current = (current as Record<string, unknown>)[name] ?? null;
  }
  return current;
}

/** Compiles an expression; a syntax error is a problem naming its key. */
export function compileAt(text: string, key: string, problems: Array<{ key: string; message: string }>): Evaluate {
  try {
    const ast = compile(text);
    const names = fieldPath(ast);
    // Most profile expressions are plain field paths (`id`, `Created_By.name`): read directly, by
    // the interpreter's rules for a field, which otherwise costs a lookup more than the rest of the mapping.
    return names === undefined ? (value) => TreeInterpreter.search(ast, value as JSONValue) : (value) => readPath(value, names);
  } catch (error) {
    problems.push({ key, message: `not a JMESPath expression (${(error as Error).message.split('\n')[0]}): ${text}` });
    return () => null;
  }
}

/** A profile ready to run: validated, variables substituted, expressions compiled. */
export interface LoadedProfile {
  profile: CrmProfile;
  name: string;
  lookup: { results: Evaluate; fields: ReadonlyMap<string, { evaluate: Evaluate; expression: string }> };
  labels: {
    results: Evaluate;
    fields: ReadonlyMap<string, { evaluate: Evaluate; expression: string }>;
    /** `labels.pages` compiled: where the next page starts, and whether there is one. */
    pages: { next: Evaluate; more: Evaluate | undefined } | undefined;
  };
  /** The profile's `rateLimit.retryAfter` over an error answer. */
  rateLimitHint: Evaluate | undefined;
  /** The profile's `rateLimit.errors`: a status and a condition over its body that make it a rate limit. */
  rateLimitErrors: ReadonlyArray<{ status: number; test: Evaluate }>;
  /** The variables `auth.refreshToken` is read from (`PRC_CRM_REFRESH_TOKEN`), for messages that tell which to update. */
  refreshTokenFrom: readonly string[];
}

/**
 * Resolves `extends`, substitutes `${NAME}` from `env`, validates against
 * {@link CrmProfileSchema} and compiles every expression; throws a {@link CrmProfileError} that
 * names every bad key and every missing variable.
 */
export function loadProfile(profile: unknown, env: Readonly<Record<string, string | undefined>>): LoadedProfile {
  const { value, name } = resolveExtends(profile);
  // Each missing variable once, at the first key that needs it (a built-in may use one in
  // several places); what an emptied value then breaks is the same mistake, not said again.
  const missing = new Map<string, Missing>();
  const substituted = substitute(value, env, [], missing);
  const problems = [...missing].map(([variable, { keys: [key, ...more], unless, empty }]) => ({
    key: key!,
    message: `the environment variable ${variable} ${empty ? 'is set but empty (an empty value counts as not set): give it a value' : 'is not set'}${unless.size === 0 ? '' : ` (needed unless ${[...unless].join(' or ')} is set)`}${more.length === 0 ? '' : ` (also used at ${more.join(', ')})`}`,
  }));
  const emptied = new Set([...missing.values()].flatMap((entry) => entry.keys));
  const parsed = CrmProfileSchema.safeParse(substituted);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (emptied.has(keyOf(issue.path))) continue;
      // The auth union only says "no type matched": for a known type, say which key is wrong.
      const auth = isObject(substituted) ? substituted.auth : undefined;
      const member = issue.path.length === 1 && issue.path[0] === 'auth' && isObject(auth) && typeof auth.type === 'string' && Object.hasOwn(AUTH_SCHEMAS, auth.type) ? AUTH_SCHEMAS[auth.type as keyof typeof AUTH_SCHEMAS].safeParse(auth) : undefined;
      if (member !== undefined && !member.success) problems.push(...member.error.issues.map((inner) => ({ key: keyOf(['auth', ...inner.path]), message: inner.message })));
      else problems.push({ key: keyOf(issue.path) || '(profile)', message: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) throw new CrmProfileError(dedupe(problems), name);
  const data = parsed.data;
  const fieldsOf = (section: 'lookup' | 'labels') =>
    new Map(
      Object.entries(data[section].fields as Record<string, string | undefined>)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([field, text]) => [field, { evaluate: compileAt(text, `${section}.fields.${field}`, problems), expression: text }]),
    );
  const loaded: LoadedProfile = {
    profile: data,
    name,
    lookup: { results: compileAt(data.lookup.results, 'lookup.results', problems), fields: fieldsOf('lookup') },
    labels: {
      results: compileAt(data.labels.results, 'labels.results', problems),
      fields: withColorNames(fieldsOf('labels'), data.colorNames),
      pages:
        data.labels.pages === undefined
          ? undefined
          : { next: compileAt(data.labels.pages.next, 'labels.pages.next', problems), more: data.labels.pages.more === undefined ? undefined : compileAt(data.labels.pages.more, 'labels.pages.more', problems) },
    },
    rateLimitHint: data.rateLimit.retryAfter === undefined ? undefined : compileAt(data.rateLimit.retryAfter, 'rateLimit.retryAfter', problems),
    rateLimitErrors: (data.rateLimit.errors ?? []).map(({ status, body }, index) => ({ status, test: compileAt(body, `rateLimit.errors[${index}].body`, problems) })),
    refreshTokenFrom: variablesIn(isObject(value) && isObject(value.auth) ? value.auth.refreshToken : undefined),
  };
  if (problems.length > 0) throw new CrmProfileError(problems, name);
  return loaded;
}

const dedupe = (problems: Array<{ key: string; message: string }>) => {
  const seen = new Set<string>();
  return problems.filter(({ key, message }) => !seen.has(`${key}\n${message}`) && seen.add(`${key}\n${message}`) !== undefined);
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
