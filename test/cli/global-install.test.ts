import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/listen.js';
import { cleanEnv } from '../support/serve-process.js';

const ROOT = new URL('../../', import.meta.url).pathname;

let prefix: string;
let main: string;
let mapping: string;

/**
 * `npm install --global priority-routing-crm` as npm lays it out, without the optional driver:
 * `<prefix>/lib/node_modules/priority-routing-crm` with its dependencies (and the zod peer) in
 * its own node_modules, and `pg` nowhere Node looks from there. The sources run through tsx,
 * so no build is needed; every dependency is a link to this checkout's copy.
 */
beforeAll(async () => {
  prefix = await mkdtemp(join(tmpdir(), 'prc-global-'));
  const pkg = join(prefix, 'lib', 'node_modules', 'priority-routing-crm');
  await cp(join(ROOT, 'src'), join(pkg, 'src'), { recursive: true });
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
  await writeFile(join(pkg, 'package.json'), JSON.stringify(manifest));
  const installed = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)].filter((name) => name !== 'pg' && name !== 'mysql2');
  for (const name of installed) {
    const target = join(pkg, 'node_modules', name);
    await mkdir(join(target, '..'), { recursive: true });
    await symlink(await realpath(join(ROOT, 'node_modules', name)), target, 'dir');
  }
  main = join(pkg, 'src', 'cli', 'main.ts');
  mapping = join(prefix, 'mapping.json');
  await writeFile(mapping, JSON.stringify({ customers: { table: 'contacts', id: 'id', phones: ['mobile'] }, labels: { table: 'tags', id: 'id', name: 'name' } }));
});
afterAll(() => rm(prefix, { recursive: true, force: true }));

/** `priority-routing-crm serve` of the global install against a database nobody listens on. */
async function serveGlobal(): Promise<{ code: number | null; stderr: string; port: number }> {
  const port = await closedPort();
  const env = cleanEnv({ DATABASE_URL: `postgres://crm@127.0.0.1:${port}/crm` });
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--port', '0', '--database-wait', '0', '--mapping', mapping], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr, port };
}

describe('a global install with a database', () => {
  it('says what works for a global install when the driver is missing, and that advice (the driver installed globally, beside it) works', async () => {
    const missing = await serveGlobal();
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('the pg package is needed for postgres:// URLs and priority-routing-crm cannot load it: in a project, npm install pg;');
    expect(missing.stderr).toContain('with a global install (npm install --global priority-routing-crm), npm install --global pg;');
    expect(missing.stderr).toContain('or run it without installing: npx -p priority-routing-crm -p pg priority-routing-crm …');

    // What `npm install --global pg` (or npx -p …, which puts both in one node_modules) does: pg beside the package.
    await symlink(await realpath(join(ROOT, 'node_modules', 'pg')), join(prefix, 'lib', 'node_modules', 'pg'), 'dir');
    const found = await serveGlobal();
    expect(found.code).toBe(1);
    expect(found.stderr).toContain(`cannot connect to the database at 127.0.0.1:${found.port}`);
    expect(found.stderr).not.toContain('package is needed');
  }, 60_000);
});
