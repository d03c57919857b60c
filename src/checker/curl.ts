import { MASK } from '../redaction/redact.js';

/**
 * What {@link toCurl} needs to rebuild a request.
 */
export interface CurlRequest {
  method: string;
  url: string;
  /** Headers shown as they are (a content type). */
  headers?: Readonly<Record<string, string>>;
  /** Headers that may be credentials: masked unless `showSecrets`. */
  secretHeaders?: Readonly<Record<string, string>>;
  body?: string;
}

/**
 * Quotes one word for a POSIX shell, leaving plain words as they are.
 */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}


/**
 * A curl command that sends the request again, quoted for a POSIX shell. `-g` keeps curl from
 * reading `[]{}` in the URL as globs. The values of `secretHeaders` are replaced by {@link MASK}
 * unless `showSecrets` is set, so that reports can be shared.
 */
export function toCurl(request: CurlRequest, options: { showSecrets?: boolean } = {}): string {
  const words = ['curl', '-sS', '-g', '-i'];
  if (request.method !== 'GET') words.push('-X', shellQuote(request.method));
  words.push(shellQuote(request.url));
  for (const [name, value] of Object.entries(request.secretHeaders ?? {})) {
    words.push('-H', shellQuote(`${name}: ${options.showSecrets === true ? value : MASK}`));
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) words.push('-H', shellQuote(`${name}: ${value}`));
  if (request.body !== undefined) words.push('--data-raw', shellQuote(request.body));
  return words.join(' ');
}
