/**
 * vitest.db.config.ts's global setup: the real-server suite fails at once, never skips, when it
 * is run without the servers of scripts/db-servers.sh.
 */
export default function requireServers(): void {
  const missing = ['PRC_TEST_POSTGRES_URL', 'PRC_TEST_MYSQL_URL', 'PRC_TEST_DB_DIR'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: run the database tests with \`npm run test:db\` (scripts/db-servers.sh starts PostgreSQL and MariaDB and sets them)`);
  }
}
