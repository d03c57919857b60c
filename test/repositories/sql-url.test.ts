import { describe, expect, it } from 'vitest';
import { openSqlDatabase, redactDatabasePassword } from '../../src/repositories/sql/index.js';

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

  it.each([
    ['postgres://', 'the database URL has no host'],
    ['mysql:///crm', 'the database URL has no host'],
    ['postgres://db.local:abc/crm', 'the database URL\'s port (after the host\'s ":") is not a number'],
    ['postgres://[::1]:x/crm', 'the database URL\'s port (after the host\'s ":") is not a number'],
    ['mariadb://crm:pw@db.local:65536/crm', 'the database URL\'s port (after the host\'s ":") is out of range'],
  ])('%s: a TypeError saying what is wrong (%s)', async (url, message) => {
    await expect(openSqlDatabase(url)).rejects.toThrow(message);
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

describe('redactDatabasePassword hides the password where it is a credential, and only there', () => {
  const driverMessage =
    'the mysql2 package is needed for mysql:// URLs and priority-routing-crm cannot load it: in a project, npm install mysql2; or run it without installing: npx -p priority-routing-crm -p mysql2 priority-routing-crm …';

  it.each([
    ['p', 'mysql://u:p@127.0.0.1:1/crm', driverMessage],
    ['1', 'postgres://u:1@127.0.0.1:1/crm', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['postgres', 'postgres://postgres:postgres@db.local/crm', 'password authentication failed for user "postgres"'],
  ])('a short password, or one that is also the user name (%s), leaves the message as the driver wrote it', (_, url, message) => {
    expect(redactDatabasePassword(message, url)).toBe(message);
  });

  it.each([
    ['a URL quoted in the message', 'failed: postgres://crm:s3cret@db/crm', 'postgres://crm:s3cret@db/crm', undefined, 'failed: postgres://crm:***@db/crm'],
    ['a URL with a percent-encoded password', 'at mysql://crm:p%40ss@db/crm', 'mysql://crm:p%40ss@db/crm', undefined, 'at mysql://crm:***@db/crm'],
    ['another URL than the one given', 'postgres://other:x@db/crm refused', 'postgres://crm@db/crm', undefined, 'postgres://other:***@db/crm refused'],
    ['a password= parameter', 'bad option in host=db password=s3cret dbname=crm', 'postgres://crm:s3cret@db/crm', undefined, 'bad option in host=db password=*** dbname=crm'],
    ['an options object as util.inspect writes it', "{ user: 'crm', password: 'p', host: 'db' }", 'postgres://crm:p@db/crm', undefined, "{ user: 'crm', password: '***', host: 'db' }"],
    ['an options object as JSON', '{"user":"crm","password":"p\\"q","host":"db"}', 'postgres://crm@db/crm', undefined, '{"user":"crm","password":"***","host":"db"}'],
    ['the URL password quoted whole, percent-decoded', 'rejected "p@ss"', 'postgres://crm:p%40ss@db/crm', undefined, 'rejected "***"'],
    ['a password given apart from the URL, quoted whole', "unknown secret 'a b' for crm", 'postgres://crm@db/crm', 'a b', "unknown secret '***' for crm"],
  ])('%s', (_, text, url, password, expected) => {
    expect(redactDatabasePassword(text, url, password)).toBe(expected);
  });
});
