import { redactUrl } from '../redaction/redact.js';

/**
 * The placeholder Hybrid Chat replaces with the phone number in `CIM_CUSTOMER_QUERY_URL`.
 *
 * @example
 * ```ts
 * import { REF_ID_PLACEHOLDER } from 'priority-routing-crm';
 * const template = `http://crm.example/cim/customer?query=phone:${REF_ID_PLACEHOLDER}`;
 * ```
 */
export const REF_ID_PLACEHOLDER = '{refId}';

/**
 * Puts `phone` into a customer query URL template the way Hybrid Chat does: as it is, not
 * URL-encoded, so `+923001234567` is sent as `query=phone:+923001234567`.
 *
 * @example
 * ```ts
 * import { fillCustomerUrl } from 'priority-routing-crm';
 * fillCustomerUrl('http://crm/cim/customer?query=phone:{refId}', '+923001234567');
 * // 'http://crm/cim/customer?query=phone:+923001234567'
 * ```
 */
export function fillCustomerUrl(template: string, phone: string): string {
  // A function replacement, so that `$&` or `$1` in a phone number stays literal.
  return template.replaceAll(REF_ID_PLACEHOLDER, () => phone);
}

/**
 * Throws a `TypeError` naming `option` unless `url` (a template may hold `{refId}`) is an
 * absolute `http:` or `https:` URL. The message shows the URL with its secrets masked (every
 * query value but the one holding `{refId}`).
 */
export function assertHttpUrl(option: string, url: unknown, example = 'http://crm.example/cim/label'): asserts url is string {
  const filled = typeof url === 'string' ? fillCustomerUrl(url, '1') : '';
  const protocol = URL.canParse(filled) ? new URL(filled).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    const shown = typeof url === 'string' ? JSON.stringify(redactUrl(url, { keep: [] })) : typeof url;
    throw new TypeError(`${option} must be an absolute http(s) URL such as "${example}", got ${shown}`);
  }
}

/**
 * Throws a `TypeError` naming the option unless both URLs are absolute http(s) URLs and the
 * customer URL holds `{refId}`, where Hybrid Chat puts the phone number. `names` are what the
 * messages call the two URLs (the CLI's flags or variables; the options' names by default).
 */
export function assertConnectorUrls(
  urls: { customerQueryUrl: unknown; labelsUrl: unknown },
  names: { customerQueryUrl: string; labelsUrl: string } = { customerQueryUrl: 'customerQueryUrl', labelsUrl: 'labelsUrl' },
): void {
  assertHttpUrl(names.customerQueryUrl, urls.customerQueryUrl, `http://crm.example/cim/customer?query=phone:${REF_ID_PLACEHOLDER}`);
  assertHttpUrl(names.labelsUrl, urls.labelsUrl);
  if (!urls.customerQueryUrl.includes(REF_ID_PLACEHOLDER)) {
    throw new TypeError(`${names.customerQueryUrl} must contain ${REF_ID_PLACEHOLDER}, where Hybrid Chat puts the phone number`);
  }
}

/**
 * The name of the query parameter that holds `{refId}` (`query` in Hybrid Chat's own URL), or
 * `undefined` when `{refId}` is not in the query string.
 */
export function refIdParameter(template: string): string | undefined {
  return findRefIdParameter(template)?.name;
}

/**
 * Where `{refId}` sits in a template's query string: the path, the `&`-separated parameters,
 * which of them holds it, and that parameter's name; `undefined` for a path template.
 */
export function findRefIdParameter(template: string) {
  const hash = template.indexOf('#');
  const url = hash === -1 ? template : template.slice(0, hash);
  const question = url.indexOf('?');
  if (question === -1) return undefined;
  const parameters = url.slice(question + 1).split('&');
  const index = parameters.findIndex((parameter) => parameter.includes(REF_ID_PLACEHOLDER));
  if (index === -1) return undefined;
  return { path: url.slice(0, question), parameters, index, name: parameters[index]!.split('=', 1)[0]! };
}
