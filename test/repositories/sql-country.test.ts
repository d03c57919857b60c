import { createPglite } from '../support/pglite.js';
import { COUNTRY_SCHEMA, describeCountryColumn } from '../support/sql-country-cases.js';

describeCountryColumn('the SQL mapping customers.country over PostgreSQL (PGlite)', async () => {
  const db = await createPglite(COUNTRY_SCHEMA.join(';\n'));
  return { client: db, close: () => db.close() };
});
