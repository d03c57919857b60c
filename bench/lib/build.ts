import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['index.js', 'node.js', 'fetch.js', 'openapi.js', 'sql.js', 'cli.js'];

function newestInside(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` unless `dist/` is newer than every source file: the benchmarks measure
 * the built package, so a fresh clone needs only `npm ci && npm run bench`.
 */
export function ensureBuilt(): void {
  const built = ENTRIES.map((file) => join(root, 'dist', file));
  const sources = Math.max(newestInside(join(root, 'src')), ...['package.json', 'tsup.config.ts'].map((file) => statSync(join(root, file)).mtimeMs));
  if (built.every(existsSync) && Math.min(...built.map((file) => statSync(file).mtimeMs)) > sources) return;
  console.error('dist/ is missing or older than src/: running npm run build');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${String(result.status)})`);
}
