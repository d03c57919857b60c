/** What every example does when run as a script (`npx tsx examples/<name>.ts`). */
import { pathToFileURL } from 'node:url';

/** Where the examples listen: `PORT` (default 3000) on 127.0.0.1. */
export const listenOn = { port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' } as const;

/** Whether the module at `moduleUrl` was started from the command line rather than imported (by the tests). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/** Prints the two URLs to paste into Hybrid Chat's configuration. */
export function announce(framework: string): void {
  const base = `http://${listenOn.host}:${listenOn.port}/cim`;
  console.log(`${framework} connector listening. Configure Hybrid Chat with:
  CIM_CUSTOMER_QUERY_URL=${base}/customer?query=phone:{refId}
  CIM_LABELS_API_PATH=${base}/label`);
}
