const MAX_TIMER = 2_147_483_647;

/**
 * `value`, or `fallback` when it is left out; a `RangeError` naming the option when it is not a
 * whole number from `min` up to what a timer can wait. Wrappers are built at start-up, so a wrong
 * option stops the process there instead of misbehaving under load.
 */
export function wholeNumberOption(name: string, value: number | undefined, fallback: number, min = 0): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < min || chosen > MAX_TIMER) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${MAX_TIMER}, got ${String(value)}`);
  }
  return chosen;
}

/**
 * Throws a `TypeError` naming the wrapper when `repository` lacks either method: a wrapper is
 * built at start-up, so the mistake shows there rather than at the first chat.
 */
export function checkRepository(wrapper: string, repository: unknown): void {
  const candidate = repository as { findCustomerByPhone?: unknown; listLabels?: unknown } | null | undefined;
  if (typeof candidate?.findCustomerByPhone !== 'function' || typeof candidate.listLabels !== 'function') {
    throw new TypeError(`${wrapper} needs a repository with findCustomerByPhone and listLabels functions`);
  }
}
