import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer } from '../../src/index.js';
import { crmMappingFor } from '../support/crm-mapping.js';
import { closedPort } from '../support/listen.js';
import { spawnServe, startJsonServe, stopServes } from '../support/serve-process.js';

afterEach(stopServes);

let dir: string;
/** A valid --mapping file: --print-config reads it, as serve does at start. */
let mappingFile: string;
const mapping = crmMappingFor({ contacts: 'crm.contacts', tags: 'crm.tags', contact_tags: 'crm.contact_tags' });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prc-serve-config-'));
  mappingFile = join(dir, 'mapping.json');
  await writeFile(mappingFile, JSON.stringify(mapping));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function printConfig(args: string[], env: Record<string, string> = {}) {
  const run = spawnServe(['--print-config', ...args], { env });
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('serve configured from the environment only', () => {
  it('takes port, base path and a rotating token from PRC_*: the token guards both routes, not the health checks', async () => {
    const { run, origin, customerQueryUrl, labelsUrl } = await startJsonServe([], {
      env: { PRC_PORT: '0', PRC_BASE_PATH: '/cim', PRC_TOKEN: 'new-token-1,old-token-0' },
    });
    // The banner shows where the token goes, masked, and where the real one is.
    expect(customerQueryUrl).toBe(`${origin}/cim/customer?token=********&query=phone:{refId}`);
    expect(labelsUrl).toBe(`${origin}/cim/label?token=********`);
    expect(run.stdout()).toContain('use the value of PRC_TOKEN');
    expect(run.stdout()).not.toContain('new-token-1');

    const customer = (token: string) => fetch(customerQueryUrl.replace('********', token).replace('{refId}', '1111'));
    expect((await customer('new-token-1')).status).toBe(200);
    expect(await (await customer('old-token-0')).json()).toStrictEqual(sampleCustomer);
    expect((await customer('wrong')).status).toBe(401);
    expect((await fetch(`${origin}/cim/customer?query=phone:1111`)).status).toBe(401);
    expect((await fetch(labelsUrl.replace('********', 'old-token-0'))).status).toBe(200);
    expect((await fetch(`${origin}/cim/label`)).status).toBe(401);

    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    expect((await fetch(`${origin}/metrics`)).status).toBe(200);
    expect(run.stdout()).not.toMatch(/new-token-1|old-token-0/);
  });

  it('takes Basic credentials, a bearer token and an API key from the environment, any of them accepted', async () => {
    const { origin, customerQueryUrl, run } = await startJsonServe([], {
      env: { PORT: '0', PRC_BASIC_AUTH: 'hybrid-chat:pa55:word', PRC_BEARER_TOKEN: 'bearer-1', PRC_API_KEY: 'key-1' },
    });
    expect(customerQueryUrl).toBe(`${origin.replace('://', '://hybrid-chat:********@')}/customer?query=phone:{refId}`);
    const label = (headers: Record<string, string>) => fetch(`${origin}/label`, { headers }).then((response) => response.status);
    expect(await label({ authorization: `Basic ${btoa('hybrid-chat:pa55:word')}` })).toBe(200);
    expect(await label({ authorization: 'Bearer bearer-1' })).toBe(200);
    expect(await label({ 'x-api-key': 'key-1' })).toBe(200);
    expect(await label({ 'x-api-key': 'key-2' })).toBe(401);
    expect(await label({})).toBe(401);
    expect(run.stdout()).not.toMatch(/pa55|bearer-1|key-1/);
  });

  it('refuses credentials on the command line, naming the variable to use instead', async () => {
    for (const [flag, variable] of [['--token', 'PRC_TOKEN'], ['--basic-auth', 'PRC_BASIC_AUTH'], ['--bearer-token', 'PRC_BEARER_TOKEN'], ['--api-key', 'PRC_API_KEY']]) {
      const run = spawnServe([flag!, 'on-the-command-line']);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toContain(`${flag} is not accepted on the command line, where ps shows it: set ${variable}`);
    }
  });
});

describe('serve --print-config', () => {
  it('prints the effective configuration with every secret masked, and where each value came from', async () => {
    const { code, stdout, stderr } = await printConfig(['--base-path', '/flag'], {
      PRC_BASE_PATH: '/env',
      PRC_PORT: '8081',
      PORT: '9999',
      PRC_TOKEN: 'tok-secret-a,tok-secret-b',
      PRC_BASIC_AUTH: 'hc:basic-secret',
      PRC_BEARER_TOKEN: 'bearer-secret',
      PRC_API_KEY: 'api-secret',
      PRC_SHUTDOWN_TIMEOUT: '2500',
      PRC_NO_METRICS: 'true',
    });
    expect(code).toBe(0);
    expect(`${stdout}${stderr}`).not.toMatch(/secret/);
    expect(JSON.parse(stdout)).toStrictEqual({
      port: 8081, // PRC_PORT wins over PORT
      host: '127.0.0.1',
      basePath: '/flag', // the flag wins over PRC_BASE_PATH
      noBreaker: false,
      noMetrics: true,
      logFormat: 'json',
      quiet: false,
      shutdownTimeout: 2500,
      token: ['********', '********'],
      basicAuth: ['hc:********'],
      bearerToken: ['********'],
      apiKey: ['********'],
    });
    expect(stderr).toMatch(/^basePath: --base-path$/m);
    expect(stderr).toMatch(/^port: PRC_PORT$/m);
    expect(stderr).toMatch(/^host: default$/m);
  });

  it('reads a --config file with the same keys, below the environment and the flags', async () => {
    const file = join(dir, 'serve.json');
    await writeFile(file, JSON.stringify({ port: 8443, basePath: '/cim', token: ['file-secret'], quiet: true, logFormat: 'text' }));
    const { code, stdout } = await printConfig(['--config', file, '--log-format', 'json'], { PRC_PORT: '7000' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ port: 7000, basePath: '/cim', token: ['********'], quiet: true, logFormat: 'json' });
    expect(stdout).not.toContain('file-secret');
  });

  it("passes the database, phone and cache options through as plain values, a database URL's password masked", async () => {
    const { code, stdout } = await printConfig(
      ['--default-country', 'pk', '--labels-ttl', '60000', '--mapping', mappingFile, '--no-breaker'],
      { DATABASE_URL: 'postgres://crm:db-secret@127.0.0.1:5432/crm', PRC_CUSTOMERS_TTL: '5000' },
    );
    expect(code).toBe(0);
    expect(stdout).not.toContain('db-secret');
    expect(JSON.parse(stdout)).toMatchObject({
      database: 'postgres://crm:********@127.0.0.1:5432/crm',
      mapping: mappingFile,
      defaultCountry: 'PK',
      labelsTtl: 60000,
      customersTtl: 5000,
      noBreaker: true,
    });
  });

  it.each([
    ['postgres://127.0.0.1:5432/crm?sslmode=disable&password=q-secret', 'postgres://127.0.0.1:5432/crm?sslmode=disable&password=********'],
    ['postgresql://crm:u-secret@/crm?host=/var/run/postgresql', 'postgresql://crm:********@/crm?host=/var/run/postgresql'],
    ['mysql://crm:s%2Fl%23a%3Fsh-secret@db.local/crm', 'mysql://crm:********@db.local/crm'],
  ])('masks the password of %s, wherever the URL holds it', async (url, masked) => {
    const { code, stdout } = await printConfig(['--mapping', mappingFile], { DATABASE_URL: url });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/secret/);
    expect(JSON.parse(stdout).database).toBe(masked);
  });

  it('reads and checks the --mapping file as serve does at start, without connecting: a mapped customers.country without --default-country is refused (exit 2), a bad or missing file too (exit 1)', async () => {
    // Nothing listens at this URL: serve --print-config never connects.
    const env = { DATABASE_URL: `postgres://crm@127.0.0.1:${await closedPort()}/crm` };
    const withCountry = join(dir, 'with-country.json');
    await writeFile(withCountry, JSON.stringify({ ...mapping, customers: { ...mapping.customers, country: 'country_code' } }));
    const refused = await printConfig(['--mapping', withCountry], env);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`--mapping ${withCountry}: customers.country "country_code" is mapped, so the numbers of customers whose "country_code" is empty are read in a default country, and none is set: start with --default-country <CC>`);
    // serve itself refuses it the same way, before connecting.
    const serve = spawnServe(['--mapping', withCountry], { env });
    expect(await serve.exit).toBe(2);
    expect(serve.stderr()).toBe(refused.stderr);

    const given = await printConfig(['--mapping', withCountry, '--default-country', 'PK'], env);
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout)).toMatchObject({ mapping: withCountry, defaultCountry: 'PK' });

    const badKey = join(dir, 'bad-key.json');
    await writeFile(badKey, JSON.stringify({ ...mapping, customers: { ...mapping.customers, phone: ['mobile'] } }));
    const bad = await printConfig(['--mapping', badKey], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`priority-routing-crm: --mapping ${badKey}: invalid mapping:\n  customers.phone: unknown key; did you mean "phones"?\n`);

    const missing = await printConfig(['--mapping', join(dir, 'missing.json')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read --mapping ${join(dir, 'missing.json')}`);
  });

  it('warns when a config file holding secrets is readable by other users, not when it is private', async () => {
    const file = join(dir, 'secrets.json');
    await writeFile(file, JSON.stringify({ token: 'file-secret' }));
    await chmod(file, 0o644);
    const open = await printConfig(['--config', file]);
    expect(open.code).toBe(0);
    expect(open.stderr).toContain(`warning: --config ${file} holds token and other users can read it (mode 644): chmod 600 it`);
    await chmod(file, 0o600);
    const closed = await printConfig(['--config', file]);
    expect(closed.stderr).not.toContain('warning');
  });
});

describe('serve configuration mistakes fail at start, naming the option (exit 2)', () => {
  it.each([
    [{ PRC_PORT: 'eighty' }, [], /PRC_PORT must be a port number from 0 to 65535, got "eighty"/],
    [{ PORT: '-1' }, [], /PORT must be a port number/],
    [{ PRC_LOG_FORMAT: 'xml' }, [], /PRC_LOG_FORMAT must be json or text, got "xml"/],
    [{ PRC_NO_METRICS: 'maybe' }, [], /PRC_NO_METRICS must be true or false/],
    [{ PRC_SHUTDOWN_TIMEOUT: '10s' }, [], /PRC_SHUTDOWN_TIMEOUT must be a whole number of milliseconds/],
    [{ PRC_BASE_PATH: '/a?b' }, [], /--base-path \(PRC_BASE_PATH\) must be a plain path/],
    [{ PRC_TOKEN: 'a,,b' }, [], /PRC_TOKEN: an empty secret is not allowed/],
    [{ PRC_BASIC_AUTH: 'no-colon-secret' }, [], /PRC_BASIC_AUTH must be user:password$/m],
    [{ PRC_DEFAULT_COUNTRY: 'Pakistan' }, [], /PRC_DEFAULT_COUNTRY must be an ISO 3166-1 alpha-2 country code such as PK, GB or US/],
    [{}, ['--tls-cert', 'cert.pem'], /--tls-cert and --tls-key go together/],
    [{ PRC_LABELS_TTL: '-5' }, [], /PRC_LABELS_TTL must be a whole number of milliseconds/],
  ])('%j %j', async (env, args, message) => {
    const run = spawnServe(args, { env });
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).not.toContain('no-colon-secret');
  });

  it('names the key of a bad --config file, and rejects unknown keys', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ port: 'x' }));
    const run = spawnServe(['--config', bad]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain(`--config ${bad} "port" must be a port number`);

    const unknown = join(dir, 'unknown.json');
    await writeFile(unknown, JSON.stringify({ prot: 3000 }));
    const typo = spawnServe(['--config', unknown]);
    expect(await typo.exit).toBe(2);
    expect(typo.stderr()).toContain(`unknown key "prot"`);
  });
});

describe('settings that would vanish silently stop serve at start (exit 2)', () => {
  it.each([
    [{ PRC_TOKEN: '' }, 'PRC_TOKEN is set but empty'],
    [{ PRC_API_KEY: '' }, 'PRC_API_KEY is set but empty'],
    [{ PRC_DATABASE_PASSWORD: ' ' }, 'PRC_DATABASE_PASSWORD is set but empty'],
    [{ PRC_CRM_CLIENT_SECRET: '' }, 'PRC_CRM_CLIENT_SECRET is set but empty'],
    [{ PRC_CHECK_HEADER_AUTHORIZATION: '' }, 'PRC_CHECK_HEADER_AUTHORIZATION is set but empty'],
    // A data source or a country: never the sample data, never numbers read without a country.
    [{ DATABASE_URL: '' }, 'DATABASE_URL is set but empty, and no other data source is given: give it the database URL, or unset it'],
    [{ PRC_DATABASE: '' }, 'PRC_DATABASE is set but empty, and no other data source is given'],
    [{ PRC_DATA: '' }, 'PRC_DATA is set but empty, and no other data source is given: give it the data file, or unset it'],
    [{ PRC_CRM: '' }, 'PRC_CRM is set but empty, and no other data source is given: give it the CRM profile, or unset it'],
    [{ PRC_DEFAULT_COUNTRY: '' }, 'PRC_DEFAULT_COUNTRY is set but empty: give it a country code such as PK, or unset it'],
    [{ PRC_COUNTRY_FIELD: '' }, 'PRC_COUNTRY_FIELD is set but empty'],
  ])('an empty credential, data source or country variable %j is an error, never "none"', async (env, message) => {
    const { code, stdout, stderr } = await printConfig([], env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it.each([
    [['--country-field', 'country'], {}, '--country-field needs --data <file.json>, whose customers carry that field'],
    [['--crm', 'hubspot', '--country-field', 'country'], { PRC_CRM_TOKEN: 't', PRC_CRM_LABEL_PROPERTY: 'tier' }, "--country-field is for --data; a CRM profile reads no country per contact: give --default-country"],
    [['--crm', 'hubspot'], { PRC_CRM_TOKEN: 't', PRC_CRM_LABEL_PROPERTY: 'tier', PRC_COUNTRY_FIELD: 'country' }, '--country-field (PRC_COUNTRY_FIELD) is for --data'],
  ])('a country field nothing would read (%j) is an error, never dropped', async (args, env, message) => {
    const { code, stdout, stderr } = await printConfig(args, env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it.each([
    [['--port', '3011', '--admin-port', '3011'], {}, '--admin-port is 3011, the same port as --port: give the health checks and metrics another port'],
    [['--admin-port', '3000'], {}, '--admin-port is 3000, the same port as --port (default)'],
    [[], { PORT: '8080', PRC_ADMIN_PORT: '8080' }, '--admin-port (PRC_ADMIN_PORT) is 8080, the same port as --port (PORT)'],
  ])('an admin port equal to the port (%j %j) is a usage error naming both, not "already in use"', async (args, env, message) => {
    const { code, stderr } = await printConfig(args, env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('an empty variable is still "unset" where something else gives that option, or where nothing depends on it', async () => {
    const file = join(dir, 'crm.json');
    await writeFile(file, JSON.stringify({ customers: [], labels: [] }));
    const { code, stdout } = await printConfig(['--data', file, '--default-country', 'PK'], { DATABASE_URL: '', PRC_DEFAULT_COUNTRY: '', PORT: '' });
    expect(code).toBe(0);
    expect(stdout).toContain(`"data": ${JSON.stringify(file)}`);
    expect(stdout).toContain('"port": 3000');
  });

  it.each([
    ['PRC_TOKENS', 'PRC_TOKEN'],
    ['PRC_DEFAULT_COUNTY', 'PRC_DEFAULT_COUNTRY'],
    ['PRC_BASEPATH', 'PRC_BASE_PATH'],
    ['PRC_DATABASE_PASSWD', 'PRC_DATABASE_PASSWORD'],
  ])('an unknown %s is an error naming the closest known variable, %s', async (name, closest) => {
    const { code, stderr } = await printConfig([], { [name]: 'value-of-it' });
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown environment variable ${name}; did you mean ${closest}?`);
    expect(stderr).not.toContain('value-of-it');
  });

  it("accepts the variables other commands read (the CRM connectors', check's PRC_CHECK_HEADER_<NAME>)", async () => {
    const { code, stderr } = await printConfig([], { PRC_CRM_BASE_URL: 'https://crm.example', PRC_CRM_TOKEN: 'crm-secret', PRC_CHECK_HEADER_X_API_KEY: 'k' });
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/unknown|empty|crm-secret/);
  });

  it('suggests GB for --default-country UK', async () => {
    const { code, stderr } = await printConfig(['--default-country', 'UK']);
    expect(code).toBe(2);
    expect(stderr).toContain('--default-country must be an ISO 3166-1 alpha-2 country code such as PK, GB or US, got "UK"; did you mean GB?');
  });
});

describe('a --config file never echoes its text and drops nothing (exit 2)', () => {
  it('reports a syntax error by line and column and what was expected, never the text around it', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "port": 8443,\n  "token": s3cret-token-value\n}\n');
    const { code, stderr } = await printConfig(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--config ${file} is not valid JSON: line 3, column 12: expected a value`);
    expect(stderr).not.toMatch(/s3cret|token-value/);
  });

  it('reports an unterminated string by position, without its content', async () => {
    const file = join(dir, 'unterminated.json');
    await writeFile(file, '{"token": "s3cret-token-value');
    const { code, stderr } = await printConfig(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('line 1, column 11: expected the closing " of a string');
    expect(stderr).not.toContain('s3cret');
  });

  it.each([
    ['{"__proto__": {"token": "proto-secret"}}', 'reserved key "__proto__"'],
    ['{"port": 0, "token": ["a", {"__proto__": {"x": 1}}]}', 'reserved key "token"[1]."__proto__"'],
    ['{"constructor": {"prototype": {}}}', 'reserved key "constructor"'],
  ])('refuses %s, naming the key', async (text, message) => {
    const file = join(dir, 'proto.json');
    await writeFile(file, text);
    const { code, stdout, stderr } = await printConfig(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout + stderr).not.toContain('proto-secret');
  });

  it('names the closest key for an unknown one', async () => {
    const file = join(dir, 'typo.json');
    await writeFile(file, JSON.stringify({ bearerTokens: 'x' }));
    const { code, stderr } = await printConfig(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown key "bearerTokens"; did you mean "bearerToken"?');
  });
});

describe('database credentials and URLs', () => {
  it('refuses a --database URL holding a password on the command line, where ps shows it, and says where it goes instead', async () => {
    for (const url of ['postgres://crm:cli-secret@db.local:5432/crm', 'mysql://db.local/crm?password=cli-secret']) {
      const { code, stderr } = await printConfig(['--database', url, '--mapping', mappingFile]);
      expect(code).toBe(2);
      expect(stderr).toContain(
        '--database holds a password, which ps shows on the command line: set PRC_DATABASE or DATABASE_URL in the environment, put "database" in the --config file, or give the URL without the password and the password in PRC_DATABASE_PASSWORD (or PGPASSWORD / MYSQL_PWD)',
      );
      expect(stderr).not.toContain('cli-secret');
    }
  });

  it('takes a password-less URL on the command line with the password from PRC_DATABASE_PASSWORD (masked), or the URL from a --config file', async () => {
    const separate = await printConfig(['--database', 'postgres://crm@db.local:5432/crm', '--mapping', mappingFile], { PRC_DATABASE_PASSWORD: 'pw-secret' });
    expect(separate.code).toBe(0);
    expect(JSON.parse(separate.stdout)).toMatchObject({ database: 'postgres://crm@db.local:5432/crm', databasePassword: '********' });
    expect(separate.stdout + separate.stderr).not.toContain('pw-secret');
    const alone = await printConfig([], { PRC_DATABASE_PASSWORD: 'pw-secret' });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("PRC_DATABASE_PASSWORD is the database's password, but no --database (or DATABASE_URL) was given");
    const refused = await printConfig(['--database-password', 'pw-secret']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--database-password is not accepted on the command line, where ps shows it: set PRC_DATABASE_PASSWORD');

    const file = join(dir, 'database.json');
    await writeFile(file, JSON.stringify({ database: 'postgres://crm:file-secret@db.local/crm', mapping: mappingFile }));
    await chmod(file, 0o600);
    const fromFile = await printConfig(['--config', file]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).database).toBe('postgres://crm:********@db.local/crm');
  });

  it.each([
    ['postgres://crm:Summer@2024#!@db.local:5432/crm', ['2024', 'Summer', '!@db']],
    ['postgres://crm:Hidden#2024@db.local:5432/crm', ['Hidden', '2024']],
    ['mysql://crm:s/l#a?sh-Hidden@db.local/crm', ['s/l', 'Hidden']],
    ['mysql://crm:Hid/den@db.local/crm', ['Hid', 'den@']],
    ['mariadb://crm:1234?Hidden@db.local/crm', ['Hidden', '1234']],
  ])('refuses %s (a password with @ # / ?): says to percent-encode, echoes none of it', async (url, parts) => {
    const { code, stdout, stderr } = await printConfig(['--mapping', mappingFile], { DATABASE_URL: url });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'DATABASE_URL: the database URL cannot be read: a character of its user name or password must be percent-encoded (@ as %40, # as %23, / as %2F, ? as %3F, : as %3A, % as %25, a space as %20); or leave the password out of the URL and set it in PRC_DATABASE_PASSWORD (or PGPASSWORD / MYSQL_PWD)',
    );
    const output = stdout + stderr.replace(/\(@ as %40.*%20\)/, '');
    for (const part of parts) expect(output).not.toContain(part);
    expect(output).not.toContain('not a database URL');
  });

  it('accepts the same password percent-encoded', async () => {
    const { code, stdout } = await printConfig(['--mapping', mappingFile], { DATABASE_URL: 'postgres://crm:Summer%402024%23!@db.local:5432/crm' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).database).toBe('postgres://crm:********@db.local:5432/crm');
  });
});
