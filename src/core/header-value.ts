/**
 * Header values the connector sends from operator input (options, `authenticate` challenges)
 * are checked here: `node:http`'s `writeHead` throws on a CR, LF, NUL or a character above
 * U+00FF, and fetch's `Headers` throws too, so an unchecked value would fail at request time.
 * Only tab and printable ASCII are accepted: RFC 9110 leaves bytes above 0x7F (obs-text) to
 * the receiver's guess, and a realm or cache directive never needs one.
 */

const INVALID = /[^\t\x20-\x7e]/;

/**
 * The first character of `value` that cannot be in a header value, as `U+000A` (with the
 * character itself when it is printable), or `undefined` when every character may.
 */
export function invalidHeaderCharacter(value: string): string | undefined {
  const found = INVALID.exec(value);
  if (found === null) return undefined;
  const codePoint = value.codePointAt(found.index) as number;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return /\p{L}|\p{N}|\p{P}|\p{S}/u.test(String.fromCodePoint(codePoint)) ? `${name} (${String.fromCodePoint(codePoint)})` : name;
}

/**
 * Throws a `TypeError` naming `option` and the bad character when `value` cannot be sent as a
 * header value; called when the connector is created, so a typo fails at start.
 */
export function assertHeaderValue(option: string, value: string): void {
  const bad = invalidHeaderCharacter(value);
  if (bad !== undefined) {
    throw new TypeError(`${option} holds ${bad}, which cannot be sent in an HTTP header: use printable ASCII only`);
  }
}
