import type { SqlRunner } from './client.js';
import { toText } from './values.js';

/** The user the runner connects as, as a GRANT names it: `reader` (PostgreSQL), `'reader'@'10.0.0.%'` (MySQL/MariaDB). */
export async function grantee(runner: SqlRunner): Promise<string> {
  const [row] = await runner.run(runner.dialect === 'postgres' ? 'SELECT current_user AS name' : 'SELECT CURRENT_USER() AS name', []);
  const name = toText(row?.name);
  if (runner.dialect === 'postgres') return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
  const at = name.lastIndexOf('@');
  return at === -1 ? `'${name}'` : `'${name.slice(0, at)}'@'${name.slice(at + 1)}'`;
}
