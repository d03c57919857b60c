import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { readErrorWords, UsageError } from '../usage.js';
import type { TlsFiles } from './server.js';

/** The certificate and the key, parsed; undefined when either does not parse (then createSecureContext names why). */
function parsePair(files: { cert: Buffer; key: Buffer }): { certificate: X509Certificate; key: KeyObject } | undefined {
  try {
    return { certificate: new X509Certificate(files.cert), key: createPrivateKey(files.key) };
  } catch {
    return undefined;
  }
}

const typeName = (key: KeyObject) => (key.asymmetricKeyType ?? 'unknown').toUpperCase();

/**
 * Reads the certificate chain and key and checks that they make a usable TLS context (a key
 * that does not match the certificate, of its type or another, fails here with a
 * {@link UsageError} naming both options, not at the first handshake). Errors name the option
 * and the file; nothing quotes the key.
 */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsFiles> {
  const read = async (file: string, option: string) => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read ${option} ${file}: ${readErrorWords(error)}`);
    }
  };
  const files = { cert: await read(certFile, '--tls-cert'), key: await read(keyFile, '--tls-key') };
  // OpenSSL keeps an EC key and an RSA certificate in separate slots without complaint: the
  // server would listen and fail every handshake. Checked here: a key of the certificate (the
  // first one of the chain) or nothing.
  const pair = parsePair(files);
  if (pair !== undefined && !pair.certificate.checkPrivateKey(pair.key)) {
    const [keyType, certType] = [typeName(pair.key), typeName(pair.certificate.publicKey)];
    const why = keyType === certType ? `the ${keyType} key is not the certificate's` : `the key is ${keyType}, the certificate's is ${certType}`;
    throw new UsageError(`--tls-key ${keyFile} is not the key of the certificate in --tls-cert ${certFile} (${why}): give the key the certificate was issued for`);
  }
  try {
    createSecureContext(files);
  } catch (error) {
    throw new Error(`--tls-cert ${certFile} and --tls-key ${keyFile} do not make a TLS certificate: ${(error as Error).message}`);
  }
  return files;
}
