/**
 * Writes openapi.yaml from the OpenAPI document the package builds (`npm run openapi`).
 * `--check` writes nothing and exits 1 when the committed file differs, for CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOpenApiYaml } from '../src/openapi/yaml.js';

const target = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const generated = renderOpenApiYaml();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (committed !== generated) {
    console.error('openapi.yaml is out of date with the zod schemas: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.yaml is up to date.');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
