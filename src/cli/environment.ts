import { envNames, isSecret, serveOptionKeys } from './serve/options.js';
import { closestName } from '../core/suggest.js';
import { UsageError } from './usage.js';

/** A `PRC_` variable some command reads. */
interface KnownVariable {
  /** A credential: set but empty is an error, never "no credential". */
  readonly credential: boolean;
  /** A family: every name that starts with this one (`PRC_CHECK_HEADER_AUTHORIZATION`). */
  readonly prefix?: boolean;
}

/**
 * The `PRC_` variables read outside serve's option table (which names its own, below): when a
 * command starts reading a new one, add it here, or a shell that sets it stops `serve` and `db`
 * as a misspelling would.
 */
const OTHER_VARIABLES: Readonly<Record<string, KnownVariable>> = {
  // The CRM profiles' PRC_CRM_* are serve options (src/crm/env.ts), named by the table below.
  // `check`: a request header from the environment, PRC_CHECK_HEADER_<NAME>.
  PRC_CHECK_HEADER_: { credential: true, prefix: true },
  // The project's own test harness (scripts/db-servers.sh, test/support), never an operator's.
  PRC_TEST_: { credential: false, prefix: true },
};

/** Every known variable: serve's option table (`PRC_` + each flag) and {@link OTHER_VARIABLES}; a family's name ends with `_`. */
export function knownVariables(): Map<string, KnownVariable> {
  const known = new Map(Object.entries(OTHER_VARIABLES));
  for (const key of serveOptionKeys) {
    for (const name of envNames(key)) if (name.startsWith('PRC_')) known.set(name, { credential: isSecret(key) });
  }
  return known;
}

/** The known variable (or family) `name` belongs to, if any. */
export function lookUp(known: Map<string, KnownVariable>, name: string): KnownVariable | undefined {
  const exact = known.get(name);
  if (exact !== undefined) return exact;
  for (const [family, variable] of known) if (variable.prefix === true && name.startsWith(family) && name.length > family.length) return variable;
  return undefined;
}

/**
 * Refuses (exit 2) what would otherwise vanish silently from the environment: a `PRC_` variable
 * no command reads (a misspelling such as `PRC_TOKENS`: the error names the closest known one),
 * and a credential set to nothing (`PRC_TOKEN=` would start without authentication).
 */
export function checkEnvironment(env: NodeJS.ProcessEnv): void {
  const known = knownVariables();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('PRC_') || value === undefined) continue;
    const variable = lookUp(known, name);
    if (variable === undefined) {
      const names = [...known].map(([known_, { prefix }]) => (prefix === true ? `${known_}NAME` : known_));
      throw new UsageError(`unknown environment variable ${name}; did you mean ${closestName(name, names)}? (serve --help lists them; unset ${name} if it is not for priority-routing-crm)`);
    }
    if (variable.credential && value.trim() === '') {
      throw new UsageError(`${name} is set but empty: give it the credential, or unset it (an empty credential is never taken as "none")`);
    }
  }
}
