/** What every example does when run as a script (`npx tsx examples/<name>.ts`). */
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Where the examples listen: `PORT` (default 3000) on 127.0.0.1. */
export const listenOn = { port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' } as const;

/** Whether the module at `moduleUrl` was started from the command line rather than imported (by the tests). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/** Prints what to paste into Hybrid Chat's configuration: the two URLs, and the switch that turns the lookup on. */
export function announce(framework: string): void {
  const base = `http://${listenOn.host}:${listenOn.port}/cim`;
  console.log(`${framework} connector listening. Configure Hybrid Chat with:
  CIM_CUSTOMER_QUERY_URL=${base}/customer?query=phone:{refId}
  CIM_LABELS_API_PATH=${base}/label
  IS_CIM_INTEGRATED=true`);
}

/** Says why the server cannot listen (the port taken, a bad PORT) on stderr and exits 1. */
export function failedToListen(error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EADDRINUSE' ? 'the port is already in use; set PORT to a free one' : String((error as Error).message ?? error);
  console.error(`cannot listen on ${listenOn.host}:${listenOn.port}: ${reason}`);
  process.exit(1);
}

/** Listens on `listenOn` and announces the URLs, or reports the failure and exits 1. */
export function listenOrExit(server: Server, framework: string): void {
  server.once('error', failedToListen);
  try {
    server.listen(listenOn.port, listenOn.host, () => announce(framework));
  } catch (error) {
    failedToListen(error); // a PORT that is no port number throws before any 'error' event
  }
}
