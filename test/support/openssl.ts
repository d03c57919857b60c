import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const openssl = (...args: string[]) => run('openssl', args);

/**
 * A throwaway certificate authority, made by openssl with the commands docs/serve.md shows
 * (EC P-256 keys for speed; the guide uses the same flags).
 */
export async function makeTestCa(dir: string): Promise<{ caCert: string; caKey: string }> {
  const caCert = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  await openssl(
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', caKey, '-out', caCert, '-days', '2', '-subj', '/CN=priority-routing-crm test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
  return { caCert, caKey };
}

/**
 * A server certificate for `ip` (in subjectAltName, which is what clients check) signed by the
 * CA: writes `<name>.pem` and `<name>.key` and returns their paths and the serial number.
 */
export async function makeServerCert(dir: string, ca: { caCert: string; caKey: string }, name: string, ip = '127.0.0.1') {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await run('sh', ['-c', `printf 'subjectAltName=IP:${ip}\\nextendedKeyUsage=serverAuth\\n' > '${ext}'`]);
  await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${ip}`);
  await openssl('x509', '-req', '-in', csr, '-CA', ca.caCert, '-CAkey', ca.caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext);
  const { stdout } = await openssl('x509', '-in', cert, '-noout', '-serial');
  return { cert, key, serial: stdout.trim().replace(/^serial=/, '').toUpperCase() };
}
