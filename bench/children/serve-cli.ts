/**
 * The `priority-routing-crm serve` command from a `dist/cli.js` (argv[2]; the rest are serve's
 * arguments), run in this process so that callgrind can count it and the bench can talk to it:
 * sends `{ port }` over IPC once the server listens, and exits on `'exit'`. Its log lines go to
 * its own stdout, as with the real command.
 */
import { Server } from 'node:net';

const [cli, ...args] = process.argv.slice(2);
if (cli === undefined) throw new Error('usage: serve-cli.ts <dist/cli.js> [serve arguments]');
// The port is 0 (the OS picks): read it off the first listening server.
const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...rest: unknown[]) {
  this.once('listening', () => {
    const address = this.address();
    if (typeof address === 'object' && address !== null) process.send?.({ port: address.port });
  });
  Server.prototype.listen = listen;
  return (listen as (...given: unknown[]) => Server).apply(this, rest);
} as typeof listen;
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
});
process.argv = [process.argv[0] as string, cli, 'serve', ...args];
await import(cli);
