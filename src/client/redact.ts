/**
 * Shown instead of a value that may be a credential.
 *
 * @example
 * ```ts
 * redactUrl('http://h/label?token=abc'); // `http://h/label?token=${MASK}`
 * ```
 */
export const MASK = '***';

/**
 * Options of {@link redactUrl}.
 *
 * @example
 * ```ts
 * const options: RedactUrlOptions = { keep: 'q', showSecrets: process.argv.includes('--show-secrets') };
 * redactUrl('http://h/c?key=abc&q=phone:1111', options);
 * ```
 */
export interface RedactUrlOptions {
  /**
   * Query parameters shown as they are: the one that carries the phone number. `query` by
   * default; a parameter holding `{refId}` is always kept.
   */
  keep?: string | readonly string[];
  /** Return the URL unchanged (`--show-secrets`). */
  showSecrets?: boolean;
}

const USER_INFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)@/i;

function maskUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(':');
  // A lone user name is often the token itself (`https://TOKEN@host`).
  return colon === -1 ? MASK : `${userInfo.slice(0, colon)}:${MASK}`;
}

function maskQuery(query: string, keep: ReadonlySet<string>): string {
  return query
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      if (equals === -1 || parameter.includes('{refId}') || keep.has(parameter.slice(0, equals))) return parameter;
      return `${parameter.slice(0, equals)}=${MASK}`;
    })
    .join('&');
}

/**
 * A URL fit to print: the password of its user info (or a lone user name) and the value of
 * every query parameter but the phone's are replaced by `***`, so that a token in a connector
 * URL never reaches a report, a log or an error message. The rest stays exactly as written, so
 * the URL still shows what was sent. Templates (`{refId}`) and unparsable strings work too.
 *
 * @example
 * ```ts
 * redactUrl('http://hc:s3cret@crm.example/cim/customer?token=abc&query=phone:{refId}');
 * // 'http://hc:***@crm.example/cim/customer?token=***&query=phone:{refId}'
 * redactUrl('http://crm.example/c?key=abc&q=phone:1111', { keep: 'q' }); // 'http://crm.example/c?key=***&q=phone:1111'
 * ```
 */
export function redactUrl(url: string, options: RedactUrlOptions = {}): string {
  if (options.showSecrets === true) return url;
  const keep = new Set(typeof options.keep === 'string' ? [options.keep] : (options.keep ?? ['query']));
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const question = beforeHash.indexOf('?');
  const base = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? '' : `?${maskQuery(beforeHash.slice(question + 1), keep)}`;
  return `${base.replace(USER_INFO, (_, scheme: string, userInfo: string) => `${scheme}${maskUserInfo(userInfo)}@`)}${query}${fragment}`;
}
