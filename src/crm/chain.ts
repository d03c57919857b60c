import type { CallContext, CrmClient } from './client.js';
import { CrmResponseError, issue } from './errors.js';
import { compileAt, CrmProfileError, type Evaluate, type LoadedProfile } from './profile.js';

/** How many hits of one search get their details when the profile's `limits.maxDetails` says nothing. */
const DEFAULT_MAX_DETAILS = 5;

/** `{hit.PATH}` in a template: PATH is a JMESPath field path (`id`, `item.id`) over one search hit. */
const HIT_PLACEHOLDER = /\{hit\.([A-Za-z_][\w.]*)\}/g;

/** Each search hit's detailed record (hits whose record is gone left out), in the hits' order. */
type DetailsOf = (hits: readonly unknown[], call: CallContext, values: Readonly<Record<string, string>>, matches: (stored: string) => boolean) => Promise<unknown[]>;

/**
 * The chained request of `lookup.details`, or `undefined` when the profile has none: for a search
 * that finds ids but not the fields the contract needs (Pipedrive's persons search has no labels),
 * one more request per hit, `{hit.PATH}` filled from the hit (escaped and percent-encoded as every
 * placeholder). With `details.phones`, only hits showing the asked number are fetched (a near
 * miss costs no request). Bounded: at most the first `limits.maxDetails` of them (default 5), in parallel, all
 * inside the lookup's one deadline. A hit whose record is gone (`notFoundStatus`, default 404, or
 * 204, or nothing at `results`) is skipped; any other failure (5xx, 401 after the renewal, a rate
 * limit longer than the timeout) fails the lookup as a search's would, and stops the other requests.
 */
export function chainedDetails(loaded: LoadedProfile, client: CrmClient): DetailsOf | undefined {
  const spec = loaded.profile.lookup.details;
  if (spec === undefined) return undefined;
  const problems: Array<{ key: string; message: string }> = [];
  const results = compileAt(spec.results, 'lookup.details.results', problems);
  const shown = spec.phones === undefined ? undefined : compileAt(spec.phones, 'lookup.details.phones', problems);
  const templates = JSON.stringify([spec.path, spec.query ?? {}, spec.body ?? null]);
  const placeholders = new Map<string, Evaluate>();
  for (const [, path] of templates.matchAll(HIT_PLACEHOLDER)) placeholders.set(`hit.${path!}`, compileAt(path!, `lookup.details ({hit.${path!}})`, problems));
  if (problems.length > 0) throw new CrmProfileError(problems, loaded.name);
  const max = loaded.profile.limits?.maxDetails ?? DEFAULT_MAX_DETAILS;
  const fail = (why: string) => new CrmResponseError(`${loaded.name}: ${why}`, [issue('$', why)]);

  /** One hit's record, or `undefined` when the CRM says it is gone. */
  const detail = async (hit: unknown, index: number, call: CallContext, values: Readonly<Record<string, string>>): Promise<unknown> => {
    const bound: Record<string, string> = { ...values };
    for (const [name, read] of placeholders) {
      const value = read(hit);
      if (typeof value === 'string' && value !== '') bound[name] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) bound[name] = String(value);
      else throw fail(`lookup.details ({${name}}): search hit ${index + 1} has no text or number there, got ${JSON.stringify(value) ?? 'nothing'}`);
    }
    const answer = await client.send(spec, { values: bound, phones: [], escape: spec.escape }, call, 'customer details');
    if (answer === undefined) return undefined;
    const record = results(answer.body);
    if (record === null || record === undefined) return undefined;
    if (typeof record !== 'object' || Array.isArray(record)) throw fail(`lookup.details.results (${spec.results}): expected one record (an object), got ${Array.isArray(record) ? 'a list' : typeof record}`);
    return record;
  };

  /** Whether a hit may be the asked number: without `details.phones`, every hit may. */
  const plausible = (hit: unknown, matches: (stored: string) => boolean) => {
    if (shown === undefined) return true;
    const numbers = shown(hit);
    return (Array.isArray(numbers) ? numbers : [numbers]).some((number) => (typeof number === 'string' || typeof number === 'number') && matches(String(number)));
  };

  return async (hits, call, values, matches) => {
    // The first failure stops the requests still running: the lookup fails with it anyway.
    const controller = new AbortController();
    const onAbort = () => controller.abort(call.signal.reason);
    if (call.signal.aborted) onAbort();
    else call.signal.addEventListener('abort', onAbort, { once: true });
    const context: CallContext = { signal: controller.signal, deadline: call.deadline };
    try {
      const chosen = hits.filter((hit) => plausible(hit, matches)).slice(0, max);
      const records = await Promise.all(
        chosen.map((hit, index) =>
          detail(hit, index, context, values).catch((error: unknown) => {
            controller.abort(error);
            throw error;
          }),
        ),
      );
      return records.filter((record) => record !== undefined);
    } finally {
      call.signal.removeEventListener('abort', onAbort);
    }
  };
}
