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
    // The command is a program, not a library: nothing hands it a zod schema, so it may carry its
    // own copy. zod and libphonenumber-js are ESM packages of many small files (about 95 and 72
    // modules on `serve`'s start path, with zod's 64 locales and JSON-Schema code); bundled, they
    // are tree-shaken into a few chunks, which takes about a third off `serve`'s start-up CPU
    // (bench/README.md, "Start-up"). `import * as z` keeps zod shakable (`import { z }` pulls in
    // every export). The other dependencies are CommonJS or loaded only where used.
    noExternal: [/^zod(\/|$)/, /^libphonenumber-js(\/|$)/],
    external: ['openapi3-ts', 'pg', /^mysql2(\/|$)/],
  },
]);
