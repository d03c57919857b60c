/**
 * priority-routing-crm/sql: customers and labels straight from PostgreSQL or MySQL/MariaDB.
 * Imports no driver: pass your own `pg` or `mysql2/promise` pool, or open one from a URL with
 * `openSqlDatabase` (which loads the driver the URL needs).
 *
 * @packageDocumentation
 */
export { createSqlRepository, type SqlRepository, type SqlRepositoryOptions } from './repository.js';
export { SqlMappingSchema, parseSqlMapping, SqlMappingError, type SqlMapping } from './mapping.js';
export type { SqlClient } from './client.js';
export type { SqlDialect } from './dialect.js';
export { DEFAULT_LABEL_COLOR } from './values.js';
export { phoneIndexes, type SqlIndex } from './indexes.js';
export { checkSqlDatabase, type CheckSqlDatabaseOptions, type SqlEngine, type SqlSchemaProblem } from './schema.js';
export {
  openSqlDatabase,
  maskDatabaseUrl,
  redactDatabasePassword,
  type OpenSqlDatabaseOptions,
  type SqlDatabase,
} from './open.js';
// Every repository type: the module holds nothing else.
export type * from '../../core/repository.js';
export type { Customer, Label, CustomerQuery } from '../../contract/types.js';
