import { escapeUnsafe } from './escape.js';
import { MASK, urlSecrets, type RedactUrlOptions } from './redact.js';

// Shorter values would mask innocent words; a real credential is longer.
const MIN_SECRET_LENGTH = 4;

/**
 * `decodeURIComponent`, or the text as it is when it is not valid percent-encoding.
 */
export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Base64 of the UTF-8 bytes of `text`, without Node's `Buffer`: the `Authorization: Basic` value.
 */
export function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(''));
}

/**
 * The `user:password` that `exchange` sends as `Authorization: Basic` for a URL's user info
 * (percent-decoded), or `undefined` when the URL has none or does not parse.
 */
export function basicCredentials(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const { username, password } = new URL(url);
  return username === '' && password === '' ? undefined : `${decodeComponent(username)}:${decodeComponent(password)}`;
}

const encodeComponent = (text: string): string[] => {
  try {
    const encoded = encodeURIComponent(text);
    return [encoded, encoded.replaceAll('%20', '+')];
  } catch {
    return []; // a lone surrogate: no URL carries it encoded
  }
};

/**
 * The forms a text takes once quoted into a sentence before masking: inside `JSON.stringify`'s
 * quotes (`"` as `\"`, `\` as `\\`, a line feed as `\n`) and with every control character
 * as its `\u000a` escape (how the checker keeps a connector's text on one line).
 */
export function quotedForms(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  return [json, escapeUnsafe(text), escapeUnsafe(json)];
}

// Every form a server or an error message may quote: as given, trimmed (undici trims header
// values), percent-decoded, form-decoded (`+` as a space), each of these percent-encoded again
// (spaces as %20 or +), and each of all these quoted (`pa"ss` as `pa\"ss`): a rule that puts a
// connector's text in quotes does so before the report is masked.
const forms = (secret: string): string[] => {
  const decoded = decodeComponent(secret);
  const plain = [secret, secret.trim(), decoded, decodeComponent(secret.replaceAll('+', ' ')), decoded.trim()];
  const all = [...plain, ...plain.flatMap(encodeComponent)];
  return [...all, ...all.flatMap(quotedForms)];
};

// `scheme credentials`, as in `Authorization` (RFC 9110 auth-scheme: a token).
const AUTH_SCHEME = /^\s*([!#$%&'*+.^_`|~\w-]+)\s+(\S(?:.*\S)?)\s*$/s;

/** `user:password` of a Basic credential, or `undefined` when it is not base64 of one. */
function decodeBasic(credential: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(credential), (character) => character.charCodeAt(0));
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return decoded.includes(':') ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The secrets in one header value: the whole value and, after any auth scheme (`Bearer x`,
 * `Token x`, `Basic x`, …), the credential alone; for Basic also the decoded `user:password`
 * and the password alone.
 */
export function headerSecrets(value: string): string[] {
  const match = AUTH_SCHEME.exec(value);
  if (match === null) return [value];
  const [, scheme, credential] = match as unknown as [string, string, string];
  const basic = scheme.toLowerCase() === 'basic' ? decodeBasic(credential) : undefined;
  return [value, credential, ...(basic === undefined ? [] : [basic, basic.slice(basic.indexOf(':') + 1)])];
}

/** `text` matched literally inside a regular expression. Internal to the package. */
export const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * Where the secrets of a run are: the headers sent (every value is one) and the URLs with what
 * of them stays visible (`keep`, as in {@link redactUrl}).
 */
export interface SecretSources {
  headers?: Readonly<Record<string, string>>;
  urls?: ReadonlyArray<{ url: string; keep?: RedactUrlOptions['keep'] }>;
}

/**
 * A function that replaces every known secret in a text by `***`, in any case: header values
 * (whole, and the credential after an auth scheme; for Basic also `user:password` and the
 * password alone), the parts of each URL that {@link redactUrl} masks and the Basic credentials
 * made from user info (decoded and in base64); each as given, trimmed, decoded and
 * percent-encoded. For text a server or an error message wrote, which may echo what was sent.
 * Values under 4 characters are left alone.
 */
export function secretMasker(sources: SecretSources): (text: string) => string {
  const secrets = new Set<string>();
  const add = (secret: string) => {
    for (const form of forms(secret)) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
  };
  for (const value of Object.values(sources.headers ?? {})) for (const secret of headerSecrets(value)) add(secret);
  for (const { url, keep } of sources.urls ?? []) {
    for (const secret of urlSecrets(url, keep === undefined ? {} : { keep })) add(secret);
    const credentials = basicCredentials(url);
    if (credentials !== undefined) for (const secret of [credentials, base64(credentials)]) add(secret);
  }
  if (secrets.size === 0) return (text) => text;
  // Longest first, so that `Bearer abc1` goes as a whole before `abc1` is found in it; in any
  // case, since a media type or a header name may come back lower-cased.
  const pattern = new RegExp([...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gi');
  const lowered = [...secrets].map((secret) => secret.toLowerCase());
  return (text) => maskCutSecrets(text.replace(pattern, MASK), lowered);
}

// What a message cut short ends with (`describeValue`, a problem's detail, a CRM's error line).
const CUT = '…';

/**
 * The start of a secret that a cut left just before `…`: a value is often shortened to fit a
 * sentence before the whole message is masked, and then the secret no longer appears whole.
 * Prefixes under 4 characters stay, as short secrets do.
 */
function maskCutSecrets(text: string, secrets: readonly string[]): string {
  let end = text.indexOf(CUT);
  while (end !== -1) {
    const before = text.slice(0, end).toLowerCase();
    let longest = 0;
    for (const secret of secrets) {
      for (let length = Math.min(secret.length - 1, end); length > longest && length >= MIN_SECRET_LENGTH; length--) {
        if (before.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    if (longest > 0) text = `${text.slice(0, end - longest)}${MASK}${text.slice(end)}`;
    end = text.indexOf(CUT, end - longest + (longest > 0 ? MASK.length : 0) + 1);
  }
  return text;
}
