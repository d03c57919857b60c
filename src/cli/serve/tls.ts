import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { TlsFiles } from './server.js';

/**
 * Reads the certificate chain and key and checks that they make a usable TLS context (a key
 * that does not match the certificate fails here, naming the files, not at the first
 * handshake). Errors name the option and the file; nothing quotes the key.
 */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsFiles> {
  const read = async (file: string, option: string) => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read ${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const files = { cert: await read(certFile, '--tls-cert'), key: await read(keyFile, '--tls-key') };
  try {
    createSecureContext(files);
  } catch (error) {
    throw new Error(`--tls-cert ${certFile} and --tls-key ${keyFile} do not make a TLS certificate: ${(error as Error).message}`);
  }
  return files;
}
