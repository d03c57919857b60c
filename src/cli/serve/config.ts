import { stat } from 'node:fs/promises';
import { normalizeBasePath } from '../../core/connector.js';
import { hasDatabasePassword, maskDatabaseUrl } from '../../repositories/sql/open.js';
import { checkEnvironment } from '../environment.js';
import { closestName } from '../../core/suggest.js';
import { readJsonFile, UsageError } from '../usage.js';
import { assertStatusPageAllowed } from './status-page-guard.js';
import {
  envNames,
  flagOf,
  isCliOnly,
  isEnvOnly,
  isSecret,
  isUrlWithPassword,
  keyOfFlag,
  schemaOf,
  type ServeConfig,
  type ServeOptionKey,
  serveOptionKeys,
} from './options.js';

/** Where a resolved value came from: `--port`, `PRC_PORT`, `config.json "port"` or `default`. */
export type ConfigSources = Partial<Record<ServeOptionKey, string>>;

/** What {@link resolveServeConfig} returns. */
export interface ResolvedServe {
  config: ServeConfig;
  sources: ConfigSources;
  /** The command-line-only switches. */
  help: boolean;
  version: boolean;
  printConfig: boolean;
  /** Things to tell the operator that do not stop the start (a config file with secrets others can read). */
  warnings: string[];
}

const DEFAULTS = { port: 3000, host: '127.0.0.1', quiet: false, noMetrics: false, noBreaker: false, shutdownTimeout: 10_000 } as const;

function check(key: ServeOptionKey, value: unknown, source: string): unknown {
  const result = schemaOf(key).safeParse(value);
  if (result.success) return result.data;
  // A secret's value, and a database URL (which may hold one), is never quoted back: the message names the source only.
  const shown = isSecret(key) || isUrlWithPassword(key) || typeof value !== 'string' ? '' : `, got ${JSON.stringify(value)}`;
  const issue = result.error.issues[0];
  const message = issue?.message ?? 'invalid value';
  const didYouMean = issue?.code === 'custom' && typeof issue.params?.didYouMean === 'string' ? `; did you mean ${issue.params.didYouMean}?` : '';
  // "expected a port number" reads as "--port must be a port number", as the flags always said.
  throw new UsageError(`${source}${message.startsWith('expected ') ? ` must be ${message.slice('expected '.length)}` : `: ${message}`}${shown}${didYouMean}`);
}

/** Keys that reach an object's prototype when assigned: never an option, wherever they are in the file. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first reserved key at any depth of a parsed JSON value (`JSON.parse` keeps `"__proto__"` as an own key), as a path. */
function reservedKeyIn(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path === '' ? JSON.stringify(key) : `${path}.${JSON.stringify(key)}`;
    if (!Array.isArray(value) && RESERVED_KEYS.has(key)) return at;
    const found = reservedKeyIn(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The config file as the table's keys, in a null-prototype object (a `"__proto__"` key can
 * neither be dropped nor reach a prototype): reserved keys anywhere, unknown keys and
 * command-line-only ones are errors naming the key.
 */
async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  const json = await readJsonFile(file, '--config', (message) => new UsageError(message));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--config ${file}: expected a JSON object of options`);
  const reserved = reservedKeyIn(json, '');
  if (reserved !== undefined) throw new UsageError(`--config ${file}: reserved key ${reserved} is not allowed (it is no option, and would be dropped with everything inside it)`);
  const configKeys = serveOptionKeys.filter((key) => !isCliOnly(key));
  const options: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(json)) {
    if (!configKeys.includes(key as ServeOptionKey)) {
      throw new UsageError(`--config ${file}: unknown key ${JSON.stringify(key)}; did you mean "${closestName(key, configKeys)}"? (expected one of ${configKeys.join(', ')})`);
    }
    options[key] = value;
  }
  return options;
}

/**
 * Flags win over the environment, which wins over the `--config` file, which wins over the
 * defaults. Each layer is validated on its own so that an error names the flag, the variable or
 * the file and key it came from. Credentials on the command line are refused.
 */
export async function resolveServeConfig(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  stdoutIsTty: boolean,
): Promise<ResolvedServe> {
  checkEnvironment(env);
  const config: Record<string, unknown> = Object.create(null);
  const sources: ConfigSources = {};
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const key = keyOfFlag.get(name);
    if (key !== undefined && isEnvOnly(key) && value !== undefined) {
      throw new UsageError(`${flagOf(key)} is not accepted on the command line, where ps shows it: set ${envNames(key)[0]} or put "${key}" in the --config file`);
    }
    if (key !== undefined && isUrlWithPassword(key) && typeof value === 'string' && hasDatabasePassword(value)) {
      throw new UsageError(
        `${flagOf(key)} holds a password, which ps shows on the command line: set ${envNames(key).join(' or ')} in the environment, put "${key}" in the --config file, or give the URL without the password and the password in ${envNames('databasePassword')[0]} (or PGPASSWORD / MYSQL_PWD)`,
      );
    }
  }
  const configFile = typeof values.config === 'string' ? values.config : undefined;
  if (configFile !== undefined) {
    const fromFile = await readConfigFile(configFile);
    for (const [key, value] of Object.entries(fromFile)) {
      config[key] = check(key as ServeOptionKey, value, `--config ${configFile} "${key}"`);
      sources[key as ServeOptionKey] = `--config ${configFile}`;
    }
    const secretKeys = Object.keys(fromFile).filter((key) => isSecret(key as ServeOptionKey));
    const { mode } = await stat(configFile);
    if (secretKeys.length > 0 && (mode & 0o077) !== 0) {
      warnings.push(`--config ${configFile} holds ${secretKeys.join(', ')} and other users can read it (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
    }
  }
  for (const key of serveOptionKeys) {
    const name = envNames(key).find((candidate) => env[candidate] !== undefined && env[candidate] !== '');
    if (name !== undefined) {
      config[key] = check(key, env[name], name);
      sources[key] = name;
    }
    const value = isCliOnly(key) ? undefined : values[flagOf(key).slice(2)];
    if (value !== undefined) {
      config[key] = check(key, value, flagOf(key));
      sources[key] = flagOf(key);
    }
  }
  for (const [key, value] of Object.entries({ ...DEFAULTS, logFormat: stdoutIsTty ? 'text' : 'json' })) {
    if (config[key] === undefined) {
      config[key] = value;
      sources[key as ServeOptionKey] = key === 'logFormat' ? `default (stdout is ${stdoutIsTty ? '' : 'not '}a terminal)` : 'default';
    }
  }
  assertNothingBlankDropped(config, env);
  if (typeof config.basePath === 'string') {
    try {
      normalizeBasePath(config.basePath);
    } catch (error) {
      throw new UsageError(`${sourceOf('basePath', sources)} ${(error as Error).message.replace(/^basePath /, '')}`);
    }
  }
  // The same port twice would fail at listen as "already in use", naming --port: said here, naming both.
  if (config.adminPort !== undefined && config.adminPort !== 0 && config.adminPort === config.port) {
    throw new UsageError(`${sourceOf('adminPort', sources)} is ${String(config.adminPort)}, the same port as ${sourceOf('port', sources)}: give the health checks and metrics another port, or leave ${flagOf('adminPort')} out to serve them on ${flagOf('port')}`);
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new UsageError(`--tls-cert and --tls-key go together: give both (${config.tlsCert === undefined ? 'no certificate' : 'no key'} was given)`);
  }
  assertStatusPageAllowed(config as ServeConfig);
  if (config.data !== undefined && config.database !== undefined) {
    throw new UsageError(`give ${sourceOf('data', sources)} or ${sourceOf('database', sources)}, not both`);
  }
  if (config.databasePassword !== undefined && config.database === undefined) {
    throw new UsageError(`${sources.databasePassword} is the database's password, but no --database (or DATABASE_URL) was given: give both, or unset it`);
  }
  const given = (['data', 'database', 'crm'] as const).filter((key) => config[key] !== undefined);
  if (given.length > 1) throw new UsageError(`give one of ${given.map((key) => sourceOf(key, sources)).join(', ')}: they are sources of the customers and labels`);
  // Only --data reads it: anywhere else it would be dropped, and every number read in the default country.
  if (config.countryField !== undefined && config.data === undefined) {
    const countryField = sourceOf('countryField', sources);
    throw new UsageError(
      config.database !== undefined
        ? `${countryField} is for --data; with --database, map customers.country in the --mapping file`
        : config.crm !== undefined
          ? `${countryField} is for --data; a CRM profile reads no country per contact: give --default-country, the country of the CRM's national numbers`
          : `${countryField} needs --data <file.json>, whose customers carry that field (the sample data has none)`,
    );
  }
  // Checked here, not when the database opens, so that --print-config refuses it too.
  if ((config.database === undefined) !== (config.mapping === undefined)) {
    throw new UsageError(
      config.database === undefined
        ? `${sourceOf('mapping', sources)} needs --database <url> (or DATABASE_URL in the environment)`
        : `${sourceOf('database', sources)} needs --mapping <file.json>: where the customers and labels are`,
    );
  }
  return {
    config: config as ServeConfig,
    sources,
    help: values.help === true,
    version: values.version === true,
    printConfig: values['print-config'] === true,
    warnings,
  };
}

/**
 * An empty variable reads as unset (`PORT=` is the default port), but not where that silently
 * changes what is served: `DATABASE_URL=` from a compose file whose secret is missing would start
 * on the sample data, `PRC_DEFAULT_COUNTRY=` would read every national number without a country.
 * Refused (exit 2) when nothing else sets that option.
 */
function assertNothingBlankDropped(config: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const blank = (keys: readonly ServeOptionKey[]) => keys.flatMap((key) => envNames(key)).find((name) => env[name] === '');
  const source = SOURCE_KEYS.some((key) => config[key] !== undefined) ? undefined : blank(SOURCE_KEYS);
  if (source !== undefined) {
    throw new UsageError(`${source} is set but empty, and no other data source is given: give it the ${source === 'PRC_CRM' ? 'CRM profile' : source === 'PRC_DATA' ? 'data file' : 'database URL'}, or unset it (serve never falls back to the sample data for an empty variable)`);
  }
  for (const key of COUNTRY_KEYS) {
    const name = config[key] === undefined ? blank([key]) : undefined;
    if (name !== undefined) throw new UsageError(`${name} is set but empty: give it ${key === 'defaultCountry' ? 'a country code such as PK' : 'the field holding each customer\'s country'}, or unset it`);
  }
}

/** The options that choose what is served; without any, serve serves the sample data. */
const SOURCE_KEYS = ['data', 'database', 'crm'] as const satisfies readonly ServeOptionKey[];
/** The options that say which country a national number belongs to. */
const COUNTRY_KEYS = ['defaultCountry', 'countryField'] as const satisfies readonly ServeOptionKey[];

const MASK = '********';

/** A secret as printed: never its value; a Basic pair keeps its user name. */
function maskSecret(key: ServeOptionKey, value: unknown): unknown {
  if (key === 'basicAuth') return (value as { username: string }[]).map(({ username }) => `${username}:${MASK}`);
  return Array.isArray(value) ? value.map(() => MASK) : MASK;
}

/**
 * The effective configuration as `--print-config` prints it: the table's keys (so that the
 * output, with real secrets put back, is a valid `--config` file), secrets masked, and where
 * each value came from.
 */
export function printableConfig({ config, sources }: Pick<ResolvedServe, 'config' | 'sources'>): { config: Record<string, unknown>; sources: ConfigSources } {
  const shown: Record<string, unknown> = {};
  for (const key of serveOptionKeys) {
    const value = (config as Record<string, unknown>)[key];
    if (value === undefined) continue;
    shown[key] = isSecret(key) ? maskSecret(key, value) : isUrlWithPassword(key) ? maskDatabaseUrl(value as string, MASK) : value;
  }
  return { config: shown, sources: Object.fromEntries(Object.entries(sources).filter(([key]) => key in shown)) };
}

export { MASK };

/** The flag, followed by where the value came from when that was not the flag itself (`--database (DATABASE_URL)`). */
export function sourceOf(key: ServeOptionKey, sources: ConfigSources): string {
  const flag = flagOf(key);
  const source = sources[key];
  return source === undefined || source === flag ? flag : `${flag} (${source})`;
}
