// The label list's further pages (`labels.pages`): a CRM that pages its list (Pipedrive's
// personFields, 500 fields a page) says in each answer whether another page follows and where it
// starts; the engine asks for it with the profile's query parameters, up to `max` pages. A list
// longer than that, or an answer that says "more" without saying where, is an error: labels
// silently missing would route their customers at priority 1.
import { truthy } from './client.js';
import { CrmResponseError, issue } from './errors.js';
import type { LoadedProfile } from './profile.js';
import type { CrmProfile } from './schema.js';

/** Where the page after `body` starts (`{next}`), or undefined when the list ends with it. */
export function nextPage(body: unknown, loaded: LoadedProfile, previous: string | undefined): string | undefined {
  const pages = loaded.profile.labels.pages!;
  const compiled = loaded.labels.pages!;
  const fail = (why: string) => new CrmResponseError(`${loaded.name}: label list: ${why}`, [issue('$', `label list: ${why}`)]);
  const read = (evaluate: (value: unknown) => unknown) => {
    try {
      return evaluate(body);
    } catch {
      // A function given the wrong type: the answer is not what the profile expects; nothing there.
      return null;
    }
  };
  const more = compiled.more === undefined ? undefined : truthy(read(compiled.more));
  if (more === false) return undefined;
  const next = read(compiled.next);
  if (next === null || next === undefined || next === '' || next === false) {
    if (more === true) throw fail(`labels.pages.more (${pages.more}) says another page follows, but labels.pages.next (${pages.next}) finds where it starts nowhere in the answer`);
    return undefined;
  }
  if (typeof next !== 'string' && typeof next !== 'number') throw fail(`labels.pages.next (${pages.next}): expected a page start (a string or a number), got ${Array.isArray(next) ? 'a list' : typeof next}`);
  const value = String(next);
  // A CRM that points at the same page again would be read until max: said as what it is.
  if (value === previous) throw fail(`labels.pages.next (${pages.next}) gave ${JSON.stringify(value.slice(0, 40))} twice in a row: the CRM does not move to the next page`);
  return value;
}

/** The label request of the pages after the first: its query with `labels.pages.query` over it. */
export const nextPageSpec = (labels: CrmProfile['labels']): CrmProfile['labels'] => ({ ...labels, query: { ...labels.query, ...labels.pages!.query } });

/** The error of a list that goes on past `labels.pages.max` pages. */
export const tooManyPages = (loaded: LoadedProfile, max: number) =>
  new CrmResponseError(`${loaded.name}: the label list goes on past ${max} pages (labels.pages.max)`, [
    issue('$', `labels.pages.max: the label list has more than ${max} pages; raise labels.pages.max (at most 100) or ask for more labels a page`),
  ]);
