/**
 * globalSetup of both vitest configs: bundles the programs tests start as child processes
 * (see programs.ts) once for the run, and provides where the bundles are.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');

/** The programs started most often, from the repository root; anything else runs through tsx. */
const PROGRAMS = ['src/cli/main.ts', 'test/support/serve-fixture.ts', 'test/repositories/fixtures/use-sql-entry.ts'];

export default async function bundlePrograms(project: TestProject): Promise<() => Promise<void>> {
  // Inside node_modules, so that the bundles' imports of packages resolve from this repository.
  const cache = join(root, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const outdir = await mkdtemp(join(cache, 'prc-test-programs-'));
  await build({
    entryPoints: PROGRAMS.map((file) => join(root, file)),
    outdir,
    outbase: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // .mjs: no package.json above a folder in node_modules says "type": "module".
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  project.provide('programBundles', Object.fromEntries(PROGRAMS.map((file) => [join(root, file), join(outdir, file.replace(/\.ts$/, '.mjs'))])));
  return () => rm(outdir, { recursive: true, force: true });
}
