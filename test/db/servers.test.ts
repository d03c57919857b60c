import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverUrl } from '../support/db-servers.js';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/db-servers.sh', import.meta.url).pathname;

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('scripts/db-servers.sh', () => {
  it('runs PostgreSQL as its own user and both servers on 127.0.0.1 only, inside its temporary folder', async () => {
    const folder = process.env.PRC_TEST_DB_DIR ?? '';
    expect(folder).toMatch(/prc-db\./);

    const client = new pg.Client({ connectionString: serverUrl('postgres').toString() });
    await client.connect();
    const { rows } = await client.query<{ listen: string; data: string }>(
      "SELECT current_setting('listen_addresses') AS listen, current_setting('data_directory') AS data",
    );
    await client.end();
    expect(rows[0]).toStrictEqual({ listen: '127.0.0.1', data: `${folder}/pg/data` });
    const postmaster = Number(readFileSync(`${folder}/pg/pid`, 'utf8'));
    expect(uidOf(postmaster)).not.toBe(0);

    const connection = await mysql.createConnection(serverUrl('mariadb').toString());
    const [variables] = await connection.query<mysql.RowDataPacket[]>('SELECT @@bind_address AS bind, @@datadir AS data');
    await connection.end();
    expect(variables[0]).toMatchObject({ bind: '127.0.0.1', data: `${folder}/maria/data/` });
  });

  it("passes the command's exit code through and always stops both servers and removes its folder", async () => {
    // A nested run: the inner command reports its folder and the servers' pids, then fails.
    const inner = 'echo "$PRC_TEST_DB_DIR $(cat "$PRC_TEST_DB_DIR/pg/pid") $(cat "$PRC_TEST_DB_DIR/maria/pid")"; exit 7';
    const outcome = await run('bash', [SCRIPT, 'bash', '-c', inner]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(outcome.code).toBe(7);
    const [folder, pgPid, mariaPid] = outcome.stdout.trim().split(' ');
    expect(folder).toMatch(/prc-db\./);
    expect(folder).not.toBe(process.env.PRC_TEST_DB_DIR);
    expect(existsSync(folder!)).toBe(false);
    expect(alive(Number(pgPid))).toBe(false);
    expect(alive(Number(mariaPid))).toBe(false);
  });

  it('--start leaves a running server alone (its pid file still names it, so --stop and the final cleanup still find it)', async () => {
    const folder = process.env.PRC_TEST_DB_DIR ?? '';
    const before = ['pg', 'maria'].map((name) => readFileSync(`${folder}/${name}/pid`, 'utf8'));
    await run('bash', [SCRIPT, '--start', 'postgres']);
    await run('bash', [SCRIPT, '--start', 'mariadb']);
    expect(['pg', 'maria'].map((name) => readFileSync(`${folder}/${name}/pid`, 'utf8'))).toStrictEqual(before);
    for (const pid of before) expect(alive(Number(pid))).toBe(true);
  });

  it('refuses to run without a command, naming the usage', async () => {
    const error = await run('bash', [SCRIPT]).then(
      () => undefined,
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toMatch(/usage: .*db-servers\.sh COMMAND/);
  });
});
