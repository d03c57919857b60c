import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Binds a `node:http` server to 127.0.0.1 on a free port and resolves to its origin. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Closes a server started by {@link listen}, dropping idle keep-alive connections first. */
export async function close(server: Server | undefined): Promise<void> {
  if (server === undefined || !server.listening) return;
  server.closeIdleConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
