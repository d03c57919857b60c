import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { listen, type Listening } from '../support/listen.js';
import { makeServerCert, makeTestCa } from '../support/openssl.js';

// Real TLS: a private CA (as a company's own, or a self-signed setup) signs the connector's
// certificate. `check` runs in its own process: NODE_EXTRA_CA_CERTS is read once at start.
let dir: string;
let ca: { caCert: string; caKey: string };
let trusted: Listening;
let otherName: Listening;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prc-check-tls-'));
  ca = await makeTestCa(dir);
  const forLoopback = await makeServerCert(dir, ca, 'loopback');
  // A certificate for another address than the one the URLs name.
  const forOther = await makeServerCert(dir, ca, 'other', '127.0.0.2');
  const answer = (_: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  const serve = async (files: { cert: string; key: string }) => listen(createServer({ cert: await readFile(files.cert), key: await readFile(files.key) }, answer));
  trusted = await serve(forLoopback);
  otherName = await serve(forOther);
});
afterAll(async () => {
  await Promise.all([trusted.close(), otherName.close()]);
  await rm(dir, { recursive: true, force: true });
});

const check = (server: Listening, env: Record<string, string | undefined>) => {
  const origin = `https://127.0.0.1:${server.port}`;
  return runCli(['check', '--customer-url', `${origin}/customer?query=phone:{refId}`, '--labels-url', `${origin}/label`, '--phone', '1111', '--only', 'labels.status'], {
    NODE_EXTRA_CA_CERTS: undefined,
    GITHUB_ACTIONS: undefined,
    ...env,
  });
};

describe('check against a connector behind TLS', () => {
  it('names NODE_EXTRA_CA_CERTS when the certificate is signed by a CA Node.js does not trust', async () => {
    const run = await check(trusted, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach the connector at https:\/\/127\.0\.0\.1:\d+\/label: .*UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
    expect(run.stderr).not.toContain('Is the connector running');
  });

  it('reaches the connector once NODE_EXTRA_CA_CERTS names the CA, as the message says', async () => {
    const run = await check(trusted, { NODE_EXTRA_CA_CERTS: ca.caCert });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('names the host name mismatch for a certificate issued for another name', async () => {
    const run = await check(otherName, { NODE_EXTRA_CA_CERTS: ca.caCert });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(run.stderr).toMatch(/the certificate is not issued for 127\.0\.0\.1 \(the host in the URL\)/);
    expect(run.stderr).not.toContain('Is the connector running');
  });
});
