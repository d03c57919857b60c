// Preloaded with `node --import` by tests of the CLI's start-up cost: at exit, writes to stderr
// which of the packages named in PRC_TEST_WATCH_PACKAGES (comma-separated) the process loaded.
// pino and prom-client are CommonJS, so loading them from ESM still fills require.cache; a
// Node built-in (`node:tls`) is named in process.moduleLoadList (undocumented, but there since
// Node's first releases) once loaded.
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const watched = (process.env.PRC_TEST_WATCH_PACKAGES ?? '').split(',').filter(Boolean);
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const builtins = new Set(process.moduleLoadList);
  const loaded = watched.filter((name) =>
    name.startsWith('node:') ? builtins.has(`NativeModule ${name.slice('node:'.length)}`) : files.some((file) => file.includes(`/node_modules/${name}/`)),
  );
  process.stderr.write(`\nloaded packages: ${JSON.stringify(loaded)}\n`);
});
