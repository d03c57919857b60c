import type { PGlite } from '@electric-sql/pglite';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CountryCode } from '../../src/contract/phone-keys.js';
import { openDatabaseRepository } from '../../src/cli/serve/database.js';
import { createPglite, crmMapping, servePglite } from '../support/pglite.js';
import { spawnServe, stopServes } from '../support/serve-process.js';

let db: PGlite;
let served: Awaited<ReturnType<typeof servePglite>>;
let folder: string;
let mappingFile: string;

beforeAll(async () => {
  db = await createPglite();
  served = await servePglite(db);
  folder = await mkdtemp(join(tmpdir(), 'prc-serve-close-'));
  mappingFile = join(folder, 'mapping.json');
  await writeFile(mappingFile, JSON.stringify(crmMapping));
});
afterAll(async () => {
  await served.stop();
  await db.close();
  await rm(folder, { recursive: true, force: true });
});
afterEach(() => stopServes());

/**
 * Resolves once the PostgreSQL server holds no client connection; rejects after 3 s, far below
 * the pool's 10 s idle timeout, which would otherwise be what closed it.
 */
async function noConnectionLeft(): Promise<void> {
  const deadline = Date.now() + 3000;
  while (served.connections() > 0) {
    if (Date.now() > deadline) throw new Error(`${served.connections()} connection(s) still open on the server`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("serve --database: a start that fails once connected lets go of the database pool at once", () => {
  it('a failure after the pool opened (here the repository refusing its default country) closes the pool before it is thrown: the server holds no connection', async () => {
    // What the server counts: an opened repository holds a connection until closed.
    const opened = await openDatabaseRepository(served.url(), mappingFile, { defaultCountry: 'PK' });
    expect(served.connections()).toBeGreaterThan(0);
    await opened.close();
    await noConnectionLeft();

    // The CLI checks the country before connecting; a caller that does not meets the repository's own check, after connecting.
    await expect(openDatabaseRepository(served.url(), mappingFile, { defaultCountry: 'ZZ' as CountryCode })).rejects.toThrow(RangeError);
    await noConnectionLeft();
  });

  it('a mapping that does not match the schema (found after connecting) exits 1 at once naming what is missing, never after the pool idle timeout', async () => {
    const wrong = join(folder, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ ...crmMapping, customers: { ...crmMapping.customers, email: 'e_mail' } }));
    const run = spawnServe(['--port', '0', '--mapping', wrong, '--database-wait', '0'], { env: { DATABASE_URL: served.url() } });
    // Well before the pool's 10 s idle timeout: a connection left open would hold the process that long.
    const exited = await Promise.race([run.exit, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 6000))]);
    expect(exited).toBe(1);
    expect(run.stderr()).toContain(`--mapping ${wrong} does not match the database at 127.0.0.1:`);
    expect(run.stderr()).toContain('e_mail');
  }, 20_000);
});
