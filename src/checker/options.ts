import { assertMaxBodyBytes, DEFAULT_MAX_BODY_BYTES } from '../transport/body-limit.js';
import type { FetchLike } from '../transport/exchange.js';
import { assertPriorityWeights, type PriorityWeights } from '../contract/priority.js';
import { redactUrl } from '../redaction/redact.js';
import { secretMasker } from '../redaction/secrets.js';
import { assertConnectorUrls } from '../contract/url-template.js';
import { countryCodeProblem, isCountryCode, type CountryCode, type ValidationMode } from '../contract/index.js';
import { checkIds, isCheckId, selectChecks, type CheckId } from './checks.js';
import { refIdParameter } from '../contract/url-template.js';

/**
 * Progress while checks run: one call per request sent.
 *
 * @example
 * ```ts
 * import { type CheckProgress, verifyConnector } from 'priority-routing-crm/testing';
 * await verifyConnector({ ...options, onProgress: ({ done, total, step }: CheckProgress) => console.error(`${done + 1}/${total} ${step}`) });
 * ```
 */
export interface CheckProgress {
  /** Requests finished so far. */
  done: number;
  /** Requests planned so far (it can grow, e.g. when a made-up number has to be drawn again). */
  total: number;
  /** The request now being sent: `GET /customer?query=phone:1111`. */
  step: string;
}

/**
 * Options of `verifyConnector`.
 *
 * @example
 * ```ts
 * import { type VerifyConnectorOptions, verifyConnector } from 'priority-routing-crm/testing';
 * const options: VerifyConnectorOptions = {
 *   customerQueryUrl: 'https://crm.example/cim/customer?token=abc&query=phone:{refId}',
 *   labelsUrl: 'https://crm.example/cim/label?token=abc',
 *   phones: ['1111', '+923001234567'],
 *   headers: { authorization: `Bearer ${process.env.CRM_TOKEN}` },
 *   weights: { Gold: 8, Vip: 10 },
 *   skip: ['method.post-405'],
 * };
 * const report = await verifyConnector(options);
 * ```
 */
export interface VerifyConnectorOptions {
  /** The customer URL template, as Hybrid Chat's `CIM_CUSTOMER_QUERY_URL`: `http://crm/customer?query=phone:{refId}`. */
  customerQueryUrl: string;
  /** The label list URL, as Hybrid Chat's `CIM_LABELS_API_PATH`. */
  labelsUrl: string;
  /** Phone numbers of known customers, at least one. One starting with `+` enables `customer.plus-forms`. */
  phones: readonly string[];
  /** Sent with every request (credentials). Masked in curl commands unless `showSecrets`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Per request, until the last byte; 5000 ms by default. No answer in time fails the check. It
   * also bounds the time spent judging the answers (a huge list is judged until then).
   */
  timeoutMs?: number | undefined;
  /**
   * The largest body read, 1 MiB (1048576) by default. A longer one is not read on and fails its
   * check ("the label list is larger than 1 MiB"), so that no connector can exhaust memory.
   */
  maxBodyBytes?: number | undefined;
  /** A slower answer warns; 1000 ms by default. */
  budgetMs?: number | undefined;
  /** `strict` (default) or `lenient`: only what routing needs. */
  mode?: ValidationMode | undefined;
  /**
   * The country of the numbers the connector's data holds without one (ISO 3166-1 alpha-2,
   * `PK`), as the connector's own `defaultCountry`: then a `--phone` in a national spelling
   * (`0300-1234567`) gets a warning naming the number Hybrid Chat would send (`923001234567`).
   * Without it, such a number is only recognized by its trunk prefix `0`.
   */
  defaultCountry?: CountryCode | undefined;
  /** Label name → weight (1 to 10): enables the `priority` check. */
  weights?: PriorityWeights | undefined;
  /** Run only these checks. */
  only?: readonly CheckId[] | undefined;
  /** Leave these checks out. */
  skip?: readonly CheckId[] | undefined;
  /** The `fetch` to send requests with (an in-process handler, a proxy); global `fetch` by default. */
  fetch?: FetchLike | undefined;
  /**
   * Show secrets instead of `***`: header values in curl commands, and in every URL a report,
   * the progress or an error shows, the password of the user info, the fragment and the values
   * of the query parameters other than the phone's (`token=***`; a labels URL keeps none). Off
   * by default, so reports can be shared: then these secrets are masked in any form (as sent,
   * trimmed, decoded, Basic) wherever the connector's answers or a network error quote them.
   */
  showSecrets?: boolean | undefined;
  /** Aborts the run; `verifyConnector` then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called before each request, e.g. for a progress line. */
  onProgress?: ((progress: CheckProgress) => void) | undefined;
}

/**
 * The options were wrong (no phone, a URL without `{refId}`, an unknown check id, a bad
 * weight): nothing was sent.
 *
 * @example
 * ```ts
 * import { CheckOptionsError, verifyConnector } from 'priority-routing-crm/testing';
 * try { await verifyConnector(options); } catch (error) { if (error instanceof CheckOptionsError) console.error(`check: ${error.message}`); }
 * ```
 */
export class CheckOptionsError extends TypeError {
  override name = 'CheckOptionsError';
}

/**
 * Which of the connector's two URLs a request goes to.
 */
export type Endpoint = 'customer' | 'labels';

/**
 * The options with defaults applied and everything checked.
 */
export interface ResolvedOptions extends Omit<VerifyConnectorOptions, 'timeoutMs' | 'budgetMs' | 'mode' | 'headers' | 'maxBodyBytes'> {
  timeoutMs: number;
  maxBodyBytes: number;
  budgetMs: number;
  mode: ValidationMode;
  headers: Readonly<Record<string, string>>;
  selected: ReadonlySet<CheckId>;
  /**
   * The URL as reports, progress and errors show it, unless `showSecrets`: user info and tokens
   * masked; a customer URL keeps its phone parameter, a labels URL keeps no query value.
   */
  redactUrl: (url: string, endpoint: Endpoint) => string;
  /**
   * Masks every secret of the run (header values, URL passwords, hidden query values, in every
   * form) in a text a connector or the network wrote, unless `showSecrets`.
   */
  redactText: (text: string) => string;
}

function asOptionsError(check: () => void, prefix = ''): void {
  try {
    check();
  } catch (error) {
    throw new CheckOptionsError(`${prefix}${(error as Error).message}`);
  }
}

function assertCheckIds(name: string, ids: readonly string[] | undefined): void {
  const unknown = (ids ?? []).filter((id) => !isCheckId(id));
  if (unknown.length > 0) {
    throw new CheckOptionsError(`${name}: unknown check id ${unknown.map((id) => JSON.stringify(id)).join(', ')}; known ids: ${checkIds.join(', ')}`);
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new CheckOptionsError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

/**
 * Checks the options and applies the defaults; throws {@link CheckOptionsError}.
 */
export function resolveOptions(options: VerifyConnectorOptions): ResolvedOptions {
  asOptionsError(() => assertConnectorUrls(options));
  if (options.phones.length === 0 || options.phones.some((phone) => phone.trim() === '')) {
    throw new CheckOptionsError('give the phone number of at least one known customer (phones must not be empty)');
  }
  assertCheckIds('only', options.only);
  assertCheckIds('skip', options.skip);
  if (options.weights !== undefined) asOptionsError(() => assertPriorityWeights(options.weights), 'weights: ');
  asOptionsError(() => assertMaxBodyBytes('maxBodyBytes', options.maxBodyBytes));
  if (options.defaultCountry !== undefined && !isCountryCode(options.defaultCountry)) throw new CheckOptionsError(countryCodeProblem('defaultCountry', options.defaultCountry));
  const selected = selectChecks(options);
  if (selected.size === 0) throw new CheckOptionsError('only and skip leave no check to run');
  const showSecrets = options.showSecrets === true;
  // With `{refId}` in the path, no query parameter holds the phone: none is kept.
  const keep = { customer: refIdParameter(options.customerQueryUrl) ?? [], labels: [] } as const;
  return {
    ...options,
    timeoutMs: positive('timeoutMs', options.timeoutMs, 5000),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    budgetMs: positive('budgetMs', options.budgetMs, 1000),
    mode: options.mode ?? 'strict',
    headers: options.headers ?? {},
    selected,
    redactUrl: (url, endpoint) => redactUrl(url, { keep: keep[endpoint], showSecrets }),
    redactText: showSecrets
      ? (text) => text
      : secretMasker({
          headers: options.headers ?? {},
          urls: [
            { url: options.customerQueryUrl, keep: keep.customer },
            { url: options.labelsUrl, keep: keep.labels },
          ],
        }),
  };
}
