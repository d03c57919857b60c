/**
 * Shown instead of a value that may be a credential.
 */
export const MASK = '***';

/**
 * Options of {@link redactUrl}.
 */
export interface RedactUrlOptions {
  /**
   * Query parameters shown as they are: the one that carries the phone number. `query` by
   * default; `[]` masks every value. A parameter holding `{refId}` is always kept.
   */
  keep?: string | readonly string[];
  /** Return the URL unchanged (`--show-secrets`). */
  showSecrets?: boolean;
}

const REF_ID = '{refId}';
// The WHATWG parser percent-encodes `{}` in a path; shown decoded, so a template stays readable.
const ENCODED_REF_ID = /%7BrefId%7D/gi;
// Scheme, slashes of either kind (the parser accepts `http:\\` and `http:/`), then the user info
// up to the authority's last `@`.
const USER_INFO = /^(\s*[a-z][a-z\d+.-]*:[/\\]*)([^/\\?#]*)@/i;

const keepSet = (keep: RedactUrlOptions['keep']): ReadonlySet<string> =>
  new Set(typeof keep === 'string' ? [keep] : (keep ?? ['query']));

const isKept = (parameter: string, keep: ReadonlySet<string>): boolean =>
  parameter.includes(REF_ID) || keep.has(parameter.split('=', 1)[0]!);

// A lone user name is often the token itself (`https://TOKEN@host`).
const hiddenUserInfo = (userInfo: string): string => {
  const colon = userInfo.indexOf(':');
  return colon === -1 ? userInfo : userInfo.slice(colon + 1);
};

function maskParameter(parameter: string, keep: ReadonlySet<string>): string {
  if (isKept(parameter, keep)) return parameter;
  const equals = parameter.indexOf('=');
  // A bare parameter (`?TOKEN&…`) may be the credential itself.
  return equals === -1 ? MASK : `${parameter.slice(0, equals)}=${MASK}`;
}

/** The URL split as written, without parsing: for templates and strings the parser refuses. */
function writtenParts(url: string): { base: string; parameters: string[] | undefined; fragment: string | undefined } {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  return {
    base: question === -1 ? beforeHash : beforeHash.slice(0, question),
    parameters: question === -1 ? undefined : beforeHash.slice(question + 1).split('&'),
    fragment: hash === -1 ? undefined : url.slice(hash + 1),
  };
}

function redactParsed(url: URL, keep: ReadonlySet<string>): string {
  if (url.password !== '') url.password = MASK;
  else if (url.username !== '') url.username = MASK;
  if (url.search !== '') url.search = url.search.slice(1).split('&').map((parameter) => maskParameter(parameter, keep)).join('&');
  if (url.hash !== '') url.hash = MASK;
  return url.href.replace(ENCODED_REF_ID, REF_ID);
}

function redactWritten(url: string, keep: ReadonlySet<string>): string {
  const { base, parameters, fragment } = writtenParts(url);
  const shownBase = base.replace(USER_INFO, (_, scheme: string, userInfo: string) => {
    const secret = hiddenUserInfo(userInfo);
    return `${scheme}${userInfo.slice(0, userInfo.length - secret.length)}${MASK}@`;
  });
  const query = parameters === undefined ? '' : `?${parameters.map((parameter) => maskParameter(parameter, keep)).join('&')}`;
  return `${shownBase}${query}${fragment === undefined ? '' : `#${MASK}`}`;
}

/**
 * A URL fit to print: the password of its user info (or a lone user name), the value of every
 * query parameter but the phone's, every bare parameter and the fragment are replaced by `***`,
 * so that a token in a connector URL never reaches a report, a log or an error message. A URL
 * the WHATWG parser accepts is shown as it parses (and as `fetch` sends it: `http:\\h` becomes
 * `http://h/`), with `{refId}` kept readable; a template or a string the parser refuses is
 * masked as written.
 *
 * @example
 * ```ts
 * import { redactUrl } from 'priority-routing-crm';
 * redactUrl('https://crm.example.com/customer?query=phone:{refId}&token=s3cret');
 * // 'https://crm.example.com/customer?query=phone:{refId}&token=***'
 * ```
 */
export function redactUrl(url: string, options: RedactUrlOptions = {}): string {
  if (options.showSecrets === true) return url;
  const keep = keepSet(options.keep);
  return URL.canParse(url) ? redactParsed(new URL(url), keep) : redactWritten(url, keep);
}

/**
 * The parts of `url` that {@link redactUrl} masks, as written and as the parser serializes them
 * (not decoded): the password or lone user name, hidden query values, bare parameters, the
 * fragment. For masking the same secrets where a server or an error message quotes them.
 */
export function urlSecrets(url: string, options: Pick<RedactUrlOptions, 'keep'> = {}): string[] {
  const keep = keepSet(options.keep);
  const forms = URL.canParse(url) ? [url, new URL(url).href] : [url];
  return forms.flatMap((form) => {
    const { base, parameters, fragment } = writtenParts(form);
    const userInfo = USER_INFO.exec(base)?.[2];
    const hidden = (parameters ?? []).filter((parameter) => !isKept(parameter, keep));
    return [
      ...(userInfo === undefined ? [] : [hiddenUserInfo(userInfo)]),
      ...hidden.map((parameter) => parameter.slice(parameter.indexOf('=') + 1)),
      ...(fragment === undefined ? [] : [fragment]),
    ];
  });
}
