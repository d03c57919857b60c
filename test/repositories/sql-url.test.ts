import { describe, expect, it } from 'vitest';
import { openSqlDatabase } from '../../src/repositories/sql/index.js';

describe('openSqlDatabase reads a database URL without ever quoting what it cannot parse', () => {
  it.each([
    ['postgres://crm:Summer@2024#!@db.local:5432/crm', ['Summer', '2024', 'db.local']],
    ['postgres://crm:Hidden#2024@db.local/crm', ['Hidden', '2024']],
    ['mysql://crm:Hid/den@db.local/crm', ['Hid/', 'den@']],
    ['mariadb://crm:1234?Hidden@db.local/crm', ['Hidden', '1234']],
  ])('%s: a TypeError saying to percent-encode, naming no part of it as a host', async (url, parts) => {
    const error = await openSqlDatabase(url).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    const { message } = error as TypeError;
    expect(message).toContain('must be percent-encoded (@ as %40, # as %23, / as %2F, ? as %3F, : as %3A, % as %25, a space as %20)');
    expect(message).toContain('or leave the password out of the URL and pass it in the password option');
    for (const part of parts) expect(message.replace(/\(@ as %40.*%20\)/, '')).not.toContain(part);
  });

  it('names only the scheme of an unsupported URL', async () => {
    await expect(openSqlDatabase('redis://u:Hidden@cache.local/0')).rejects.toThrow(/^unsupported database URL scheme "redis:"; expected postgres:\/\/, postgresql:\/\/, mysql:\/\/ or mariadb:\/\/$/);
    await expect(openSqlDatabase('Hidden text')).rejects.toThrow(/^not a database URL \(expected postgres/);
  });

  it('takes the password apart from a URL without one (masked nowhere since absent), refuses it twice, and opens a PostgreSQL Unix-socket URL', async () => {
    const separate = await openSqlDatabase('postgres://crm@127.0.0.1:1/crm', { password: 'p@ss#word' });
    expect(separate.safeUrl).toBe('postgres://crm@127.0.0.1:1/crm');
    expect(separate.host).toBe('127.0.0.1:1');
    await separate.close();
    await expect(openSqlDatabase('postgres://crm:inline@127.0.0.1/crm', { password: 'other' })).rejects.toThrow('the database URL has a password and a password was given separately too');
    const socket = await openSqlDatabase('postgresql://crm:pw@/crm?host=/var/run/postgresql');
    expect(socket.host).toBe('/var/run/postgresql');
    expect(socket.safeUrl).toBe('postgresql://crm:***@/crm?host=/var/run/postgresql');
    await socket.close();
  });
});
