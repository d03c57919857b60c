import { type CountryCode, countryCodeProblem, isCountryCode } from '../contract/index.js';
import type { Authenticate } from './auth.js';
import { assertHeaderValue } from './header-value.js';
import { writeConnectorError } from './error-log.js';
import { type ConnectorErrorEvent, type ConnectorResponseEvent, maskPhone as maskPhoneDefault } from './hooks.js';

/**
 * Options of the connector's request handling: {@link createConnector} takes them (with
 * `repository` and `basePath`), and so do the node and fetch handlers built on it.
 *
 * @example
 * ```ts
 * import { type HandlerOptions } from 'priority-routing-crm';
 * const options: HandlerOptions = { timeoutMs: 1500, labelsCacheControl: 'max-age=300', onError: (event) => console.error(event.kind, event.route) };
 * ```
 */
export interface HandlerOptions {
  /** How long the repository may take before the answer is 504 and its signal aborts. Default 3000. */
  timeoutMs?: number | undefined;
  /** Decides whether a request may be answered; see `queryTokenAuth`, `basicAuth`, `apiKeyAuth`, `bearerAuth`. */
  authenticate?: Authenticate | undefined;
  /**
   * Called for every 500, 502 and 504, with the details the client never sees. Without it, each
   * failure is written to stderr as one line (route, kind, masked phone, contract issues, the
   * thrown error's name and message); passing `onError` replaces that line.
   */
  onError?: ((event: ConnectorErrorEvent) => unknown) | undefined;
  /** Called once per answered request, for access logs and metrics. */
  onResponse?: ((event: ConnectorResponseEvent) => unknown) | undefined;
  /** `Cache-Control` of the label list. Default `no-cache` (always revalidate, cheap with the ETag). */
  labelsCacheControl?: string | undefined;
  /**
   * How phone numbers appear in hook events: masked (`true`, the default: `+92******4567`), as
   * received (`false`), or through your own function.
   */
  maskPhone?: boolean | ((phone: string) => string) | undefined;
  /**
   * The country (ISO 3166-1 alpha-2, such as `'PK'`) whose national formats the CRM and chats
   * use. With it, `query.phoneKeys` lists every spelling of the asked number (`+92…`, `0300…`,
   * `0092…`) for the repository to look up; without it, just its digits.
   */
  defaultCountry?: CountryCode | undefined;
}

/**
 * {@link HandlerOptions} with defaults applied and checked once, not per request.
 */
export interface Settings {
  timeoutMs: number;
  authenticate: Authenticate | undefined;
  onError: (event: ConnectorErrorEvent) => unknown;
  onResponse: ((event: ConnectorResponseEvent) => unknown) | undefined;
  labelsCacheControl: string;
  maskPhone: (phone: string) => string;
  defaultCountry: CountryCode | undefined;
}

const MAX_TIMER = 2_147_483_647;
const unmasked = (phone: string) => phone;

/**
 * Applies the defaults and rejects options that cannot work, with a message naming the option.
 */
export function resolveSettings(options: HandlerOptions = {}): Settings {
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER) {
    throw new RangeError(`timeoutMs must be a number of milliseconds between 1 and ${MAX_TIMER}, got ${String(timeoutMs)}`);
  }
  const labelsCacheControl = options.labelsCacheControl ?? 'no-cache';
  if (typeof labelsCacheControl !== 'string') throw new TypeError('labelsCacheControl must be a string such as max-age=300');
  assertHeaderValue('labelsCacheControl', labelsCacheControl);
  const mask = options.maskPhone ?? true;
  if (options.defaultCountry !== undefined && !isCountryCode(options.defaultCountry)) {
    throw new RangeError(countryCodeProblem('defaultCountry', options.defaultCountry));
  }
  return {
    timeoutMs,
    authenticate: options.authenticate,
    onError: options.onError ?? writeConnectorError,
    onResponse: options.onResponse,
    labelsCacheControl,
    maskPhone: typeof mask === 'function' ? mask : mask ? maskPhoneDefault : unmasked,
    defaultCountry: options.defaultCountry,
  };
}
