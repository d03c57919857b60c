import { UsageError } from './usage.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The prefix of the environment variables that each add one header to every request of `check`:
 * `PRC_CHECK_HEADER_AUTHORIZATION` sends `Authorization`, `PRC_CHECK_HEADER_X_API_KEY` sends
 * `X-Api-Key` (the rest of the name, `_` as `-`, each word capitalized), the value as it is.
 */
export const HEADER_ENV_PREFIX = 'PRC_CHECK_HEADER_';

const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/** `X_API_KEY` → `X-Api-Key`. */
export const headerNameOf = (suffix: string): string =>
  suffix
    .split('_')
    .map((word) => `${word.slice(0, 1).toUpperCase()}${word.slice(1).toLowerCase()}`)
    .join('-');

/** One header and where it came from, for messages (never its value). */
interface Given {
  name: string;
  value: string;
  source: string;
}

// A value may be a credential typed without its name: no message ever echoes it.
function parsed(line: string, source: string): Given {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim();
  if (colon <= 0 || !TOKEN.test(name)) {
    throw new UsageError(`${source} must look like "Name: value", got ${colon <= 0 ? 'no name before a colon' : 'an invalid header name before the colon'}`);
  }
  return { name, value: line.slice(colon + 1).trim(), source };
}

function fromVariable(variable: string, env: Env): Given {
  const line = env[variable];
  if (line === undefined) throw new UsageError(`--header-from-env ${variable}: the variable ${variable} is not set`);
  if (line.trim() === '') throw new UsageError(`--header-from-env ${variable}: the variable ${variable} is empty; set it to "Name: value"`);
  return parsed(line, `--header-from-env ${variable}`);
}

function fromPrefixed(env: Env): Given[] {
  return Object.keys(env)
    .filter((variable) => variable.startsWith(HEADER_ENV_PREFIX))
    .sort()
    .map((variable) => {
      const suffix = variable.slice(HEADER_ENV_PREFIX.length);
      if (!/^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/.test(suffix)) {
        throw new UsageError(`${variable}: after ${HEADER_ENV_PREFIX} give the header name in words separated by _, e.g. ${HEADER_ENV_PREFIX}X_API_KEY for X-Api-Key`);
      }
      const value = env[variable]!.trim();
      // An empty credential would send no credential at all: say so instead of checking without it.
      if (value === '') throw new UsageError(`${variable} is empty: set it to the value of the ${headerNameOf(suffix)} header, or unset it`);
      return { name: headerNameOf(suffix), value, source: variable };
    });
}

/**
 * The headers `check` sends with every request, from `--header 'Name: value'`, from
 * `--header-from-env NAME` (the variable holds `Name: value`, so that a CI secret is never on
 * the command line) and from each `PRC_CHECK_HEADER_<NAME>` variable. A header given twice (in
 * any case, from any of these) is a usage error naming both places, never a silent choice.
 */
export function checkHeaders(flags: readonly string[] = [], fromEnv: readonly string[] = [], env: Env = {}): Record<string, string> {
  const all = [...flags.map((line) => parsed(line, '--header')), ...fromEnv.map((variable) => fromVariable(variable, env)), ...fromPrefixed(env)];
  const seen = new Map<string, Given>();
  const result: Record<string, string> = {};
  for (const given of all) {
    const earlier = seen.get(given.name.toLowerCase());
    if (earlier !== undefined) throw new UsageError(`the header ${given.name} is given twice (${earlier.source} and ${given.source}); give it once`);
    seen.set(given.name.toLowerCase(), given);
    result[given.name] = given.value;
  }
  return result;
}
