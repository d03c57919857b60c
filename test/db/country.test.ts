import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SqlClient } from '../../src/repositories/sql/index.js';
import { createScratchDatabase, type Engine } from '../support/db-servers.js';
import { COUNTRY_SCHEMA, describeCountryColumn } from '../support/sql-country-cases.js';

// The PGlite cases of test/repositories/sql-country.test.ts on the real servers of scripts/db-servers.sh.
async function open(engine: Engine) {
  const scratch = await createScratchDatabase(engine);
  for (const statement of COUNTRY_SCHEMA) await scratch.exec(statement);
  const client: SqlClient & { end(): Promise<void> } =
    engine === 'postgres' ? new pg.Pool({ connectionString: scratch.url, max: 2 }) : mysql.createPool({ uri: scratch.url, connectionLimit: 2 });
  return {
    client,
    close: async () => {
      await client.end();
      await scratch.drop();
    },
  };
}

describeCountryColumn('the SQL mapping customers.country on PostgreSQL (pg Pool)', () => open('postgres'));
describeCountryColumn('the SQL mapping customers.country on MariaDB (mysql2/promise Pool)', () => open('mariadb'));
