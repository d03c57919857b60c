import { createCrmDatabase } from '../support/sql-backends.js';
import { describeSqlRepository } from '../support/sql-repository-cases.js';

// The same cases as the PGlite suite, on the real servers of scripts/db-servers.sh.
describeSqlRepository('createSqlRepository on PostgreSQL (pg Pool)', () => createCrmDatabase('postgres'));
describeSqlRepository('createSqlRepository on MariaDB (mysql2/promise Pool)', () => createCrmDatabase('mariadb'));
