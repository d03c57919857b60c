import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerNameOf } from '../../src/cli/check-headers.js';
import { runCli } from '../support/cli.js';
import { startFixture, type Fixture } from '../checker/fixtures/connector.js';

// A CI secret given through the environment, never on the command line (where `ps` shows it).
const TOKEN = 'ENVtok"9\\x';
let fixture: Fixture;
let dir: string;
beforeAll(async () => {
  // Answers 401 to any request without `Authorization: Bearer <TOKEN>`.
  fixture = await startFixture({ bearer: TOKEN });
  dir = await mkdtemp(join(tmpdir(), 'prc-check-headers-'));
});
afterAll(async () => {
  await fixture.close();
  await rm(dir, { recursive: true, force: true });
});

const clean = { GITHUB_ACTIONS: undefined, CIM_CUSTOMER_QUERY_URL: undefined, CIM_LABELS_API_PATH: undefined, CRM_AUTH: undefined, PRC_CHECK_HEADER_AUTHORIZATION: undefined };
const check = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['check', '--customer-url', fixture.customerQueryUrl, '--labels-url', fixture.labelsUrl, '--phone', '1111', ...args], { ...clean, ...env });

describe('check headers from the environment', () => {
  it('sends PRC_CHECK_HEADER_AUTHORIZATION as Authorization and masks it in every report', async () => {
    const file = join(dir, 'report.xml');
    const run = await check(['--format', 'junit', '--output', file], { PRC_CHECK_HEADER_AUTHORIZATION: `Bearer ${TOKEN}`, GITHUB_ACTIONS: 'true' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const outputs = [run.stdout, run.stderr, await readFile(file, 'utf8')].join('\n');
    expect(outputs).not.toMatch(/ENVtok/);
  });

  it('sends the "Name: value" a --header-from-env variable holds, masked in the curl commands', async () => {
    const run = await check(['--header-from-env', 'CRM_AUTH', '--format', 'json', '--only', 'labels.status'], { CRM_AUTH: `Authorization: Bearer ${TOKEN}` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("-H 'Authorization: ***'");
    expect(run.stdout).not.toMatch(/ENVtok/);
  });

  it('maps the rest of the variable name to the header name, _ as -', () => {
    expect(headerNameOf('AUTHORIZATION')).toBe('Authorization');
    expect(headerNameOf('X_API_KEY')).toBe('X-Api-Key');
  });

  it.each([
    [['--header-from-env', 'CRM_AUTH'], {}, /--header-from-env CRM_AUTH: the variable CRM_AUTH is not set/],
    [['--header-from-env', 'CRM_AUTH'], { CRM_AUTH: ' ' }, /--header-from-env CRM_AUTH: the variable CRM_AUTH is empty/],
    [['--header-from-env', 'CRM_AUTH'], { CRM_AUTH: `Bearer ${TOKEN}` }, /--header-from-env CRM_AUTH must look like "Name: value", got no name before a colon/],
    [[], { PRC_CHECK_HEADER_AUTHORIZATION: '' }, /PRC_CHECK_HEADER_AUTHORIZATION is empty: set it to the value of the Authorization header, or unset it/],
    [['--header', `authorization: Bearer ${TOKEN}`], { PRC_CHECK_HEADER_AUTHORIZATION: `Bearer ${TOKEN}` }, /the header Authorization is given twice \(--header and PRC_CHECK_HEADER_AUTHORIZATION\)/],
  ])('exits 2 for %j with %j, never echoing a value', async (args, env, message) => {
    const run = await check(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/ENVtok/);
    expect(run.stdout).toBe('');
  });
});
