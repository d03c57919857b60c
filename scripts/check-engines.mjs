// Fails when a package that `npm ci` installs does not support the running Node: what npm only
// warns about (EBADENGINE), so that a new dependency cannot quietly need a newer Node than CI's.
// Optional packages are skipped: npm leaves one out when its engines do not fit.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const semver = createRequire(import.meta.url)('semver');
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const node = process.versions.node;
const unsupported = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && !entry.optional && entry.engines?.node && !semver.satisfies(node, entry.engines.node))
  .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${entry.engines.node}`);
if (unsupported.length > 0) {
  console.error(`Node ${node} is not supported by:\n  ${unsupported.join('\n  ')}\nPin versions that support it (package.json overrides).`);
  process.exit(1);
}
console.log(`every installed package supports Node ${node}`);
