import { defineConfig } from 'tsup';

/** Library entries: one per subpath export in package.json. */
const entry = {
  index: 'src/index.ts',
  openapi: 'src/openapi/index.ts',
  node: 'src/adapters/node.ts',
  fetch: 'src/adapters/fetch.ts',
  testing: 'src/testing/index.ts',
  sql: 'src/repositories/sql/index.ts',
  crm: 'src/crm/index.ts',
};

export default defineConfig([
  {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    // zod is a peer: the user's own instance must be the one our schemas belong to.
    external: ['zod', 'openapi3-ts', /^node:/, 'pg', /^mysql2(\/|$)/],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    external: ['zod', 'openapi3-ts', 'pg', /^mysql2(\/|$)/],
  },
]);
