/**
 * The TypeScript programs tests run as child processes (the CLI, the `serve` fixture), bundled
 * once per test run instead of compiled by tsx in every child.
 *
 * Started through tsx, each child spent about 0.5 s of CPU on the loader, an esbuild service and
 * resolving some hundred source files before doing anything; the suite starts well over a hundred of
 * them. bundle-programs.ts (a `globalSetup` of both vitest configs) builds the programs it lists with
 * esbuild the way tsup builds `dist/cli.js` (packages left external, code split so that lazy
 * imports stay lazy), into a folder of this run; {@link nodeArgs} then runs the bundle. A file
 * not in the list, or a run without the setup, falls back to tsx.
 */
import { resolve } from 'node:path';
import { inject } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute source path → absolute path of its bundle, for this run. */
    programBundles: Record<string, string>;
  }
}

/**
 * The `node` arguments that run the TypeScript program `file` (absolute, or from the repository
 * root): its bundle when this run built one, else the file through tsx.
 */
export function nodeArgs(file: string): string[] {
  const bundle = (inject('programBundles') ?? {})[resolve(root, file)];
  return bundle === undefined ? ['--import', 'tsx', file] : [bundle];
}
