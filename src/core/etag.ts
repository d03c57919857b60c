const encoder = new TextEncoder();

/**
 * A strong entity tag for a serialized body: the first 128 bits of its SHA-256, base64url, in
 * quotes. Web Crypto, so it runs in every runtime.
 */
export async function strongEtag(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(body)));
  let binary = '';
  for (let index = 0; index < 16; index++) binary += String.fromCharCode(digest[index] as number);
  return `"${btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}"`;
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Whether an `If-None-Match` header matches `etag`, with the weak comparison RFC 9110 §13.1.2
 * prescribes: `*` matches any current representation, `W/"x"` matches `"x"`, and a list matches
 * when any member does.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const wanted = opaque(etag);
  for (const member of header.split(',')) {
    const tag = member.trim();
    if (tag === '*' || opaque(tag) === wanted) return true;
  }
  return false;
}
