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
