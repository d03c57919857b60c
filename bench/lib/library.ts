import { fileURLToPath } from 'node:url';

/**
 * The package as users get it: the built `dist/` files, not `src/` run through tsx (whose
 * `keepNames` wraps every closure in a `__name(…)` call and would bill us for it). Imported by
 * computed URL so that type-checking `bench/` never needs a build; the types come from `src/`.
 */
export const distDirectory = fileURLToPath(new URL('../../dist/', import.meta.url));

const load = <T>(file: string): Promise<T> => import(new URL(`../../dist/${file}`, import.meta.url).href) as Promise<T>;

/** `priority-routing-crm` (the main entry) from `dist/index.js`. */
export const loadMain = () => load<typeof import('../../src/index.js')>('index.js');

/** `priority-routing-crm/node` from `dist/node.js`. */
export const loadNode = () => load<typeof import('../../src/adapters/node.js')>('node.js');

/** `priority-routing-crm/sql` from `dist/sql.js`. */
export const loadSql = () => load<typeof import('../../src/repositories/sql/index.js')>('sql.js');

/** `priority-routing-crm/crm` from `dist/crm.js`. */
export const loadCrm = () => load<typeof import('../../src/crm/index.js')>('crm.js');
