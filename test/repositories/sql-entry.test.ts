import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeArgs } from '../support/programs.js';

const HIDE = new URL('./fixtures/hide-drivers.mjs', import.meta.url).pathname;
const SCRIPT = new URL('./fixtures/use-sql-entry.ts', import.meta.url).pathname;

function run(hidden: string, urls: string[], lookup = false): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', HIDE, ...nodeArgs(SCRIPT), ...urls], {
    env: { ...process.env, PRC_HIDE_DRIVERS: hidden, PRC_LOOKUP: lookup ? '1' : '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the priority-routing-crm/sql entry', () => {
  it('loads and serves a lookup with neither driver installed, and says which driver a URL needs', { timeout: 60_000 }, async () => {
    const { code, output } = await run('pg,mysql2', ['postgres://crm:pw@127.0.0.1:1/crm', 'mariadb://crm:pw@127.0.0.1:1/crm'], true);
    expect(output).toContain('found 7');
    expect(output).toContain('refused: the pg package is needed for postgres:// URLs and priority-routing-crm cannot load it: in a project, npm install pg; with a global install');
    expect(output).toContain('refused: the mysql2 package is needed for mariadb:// URLs and priority-routing-crm cannot load it: in a project, npm install mysql2; with a global install (npm install --global priority-routing-crm), npm install --global mysql2; or run it without installing: npx -p priority-routing-crm -p mysql2 priority-routing-crm …');
    expect(output).not.toContain(':pw@');
    expect(code).toBe(0);
  });

  it('opens a PostgreSQL URL without mysql2, and a MySQL URL without pg', { timeout: 60_000 }, async () => {
    const [postgres, mysql] = await Promise.all([run('mysql2', ['postgresql://crm:pw@127.0.0.1:1/crm']), run('pg', ['mysql://crm:pw@127.0.0.1:1/crm'])]);
    expect(postgres.output).toContain('opened postgres');
    expect(mysql.output).toContain('opened mysql');
  });
});
