import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountryCode } from '../../src/contract/phone-keys.js';
import { openDatabaseRepository } from '../../src/cli/serve/database.js';
import type { Engine } from '../support/db-servers.js';
import { createCrmDatabase, type CrmDatabase } from '../support/sql-backends.js';

// test/cli/serve-database-close.test.ts on the real servers, counting the connections each server holds for a user of this test alone.
describe.each(['postgres', 'mariadb'] as const)("serve --database on %s: a start that fails once connected lets go of the pool at once", (engine: Engine) => {
  let database: CrmDatabase;
  let folder: string;
  beforeAll(async () => {
    database = await createCrmDatabase(engine);
    folder = await mkdtemp(join(tmpdir(), 'prc-pool-close-'));
  });
  afterAll(async () => {
    await database.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** The connections the server holds for `user`, as the server itself lists them. */
  const connectionsOf = async (user: string) => {
    const rows =
      engine === 'postgres'
        ? await database.exec('SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1', [user])
        : await database.exec('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
    return Number(rows[0]?.n);
  };
  /** Resolves once the server holds no connection of `user`; rejects after 3 s, far below the pool's 10 s idle timeout. */
  const noConnectionOf = async (user: string) => {
    const deadline = Date.now() + 3000;
    while ((await connectionsOf(user)) > 0) {
      if (Date.now() > deadline) throw new Error(`${await connectionsOf(user)} connection(s) of ${user} still open on the server`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('a failure after the pool opened (the repository refusing its default country) closes the pool before it is thrown', async () => {
    const mappingFile = join(folder, 'mapping.json');
    await writeFile(mappingFile, JSON.stringify(database.mapping));
    const url = await database.selectOnlyUrl();
    const user = decodeURIComponent(new URL(url).username);

    // What the server counts: an opened repository holds a connection until closed.
    const opened = await openDatabaseRepository(url, mappingFile, { defaultCountry: 'PK' });
    expect(await connectionsOf(user)).toBeGreaterThan(0);
    await opened.close();
    await noConnectionOf(user);

    await expect(openDatabaseRepository(url, mappingFile, { defaultCountry: 'ZZ' as CountryCode })).rejects.toThrow(RangeError);
    await noConnectionOf(user);
  });
});
