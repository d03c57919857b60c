const encoder = new TextEncoder();

/**
 * Compares a received secret with an expected one in time that depends only on the received
 * value's length, so that a caller cannot find the secret byte by byte by timing answers. Works
 * in every runtime (no `node:crypto`).
 */
export function timingSafeEqualString(received: string, expected: string): boolean {
  const given = encoder.encode(received);
  const secret = encoder.encode(expected);
  if (secret.length === 0) return false;
  let difference = given.length ^ secret.length;
  // Always walk the received bytes against the secret (wrapping), so a short guess takes as
  // long as any other guess of its length and the secret's length never shapes the loop.
  for (let index = 0; index < given.length; index++) {
    difference |= (given[index] as number) ^ (secret[index % secret.length] as number);
  }
  return difference === 0;
}

/**
 * True when `received` equals any of `expected`. Every candidate is compared, so the time taken
 * does not reveal which one (if any) matched: several secrets can be live during a rotation.
 */
export function matchesAnySecret(received: string, expected: readonly string[]): boolean {
  let matched = false;
  for (const secret of expected) matched = timingSafeEqualString(received, secret) || matched;
  return matched;
}
