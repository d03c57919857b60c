import { lookup } from 'node:dns/promises';
import { UsageError } from '../usage.js';

/** getaddrinfo's "no such name" (Node says ENOTFOUND; EAI_NONAME on some systems). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'EAI_NONAME']);

/**
 * Resolves `--host` (`name` is how messages call it: `--host (HOST)`) before anything is opened or
 * warned about, since the listen would fail on it anyway, later, with a bare ENOTFOUND. A name
 * that does not exist is an operator's mistake: a {@link UsageError} (exit 2). A lookup that
 * fails otherwise (the DNS server unreachable: EAI_AGAIN) may pass on a retry: exit 1.
 */
export async function checkHost(host: string, name: string): Promise<void> {
  try {
    await lookup(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    if (NO_SUCH_NAME.has(code)) {
      throw new UsageError(`${name} ${host}: no such host name (${code}): give an address of this machine (127.0.0.1 for this machine only, 0.0.0.0 for every interface) or a name that resolves to one`);
    }
    throw new Error(`${name} ${host}: the name could not be resolved (${code}); try again once name resolution works, or give an address`);
  }
}
