import * as z from 'zod';
import { type CountryCode, isCountryCode } from '../../contract/phone-keys.js';
import { COUNTRY_ALIASES } from '../../contract/phone-plans.js';
import { databaseUrlProblem } from '../../repositories/sql/open.js';

/**
 * The one table of `serve` options. The command line (`parseArgs` options), `--help`, the
 * environment (`PRC_` + the flag in upper snake case, plus a few conventional names), the
 * `--config` file (the table's keys) and the resolved configuration type all come from here,
 * so adding an option is adding one entry.
 *
 * Every schema accepts what the environment and the command line give (text) and what a JSON
 * config file gives (text, numbers, booleans, arrays), and outputs the resolved value.
 */

/** A whole number in a range, from a JSON number or from text such as "8080". */
const integer = (min: number, max: number, what: string) =>
  z
    .union([z.number(), z.string().trim().regex(/^\d+$/, `expected ${what}`).transform(Number)], { error: `expected ${what}` })
    .pipe(z.number({ error: `expected ${what}` }).int(`expected ${what}`).min(min, `expected ${what}`).max(max, `expected ${what}`));

const milliseconds = integer(0, 2_147_483_647, 'a whole number of milliseconds');

/** `true`/`false` from JSON, or `true`, `false`, `1`, `0`, `yes`, `no` from the environment. */
const flag = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'expected true or false' }))
    .transform((text) => text === 'true' || text === '1' || text === 'yes' || text === ''),
], { error: 'expected true or false' });

const text = (what = 'a non-empty string') => z.string({ error: `expected ${what}` }).trim().min(1, `expected ${what}`);

/** One secret or several (comma-separated text or a JSON array): every one is accepted, for rotation. */
const secrets = z
  .union([z.string().transform((value) => value.split(',')), z.array(z.string())], { error: 'expected a string or an array of strings' })
  .transform((list) => list.map((secret) => secret.trim()))
  .pipe(z.array(z.string().min(1, 'an empty secret is not allowed (check for a stray comma)')).min(1));

/** One secret taken as written (a password may hold commas); only empty or blank is refused. */
const secret = z.string({ error: 'expected a string' }).refine((value) => value.trim() !== '', 'an empty secret is not allowed');

const userPasswords = secrets.pipe(
  z.array(
    z
      .string()
      .regex(/^[^:]+:.+$/, 'expected user:password')
      .transform((pair) => ({ username: pair.slice(0, pair.indexOf(':')), password: pair.slice(pair.indexOf(':') + 1) })),
  ),
);

/** An ISO 3166-1 alpha-2 code in any case; `UK` is refused with "did you mean GB?" (see `didYouMean`). */
const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, context) => {
    if (isCountryCode(code)) return;
    const suggestion = COUNTRY_ALIASES[code];
    context.addIssue({ code: 'custom', message: 'expected an ISO 3166-1 alpha-2 country code such as PK, GB or US', ...(suggestion === undefined ? {} : { params: { didYouMean: suggestion } }) });
  })
  .transform((code) => code as CountryCode);

/** Where the CLI takes a database password that is not in the URL. */
export const SEPARATE_PASSWORD = 'set it in PRC_DATABASE_PASSWORD (or PGPASSWORD / MYSQL_PWD)';

/** A URL `openSqlDatabase` opens: checked here so that `--print-config` refuses a malformed one too (never quoting it). */
const databaseUrl = text('a database URL').superRefine((url, context) => {
  const problem = databaseUrlProblem(url, SEPARATE_PASSWORD);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** How long `serve` retries an unreachable database at start when `--database-wait` is not given. */
export const DEFAULT_DATABASE_WAIT_MS = 60_000;

/** How to set the country, as serve's warnings about national numbers say it. */
export const SET_DEFAULT_COUNTRY = 'start with --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK; PRC_DEFAULT_COUNTRY in the environment)';

/** Where an option may come from. `file` defaults to `env`: everything the environment gives, a config file may give. */
interface ServeOptionSpec<S extends z.ZodType> {
  /** The long flag without dashes; `undefined` for credentials, which never go on the command line. */
  readonly flag: string;
  readonly short?: string;
  /** `string` flags take a value (named by `value` in the help); `boolean` ones do not. */
  readonly type: 'string' | 'boolean';
  readonly value?: string;
  readonly help: string;
  readonly schema: S;
  /** Conventional names read after `PRC_…` (`PORT`, `HOST`, `DATABASE_URL`). */
  readonly alsoEnv?: readonly string[];
  /** A credential: environment or config file only, masked wherever it is printed. */
  readonly secret?: boolean;
  /** A URL that may carry a password (`postgres://user:pw@host/db`): printed with the password masked. */
  readonly urlWithPassword?: boolean;
  /** Command-line only (`--config`, `--print-config`): no environment variable, no config key. */
  readonly cliOnly?: boolean;
  /** Environment or config file only, like a secret, but printed as it is (a CRM's address). */
  readonly envOnly?: boolean;
}

const option = <S extends z.ZodType>(spec: ServeOptionSpec<S>) => spec;

export const serveOptions = {
  port: option({ flag: 'port', short: 'p', type: 'string', value: '<port>', help: 'port to listen on (default 3000; 0 picks a free one)', schema: integer(0, 65_535, 'a port number from 0 to 65535'), alsoEnv: ['PORT'] }),
  host: option({ flag: 'host', type: 'string', value: '<address>', help: 'address to bind (default 127.0.0.1; 0.0.0.0 for every interface)', schema: text('an address'), alsoEnv: ['HOST'] }),
  basePath: option({ flag: 'base-path', type: 'string', value: '<path>', help: 'prefix for both routes, such as /cim (default: none)', schema: z.string({ error: 'expected a path such as /cim' }) }),
  data: option({ flag: 'data', short: 'd', type: 'string', value: '<file.json>', help: 'serve { "customers": [...], "labels": [...] } from this file instead of the sample data', schema: text('a file name') }),
  database: option({ flag: 'database', type: 'string', value: '<url>', help: 'serve from this database (postgres://… or mysql://…; a URL with a password only from the environment or --config) instead', schema: databaseUrl, alsoEnv: ['DATABASE_URL'], urlWithPassword: true }),
  mapping: option({ flag: 'mapping', type: 'string', value: '<file>', help: 'how the database tables map onto customers and labels', schema: text('a file name') }),
  databaseWait: option({ flag: 'database-wait', type: 'string', value: '<ms>', help: `at start, retry an unreachable database this long, /readyz 503 meanwhile (default ${DEFAULT_DATABASE_WAIT_MS}; 0: exit at once)`, schema: milliseconds }),
  crm: option({ flag: 'crm', type: 'string', value: '<zoho|hubspot|dataverse|salesforce|pipedrive|file.json>', help: 'serve from a SaaS or REST CRM: a built-in profile or a profile file (docs/crm.md)', schema: text('zoho, hubspot, dataverse, salesforce, pipedrive or a profile file') }),
  // What the CRM profiles read (src/crm/env.ts lists the same names): never flags.
  crmToken: option({ flag: 'crm-token', type: 'string', secret: true, help: 'the CRM API token (HubSpot private app, Pipedrive API token)', schema: text('a token') }),
  crmClientId: option({ flag: 'crm-client-id', type: 'string', secret: true, help: "the CRM's OAuth client id", schema: text('a client id') }),
  crmClientSecret: option({ flag: 'crm-client-secret', type: 'string', secret: true, help: "the CRM's OAuth client secret", schema: text('a client secret') }),
  crmRefreshToken: option({ flag: 'crm-refresh-token', type: 'string', secret: true, help: "the CRM's OAuth refresh token (Zoho; Pipedrive with OAuth2)", schema: text('a refresh token') }),
  crmBaseUrl: option({ flag: 'crm-base-url', type: 'string', envOnly: true, help: "the CRM API's base URL, instead of the profile's", schema: text('a URL') }),
  crmTokenUrl: option({ flag: 'crm-token-url', type: 'string', envOnly: true, help: "the CRM's OAuth token URL (Zoho's data centre; Dynamics 365's national cloud)", schema: text('a URL') }),
  crmLabelProperty: option({ flag: 'crm-label-property', type: 'string', envOnly: true, help: 'the contact field whose options are the labels (HubSpot property, Dataverse choice column, Salesforce picklist)', schema: text('a property name') }),
  crmTenantId: option({ flag: 'crm-tenant-id', type: 'string', envOnly: true, help: 'the Microsoft Entra ID tenant of the CRM\'s app registration (Dynamics 365)', schema: text('a tenant id') }),
  countryField: option({ flag: 'country-field', type: 'string', value: '<field>', help: "with --data: the customer field holding each one's own country (GB, 44)", schema: z.string({ error: 'expected a field name' }).trim().min(1, { error: 'expected a field name' }) }),
  defaultCountry: option({ flag: 'default-country', type: 'string', value: '<CC>', help: 'country of phone numbers received without one, such as PK', schema: countryCode }),
  labelsTtl: option({ flag: 'labels-ttl', type: 'string', value: '<ms>', help: 'cache the label list this long', schema: milliseconds }),
  customersTtl: option({ flag: 'customers-ttl', type: 'string', value: '<ms>', help: 'cache each customer this long', schema: milliseconds }),
  noBreaker: option({ flag: 'no-breaker', type: 'boolean', help: 'do not stop calling a failing repository for a while', schema: flag }),
  tlsCert: option({ flag: 'tls-cert', type: 'string', value: '<file.pem>', help: 'serve HTTPS with this certificate chain (re-read on SIGHUP)', schema: text('a file name') }),
  tlsKey: option({ flag: 'tls-key', type: 'string', value: '<file.pem>', help: "the certificate's private key (re-read on SIGHUP)", schema: text('a file name') }),
  statusPage: option({ flag: 'status-page', type: 'boolean', help: 'serve GET /status: an HTML page for the operator, behind the same credentials (required off loopback)', schema: flag }),
  noMetrics: option({ flag: 'no-metrics', type: 'boolean', help: 'do not serve GET /metrics (Prometheus)', schema: flag }),
  logFormat: option({ flag: 'log-format', type: 'string', value: '<json|text>', help: 'json (default when stdout is not a terminal) or text', schema: z.enum(['json', 'text'], { error: 'expected json or text' }) }),
  quiet: option({ flag: 'quiet', short: 'q', type: 'boolean', help: 'do not log one line per request (failures are still logged)', schema: flag }),
  shutdownTimeout: option({ flag: 'shutdown-timeout', type: 'string', value: '<ms>', help: 'on SIGTERM, wait this long for requests in flight (default 10000)', schema: milliseconds }),
  drainDelay: option({ flag: 'drain-delay', type: 'string', value: '<ms>', help: 'on SIGTERM, keep accepting this long, /readyz answering 503, before closing the listener (default 5000)', schema: milliseconds }),
  maxConnections: option({ flag: 'max-connections', type: 'string', value: '<n>', help: 'close connections beyond this many at once (default 512)', schema: integer(1, 1_000_000, 'a whole number of connections from 1 to 1000000') }),
  adminPort: option({ flag: 'admin-port', type: 'string', value: '<port>', help: 'serve /healthz, /readyz and /metrics on this port, not on --port (default: on --port)', schema: integer(0, 65_535, 'a port number from 0 to 65535') }),
  token: option({ flag: 'token', type: 'string', secret: true, help: 'require ?token=… on both routes (comma-separated to rotate)', schema: secrets }),
  basicAuth: option({ flag: 'basic-auth', type: 'string', secret: true, help: 'require HTTP Basic user:password (comma-separated pairs)', schema: userPasswords }),
  bearerToken: option({ flag: 'bearer-token', type: 'string', secret: true, help: 'require Authorization: Bearer … (comma-separated)', schema: secrets }),
  apiKey: option({ flag: 'api-key', type: 'string', secret: true, help: 'require the x-api-key header (comma-separated)', schema: secrets }),
  databasePassword: option({ flag: 'database-password', type: 'string', secret: true, help: "the database's password when the URL has none (else $PGPASSWORD, $MYSQL_PWD)", schema: secret }),
  config: option({ flag: 'config', type: 'string', value: '<file.json>', help: 'read options from this JSON file (keys as in --print-config)', schema: text('a file name'), cliOnly: true }),
  printConfig: option({ flag: 'print-config', type: 'boolean', help: 'print the effective configuration (secrets masked) and exit', schema: flag, cliOnly: true }),
  help: option({ flag: 'help', short: 'h', type: 'boolean', help: 'show this help', schema: flag, cliOnly: true }),
  version: option({ flag: 'version', short: 'v', type: 'boolean', help: 'print the version', schema: flag, cliOnly: true }),
} as const;

export type ServeOptionKey = keyof typeof serveOptions;
type Spec = ServeOptionSpec<z.ZodType>;
const specs = serveOptions as Readonly<Record<ServeOptionKey, Spec>>;

/** Every key of the table, in table order. */
export const serveOptionKeys = Object.keys(serveOptions) as ServeOptionKey[];

/** `labels-ttl` → `PRC_LABELS_TTL`. */
export const envName = (flag: string) => `PRC_${flag.toUpperCase().replaceAll('-', '_')}`;

/** The environment variables an option is read from, the first set one winning. */
export function envNames(key: ServeOptionKey): readonly string[] {
  const spec = specs[key];
  return spec.cliOnly ? [] : [envName(spec.flag), ...(spec.alsoEnv ?? [])];
}

export const isSecret = (key: ServeOptionKey) => specs[key].secret === true;
/** Never from the command line: a secret, or a CRM setting read from the environment or the config file. */
export const isEnvOnly = (key: ServeOptionKey) => specs[key].secret === true || specs[key].envOnly === true;
export const isUrlWithPassword = (key: ServeOptionKey) => specs[key].urlWithPassword === true;
export const isCliOnly = (key: ServeOptionKey) => specs[key].cliOnly === true;
export const flagOf = (key: ServeOptionKey) => `--${specs[key].flag}`;
export const schemaOf = (key: ServeOptionKey) => specs[key].schema;

/** The options `parseArgs` gets: every flag, credentials included so that they can be refused with a clear message. */
export const parseArgsOptions = Object.fromEntries(
  serveOptionKeys.map((key) => {
    const { flag: name, type, short } = specs[key];
    return [name, short === undefined ? { type } : { type, short }];
  }),
) as Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The flag name → table key, for reading `parseArgs` results. */
export const keyOfFlag = new Map(serveOptionKeys.map((key) => [specs[key].flag, key]));

/** What a resolved option holds (after its schema). */
type Output<K extends ServeOptionKey> = z.output<(typeof serveOptions)[K]['schema']>;

/**
 * The configuration `serve` runs with, after flags, environment, config file and defaults.
 * Options without a default are absent when not given; every value is a plain field, already
 * validated by its schema (`labelsTtl: number`, `token: string[]`, `basicAuth: { username, password }[]`).
 */
export type ServeConfig = { [K in 'port' | 'host' | 'logFormat' | 'quiet' | 'noMetrics' | 'noBreaker' | 'shutdownTimeout']: Output<K> } & {
  [K in Exclude<ServeOptionKey, 'port' | 'host' | 'logFormat' | 'quiet' | 'noMetrics' | 'noBreaker' | 'shutdownTimeout' | 'config' | 'printConfig' | 'help' | 'version'>]?: Output<K>;
};

/** The help text's option lines and the environment-only credentials, from the table. */
export function optionsHelp(): string {
  const line = (left: string, help: string) => `  ${left.padEnd(34)} ${help}\n`;
  let options = '';
  let credentials = '';
  for (const key of serveOptionKeys) {
    const spec = specs[key];
    if (spec.secret || spec.envOnly) {
      credentials += line(envNames(key).join(', '), spec.help);
      continue;
    }
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    options += line(`${short}--${spec.flag}${spec.value === undefined ? '' : ` ${spec.value}`}`, spec.alsoEnv ? `${spec.help} (also $${spec.alsoEnv.join(', $')})` : spec.help);
  }
  return `Options (each also from the environment, PRC_ + the flag in upper snake case, and from --config):
${options}
Credentials (environment or --config only, never the command line, where ps shows them):
${credentials}`;
}
