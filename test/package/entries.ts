/** Every public entry of the package (a subpath of package.json `exports`) and its source file. */
export const entries = {
  'priority-routing-crm': 'src/index.ts',
  'priority-routing-crm/node': 'src/adapters/node.ts',
  'priority-routing-crm/fetch': 'src/adapters/fetch.ts',
  'priority-routing-crm/sql': 'src/repositories/sql/index.ts',
  'priority-routing-crm/crm': 'src/crm/index.ts',
  'priority-routing-crm/openapi': 'src/openapi/index.ts',
  'priority-routing-crm/testing': 'src/testing/index.ts',
} as const;

export type EntryName = keyof typeof entries;

/**
 * The entry's module, loaded from source. The path is only known at run time, which vite's
 * static import analysis cannot follow: `@vite-ignore` leaves it to vitest's runtime resolution
 * (the module is transformed all the same) instead of a warning on every run.
 */
export const loadEntry = (entry: EntryName): Promise<Record<string, unknown>> => import(/* @vite-ignore */ new URL(`../../${entries[entry]}`, import.meta.url).href);
