import type { CustomerQuery } from '../contract/index.js';
import { type CountryCode, countryCodeProblem, isCountryCode, phoneKey } from '../contract/phone-keys.js';
import type { CustomerRecord, CustomerRepository, LabelRecord, RepositoryContext } from '../core/repository.js';
import type { FetchLike } from '../transport/exchange.js';
import { chainedDetails } from './chain.js';
import { type CallContext, CrmClient } from './client.js';
import { CrmResponseError, issue } from './errors.js';
import { phonesOf, toCustomer, toLabel, updatedAtOf } from './mapping.js';
import { KeptAnswers } from './kept.js';
import { nextPage, nextPageSpec, tooManyPages } from './pages.js';
import { lastDigits, phoneForms, phoneKeys, phoneMatcher, pickForms } from './phone-forms.js';
import { type CrmProfileName, loadProfile, type LoadedProfile } from './profile.js';
import type { CrmProfile, CrmProfileInput, CrmProfileOverride, CrmRequestSpec } from './schema.js';
import { type Bindings, hasEachPhone } from './template.js';
import { safeUrl } from './token.js';

/**
 * Options of {@link createCrmRepository}.
 *
 * @example
 * ```ts
 * import type { CrmRepositoryOptions } from 'priority-routing-crm/crm';
 * const options: CrmRepositoryOptions = { profile: 'zoho', defaultCountry: 'PK' };
 * ```
 */
export interface CrmRepositoryOptions {
  /** A built-in profile name (`'zoho'`, `'hubspot'`, `'dataverse'`, `'salesforce'`, `'pipedrive'`) or a profile object (the shape of a profile file; may say `"extends": "zoho"`). */
  profile: CrmProfileName | CrmProfileInput | CrmProfileOverride | Readonly<Record<string, unknown>>;
  /** The site's country (ISO 3166-1 alpha-2): which national form to search for, and how to match stored numbers. */
  defaultCountry?: CountryCode | undefined;
  /** The `fetch` to call the CRM with, for a proxy agent or a test. Default: `node:http`/`node:https` with Node's keep-alive agents (the same bounds, at less than half of the global `fetch`'s cost per request). */
  fetch?: FetchLike | undefined;
  /** Where `${NAME}` in the profile is read from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** How long one lookup or label read may take, token and retries included. Default 3000, the handlers' `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * Told what an operator should know but that fails nothing: today, once, that the CRM rotated
   * the OAuth refresh token (the configured one may not work after a restart). Never a credential.
   * Default: `process.emitWarning` (a line on stderr).
   */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * What {@link CrmRepository.authenticate} obtained.
 *
 * @example
 * ```ts
 * import type { CrmTokenInfo } from 'priority-routing-crm/crm';
 * const info: CrmTokenInfo = { tokenUrl: 'https://accounts.zoho.com/oauth/v2/token', token: 'Zoho-oauthtoken 1000.a***', renewedInSeconds: 3540 };
 * ```
 */
export interface CrmTokenInfo {
  /** The token URL, without its query. */
  tokenUrl: string;
  /** The `Authorization` value, the token cut after six characters. */
  token: string;
  /** When it will be renewed (a little before it expires); absent for a token without expiry (renewed on a 401). */
  renewedInSeconds?: number;
}

/**
 * A {@link CustomerRepository} over a REST CRM, with what it was built from.
 *
 * @example
 * ```ts
 * import { type CrmRepository, createCrmRepository } from 'priority-routing-crm/crm';
 * const repository: CrmRepository = createCrmRepository({ profile: 'hubspot' });
 * repository.stats().crmCalls; // requests sent to the CRM so far
 * ```
 */
export interface CrmRepository extends CustomerRepository {
  /** The validated profile (variables substituted: do not print it, it holds the credentials). */
  readonly profile: CrmProfile;
  /** `profile "zoho"`: how messages name the profile. */
  readonly profileName: string;
  /** Requests sent so far: to the CRM's API, and to its token URL. */
  stats(): { crmCalls: number; tokenRequests: number };
  /**
   * Obtains an OAuth2 access token now (or reuses the kept one), for `crm check` and readiness:
   * where from, the token masked, and for how long; `undefined` for other auth types.
   */
  authenticate(context: RepositoryContext): Promise<CrmTokenInfo | undefined>;
  /** Replaces each credential in `text` by `***`. */
  mask(text: string): string;
  /** Nothing to release today (HTTP keep-alive sockets close by themselves); call it at shutdown. */
  close(): Promise<void>;
}

/**
 * A repository that reads customers and labels from a REST CRM described by a profile: the
 * built-in `'zoho'`, `'hubspot'`, `'dataverse'`, `'salesforce'` and `'pipedrive'`, or any profile object (the shape of a profile file,
 * validated by `CrmProfileSchema`; `${NAME}` read from `env`). A lookup sends the profile's
 * search with the number's phone forms, keeps only results one of whose mapped phones is the
 * asked number (by `phoneKeys` with `defaultCountry`), and answers the newest of them (or oldest,
 * or first, per `match`); none is `null` (404). OAuth2 tokens are kept and renewed by one request
 * at a time. Throws a `CrmProfileError` naming every bad key or missing variable.
 *
 * @example
 * ```ts
 * import { createConnector, withCache } from 'priority-routing-crm';
 * import { createCrmRepository } from 'priority-routing-crm/crm';
 * const repository = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK' }); // PRC_CRM_CLIENT_ID, … from process.env
 * const connector = createConnector({ repository: withCache(repository, { labelsTtlMs: 300_000 }), defaultCountry: 'PK' });
 * ```
 */
export function createCrmRepository(options: CrmRepositoryOptions): CrmRepository {
  const { defaultCountry } = options;
  if (defaultCountry !== undefined && !isCountryCode(defaultCountry)) throw new RangeError(countryCodeProblem('defaultCountry', defaultCountry));
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`timeoutMs must be a whole number of milliseconds ≥ 1, got ${String(options.timeoutMs)}`);
  const loaded = loadProfile(options.profile, options.env ?? process.env);
  const { profile, name } = loaded;
  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message, { code: 'PRC_CRM_REFRESH_TOKEN_ROTATED' }));
  const client = new CrmClient(loaded, { fetch: options.fetch, timeoutMs, retryAfterHint: loaded.rateLimitHint, onWarning });
  const maxResults = profile.limits?.maxResults ?? 50;
  const details = chainedDetails(loaded, client);
  const colors = profile.colors ?? {};

  // Worked out once: whether one request carries every phone form, and the `each` combinations.
  const together = hasEachPhone(profile.lookup.query) || hasEachPhone(profile.lookup.body);
  const lookupEach = combinations(profile.lookup.each);
  const labelsEach = combinations(profile.labels.each);

  // Parsing a number costs more than the rest of a lookup's own work, and a customer's number is
  // asked again and again (each chat), its hits coming back with the same stored numbers: the
  // last numbers' readings are kept (a pure function of the number and the country).
  const keyOptions = defaultCountry === undefined ? {} : { defaultCountry };
  const storedKeys = new KeptAnswers<string, string>(NUMBERS_KEPT);
  const storedKey = (stored: string) => storedKeys.get(stored, (text) => phoneKey(text, keyOptions));
  /** What a lookup needs of the asked number: its phone forms to search for and the checker of stored numbers. */
  const askedNumber = (phone: string, keys: readonly string[] = phoneKeys(phone, keyOptions)): AskedNumber => {
    const named = phoneForms(phone, defaultCountry, defaultCountry === undefined ? undefined : keys);
    const ending = profile.lookup.lastDigits === undefined ? undefined : lastDigits(named, profile.lookup.lastDigits);
    return { forms: pickForms(named, profile.lookup.phoneForms), values: definedOnly({ ...named, lastDigits: ending }), matches: phoneMatcher(keys, defaultCountry, storedKey) };
  };
  const numbers = new KeptAnswers<string, AskedNumber>(NUMBERS_KEPT);

  const contextOf = ({ signal }: RepositoryContext): CallContext => ({ signal, deadline: Date.now() + timeoutMs });

  const findCustomerByPhone = async (query: CustomerQuery, context: RepositoryContext): Promise<CustomerRecord | null> => {
    const call = contextOf(context);
    // The connector's keys are for its own country; with ours set, the number is read for ours.
    const { forms, values, matches } = defaultCountry === undefined && query.phoneKeys !== undefined ? askedNumber(query.phone, query.phoneKeys) : numbers.get(query.phone, askedNumber);
    if (forms.length === 0) return null;
    for (const each of lookupEach) {
      // One request with every form (`$eachPhone`), or one per form, in order, until one finds the customer.
      for (const phone of together ? [forms[0]!] : forms) {
        const bindings: Bindings = {
          values: { ...each, phone, ...values },
          phones: forms,
          escape: profile.lookup.escape,
        };
        const answer = await client.send(profile.lookup, bindings, call, 'customer search');
        const results = answer === undefined ? [] : resultsOf(loaded.lookup.results(answer.body), profile.lookup, 'lookup', name);
        const hits = results.slice(0, maxResults);
        // A search that finds ids only: each hit's record from the chained request (chain.ts), then verified.
        const records = details === undefined ? hits : await details(hits, call, bindings.values, matches);
        const verified = records.filter((result) => phonesOf(result, loaded.lookup.fields).some(matches));
        if (verified.length > 0) return toCustomer(choose(verified, profile.match, loaded), loaded.lookup.fields, name);
      }
    }
    return null;
  };

  // The pages after the first (`labels.pages`): the same request with the profile's paging parameters.
  const pagedLabels = profile.labels.pages === undefined ? undefined : { spec: nextPageSpec(profile.labels), max: profile.labels.pages.max };
  const listLabels = async (context: RepositoryContext): Promise<LabelRecord[]> => {
    const call = contextOf(context);
    const labels: LabelRecord[] = [];
    for (const each of labelsEach) {
      const values: Record<string, string> = { ...each };
      if (profile.labels.property !== undefined) values.property = profile.labels.property;
      let answer = await client.send(profile.labels, { values, phones: [], escape: profile.labels.escape }, call, 'label list');
      let next: string | undefined;
      for (let page = 1; ; page += 1) {
        const results = answer === undefined ? [] : resultsOf(loaded.labels.results(answer.body), profile.labels, 'labels', name);
        for (const result of results) labels.push(toLabel(result, loaded.labels.fields, colors, name));
        next = answer === undefined || pagedLabels === undefined ? undefined : nextPage(answer.body, loaded, next);
        if (next === undefined || pagedLabels === undefined) break;
        if (page >= pagedLabels.max) throw tooManyPages(loaded, pagedLabels.max);
        answer = await client.send(pagedLabels.spec, { values: { ...values, next }, phones: [], escape: profile.labels.escape }, call, `label list page ${page + 1}`);
      }
    }
    return labels;
  };

  return {
    profile,
    profileName: name,
    findCustomerByPhone,
    listLabels,
    stats: () => ({ crmCalls: client.calls, tokenRequests: client.tokens?.requests ?? 0 }),
    authenticate: async () => {
      if (client.tokens === undefined || profile.auth.type !== 'oauth2') return undefined;
      const token = await client.tokens.get();
      const seconds = Number.isFinite(token.expiresAt) ? Math.round((token.expiresAt - Date.now()) / 1000) : undefined;
      return {
        tokenUrl: safeUrl(profile.auth.tokenUrl),
        token: `${profile.auth.scheme} ${token.value.slice(0, 6)}***`,
        ...(seconds === undefined ? {} : { renewedInSeconds: seconds }),
      };
    },
    mask: (text) => client.mask(text),
    close: () => Promise.resolve(),
  };
}

/** How many asked numbers' readings, and how many stored numbers' keys, a repository keeps. */
const NUMBERS_KEPT = 1000;

interface AskedNumber {
  /** The profile's phone forms of the number, in its order, distinct. */
  readonly forms: readonly string[];
  /** `{e164}`, `{international}`, `{national}`, `{asked}` (those the number has), `{lastDigits}` when the profile asks. */
  readonly values: Readonly<Record<string, string>>;
  /** Whether a stored number is the asked one. */
  readonly matches: (stored: string) => boolean;
}

const definedOnly = (forms: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.entries(forms).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Every combination of the `each` placeholders' values, in order (one empty combination without `each`). */
function combinations(each: Readonly<Record<string, readonly string[]>> | undefined): Array<Record<string, string>> {
  let all: Array<Record<string, string>> = [{}];
  for (const [name, values] of Object.entries(each ?? {})) all = all.flatMap((so) => values.map((value) => ({ ...so, [name]: value })));
  return all;
}

/** The results list of an answer: `results` must find an array (or nothing: no results). */
function resultsOf(found: unknown, spec: CrmRequestSpec, section: string, profileName: string): unknown[] {
  if (found === null || found === undefined) return [];
  if (Array.isArray(found)) return found;
  throw new CrmResponseError(`${profileName}: ${section}.results (${spec.results}) found no list in the answer`, [
    issue('$', `${section}.results (${spec.results}): expected a list of results, got ${typeof found}`),
  ]);
}

/** The one verified result to answer, per `match`. */
function choose(verified: unknown[], match: CrmProfile['match'], loaded: LoadedProfile): unknown {
  if (match === 'first' || verified.length === 1) return verified[0];
  const stamped = verified.map((result, index) => ({ result, index, at: updatedAtOf(result, loaded.lookup.fields) }));
  const sign = match === 'newest' ? -1 : 1;
  // Results without a date go last; equal dates keep the CRM's order.
  stamped.sort((a, b) => (Number.isNaN(a.at) ? 1 : 0) - (Number.isNaN(b.at) ? 1 : 0) || sign * (a.at - b.at) || a.index - b.index);
  return stamped[0]!.result;
}
