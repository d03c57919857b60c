import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleLabels } from '../../src/index.js';
import { makeServerCert, makeTestCa } from '../support/openssl.js';
import { cleanEnv, spawnServe, startJsonServe, stopServes, waitForJsonLine } from '../support/serve-process.js';

afterEach(stopServes);

let dir: string;
let ca: { caCert: string; caKey: string };
let first: { cert: string; key: string; serial: string };
let second: { cert: string; key: string; serial: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prc-serve-tls-'));
  ca = await makeTestCa(dir);
  first = await makeServerCert(dir, ca, 'first');
  second = await makeServerCert(dir, ca, 'second');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * Fetches `url` from a separate `node` process, as Hybrid Chat (a Node.js service) would, with
 * only the given environment: NODE_EXTRA_CA_CERTS is read once at process start.
 */
function nodeFetch(url: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => { console.error(e.cause?.code ?? e.message); process.exit(3); })`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, url], { env: cleanEnv(env) }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

/** The serial number of the certificate a new TLS connection is shown (trusting only the CA). */
async function servedSerial(port: number): Promise<string> {
  const socket = await openTls(port);
  const serial = socket.getPeerCertificate().serialNumber.toUpperCase();
  socket.destroy();
  return serial;
}

function openTls(port: number): Promise<TLSSocket> {
  return readFile(ca.caCert).then(
    (caPem) =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: caPem }, () => resolve(socket));
        socket.once('error', reject);
      }),
  );
}

/** One HTTP/1.1 request on an open keep-alive TLS connection; resolves with the status line. */
function requestOn(socket: TLSSocket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end !== -1 && length !== undefined && received.length >= end + 4 + Number(length)) {
        socket.off('data', onData);
        resolve(received.slice(0, received.indexOf('\r\n')));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('serve over HTTPS', () => {
  it('is trusted by a Node.js client given the CA through NODE_EXTRA_CA_CERTS, and refused by one without it', async () => {
    const { origin, labelsUrl } = await startJsonServe(['--port', '0', '--base-path', '/cim'], { env: { PRC_TLS_CERT: first.cert, PRC_TLS_KEY: first.key } });
    expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(labelsUrl).toBe(`${origin}/cim/label`);

    const trusted = await nodeFetch(labelsUrl, { NODE_EXTRA_CA_CERTS: ca.caCert });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(trusted.stdout.startsWith('200 ')).toBe(true);
    expect(JSON.parse(trusted.stdout.slice(4))).toStrictEqual(sampleLabels);

    const untrusted = await nodeFetch(labelsUrl, {});
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });

  it('re-reads the certificate on SIGHUP for new connections without dropping open ones, and keeps the old one when the new files are broken', async () => {
    const cert = join(dir, 'live.pem');
    const key = join(dir, 'live.key');
    await copyFile(first.cert, cert);
    await copyFile(first.key, key);
    const { run, origin } = await startJsonServe(['--port', '0', '--tls-cert', cert, '--tls-key', key]);
    const port = Number(new URL(origin).port);
    expect(await servedSerial(port)).toBe(first.serial);

    const open = await openTls(port);
    expect(await requestOn(open, '/label')).toBe('HTTP/1.1 200 OK');

    await copyFile(second.cert, cert);
    await copyFile(second.key, key);
    run.child.kill('SIGHUP');
    await waitForJsonLine(run, 'TLS certificate reloaded');
    expect(await servedSerial(port)).toBe(second.serial);
    // The connection opened before the reload still answers, with its original certificate.
    expect(await requestOn(open, '/label')).toBe('HTTP/1.1 200 OK');
    expect(open.getPeerCertificate().serialNumber.toUpperCase()).toBe(first.serial);
    open.destroy();

    await writeFile(cert, 'not a certificate');
    run.child.kill('SIGHUP');
    const warning = await waitForJsonLine(run, 'TLS certificate not reloaded; the previous one stays in use');
    expect(warning.level).toBe('warn');
    expect(await servedSerial(port)).toBe(second.serial);
    expect(run.child.exitCode).toBeNull();
  });

  it('without TLS, SIGHUP keeps its default meaning and stops the process', async () => {
    const { run } = await startJsonServe(['--port', '0']);
    run.child.kill('SIGHUP');
    expect(await run.exit).toBeNull();
    expect(run.child.signalCode).toBe('SIGHUP');
  });

  it('fails at start, naming the option, for a missing file or a key that does not match the certificate', async () => {
    const missing = spawnServe(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', first.key]);
    expect(await missing.exit).toBe(1);
    expect(missing.stderr()).toMatch(/cannot read --tls-cert .*nope\.pem: ENOENT \(no such file\)$/m);

    const mismatch = spawnServe(['--tls-cert', first.cert, '--tls-key', second.key]);
    expect(await mismatch.exit).toBe(2);
    expect(mismatch.stderr()).toContain(`--tls-key ${second.key} is not the key of the certificate in --tls-cert ${first.cert} (the EC key is not the certificate's)`);
  });

  it('fails at start (exit 2), naming --tls-key and --tls-cert, for a key of another type than the certificate (RSA key, EC certificate)', async () => {
    // OpenSSL takes such a pair without complaint: the server would listen and fail every handshake.
    const rsaKey = join(dir, 'rsa.key');
    await promisify(execFile)('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', rsaKey]);
    const run = spawnServe(['--tls-cert', first.cert, '--tls-key', rsaKey]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      `priority-routing-crm: --tls-key ${rsaKey} is not the key of the certificate in --tls-cert ${first.cert} (the key is RSA, the certificate's is EC): give the key the certificate was issued for\n` +
        'Run "priority-routing-crm serve --help" for usage.\n',
    );
    expect(run.stdout()).not.toContain('listening');
  });
});
