/**
 * Freezes `value` and every object and array under it, and returns it. Exported data is shared
 * by every importer in the process, so none of them may change it for the others.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
