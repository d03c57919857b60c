import process, { stdout } from 'node:process';
import { escapeTerminal } from '../checker/index.js';
import type { CrmRepository } from '../crm/repository.js';
import { CUSTOMER_FIELDS } from '../crm/schema.js';
import { readyCustomer } from '../core/wire.js';
import type { CustomerRecord, LabelRecord } from '../core/repository.js';
import type { Command } from './main.js';
import { resolveServeConfig } from './serve/config.js';
import { parseCommandLine, UsageError } from './usage.js';

const HELP = `Usage: priority-routing-crm crm check --crm <zoho|hubspot|dataverse|salesforce|pipedrive|profile.json> [--phone <number>] [--default-country <CC>]

Checks that a CRM source works before "serve --crm" runs on it: obtains a token (OAuth2
profiles), reads the labels, and with --phone looks the number up and shows the customer
Hybrid Chat would get, and which CRM field fed each contract field.

Options:
      --crm <name|file>          zoho, hubspot, dataverse, salesforce, pipedrive, or a profile file (docs/crm.md)
      --phone <number>           a number a contact in the CRM has
      --default-country <CC>     the country of numbers without one, such as PK
      --config <file.json>       read the PRC_CRM_* settings from this file (keys as in serve --print-config)
  -h, --help                     show this help

Credentials come from the environment (PRC_CRM_TOKEN, PRC_CRM_CLIENT_ID, PRC_CRM_CLIENT_SECRET,
PRC_CRM_REFRESH_TOKEN, PRC_CRM_BASE_URL, PRC_CRM_TOKEN_URL, PRC_CRM_LABEL_PROPERTY, PRC_CRM_TENANT_ID) or --config,
never from flags; nothing printed shows them.

Exit codes: 0 all good; 1 something failed (the CRM's answer is quoted); 2 a wrong option.
`;

const options = {
  crm: { type: 'string' },
  phone: { type: 'string' },
  'default-country': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * What to do about a failure any CRM may answer, said in words. A profile's own `hints` (its
 * vendor's error codes: Entra ID's AADSTS numbers, Salesforce's INVALID_FIELD) are consulted first.
 */
const HINTS: ReadonlyArray<[RegExp, string]> = [
  [/invalid_client/, 'the OAuth client id or secret is wrong: check PRC_CRM_CLIENT_ID and PRC_CRM_CLIENT_SECRET, and that the token URL above is yours'],
  [/invalid_grant/, 'the OAuth grant was refused: a refresh token that is wrong, revoked or of another client (generate a new PRC_CRM_REFRESH_TOKEN), or a client not allowed this grant'],
  [/HTTP 401/, 'the CRM refused the credentials: check PRC_CRM_TOKEN (or the OAuth client) and its scopes'],
  [/HTTP 403/, 'the credentials lack a scope or a permission: see docs/crm.md for the scopes of this CRM'],
  [/HTTP 404/, 'the CRM does not know what the profile asks for: check PRC_CRM_LABEL_PROPERTY, PRC_CRM_BASE_URL and the profile\'s paths'],
  [/ECONNREFUSED|ENOTFOUND|cannot reach/, 'the CRM is not reachable from here: check PRC_CRM_BASE_URL, PRC_CRM_TOKEN_URL and the proxy or firewall'],
  [/bad port/, "Node.js's fetch refuses this port (one browsers block, such as 1, 6000 or 10080): give the CRM's address on another port"],
  [/redirect/, 'the CRM redirects: set PRC_CRM_BASE_URL to where its API really is'],
  [/rate limit/, 'the CRM rate-limits this client now: try again later, and keep --labels-ttl on when serving'],
];

const shown = (text: string) => escapeTerminal(text);

/** The hint for a failure's text: the profile's `hints` first (validated as regular expressions), then the generic ones. */
function hintFor(text: string, repository: CrmRepository): string | undefined {
  const own = repository.profile.hints?.find(({ match }) => new RegExp(match).test(text))?.say;
  const say = own ?? HINTS.find(([pattern]) => pattern.test(text))?.[1];
  return say === undefined ? undefined : shown(repository.mask(say));
}

/** The message of a failure, the CRM's words masked and escaped. */
function reason(error: unknown, repository: CrmRepository): string {
  const message = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer in time (${error.message})` : error.message) : String(error);
  return shown(repository.mask(message));
}

async function step<T>(name: string, repository: CrmRepository, run: () => Promise<T>, onSuccess: (value: T) => string): Promise<boolean> {
  try {
    const value = await run();
    stdout.write(`✓ ${name}: ${onSuccess(value)}`);
    return true;
  } catch (error) {
    const text = reason(error, repository);
    stdout.write(`✗ ${name}: ${text}\n`);
    const hint = hintFor(text, repository);
    if (hint !== undefined) stdout.write(`    → ${hint}\n`);
    return false;
  }
}

const context = () => ({ signal: AbortSignal.timeout(15_000) });

function labelLines(labels: readonly LabelRecord[]): string {
  const width = Math.min(24, Math.max(4, ...labels.map((label) => label.name.length)));
  const first = labels.slice(0, 10).map((label) => `    ${shown(label.name).padEnd(width)}  ${label.color_code}  id ${shown(label._id)}\n`);
  return `${first.join('')}${labels.length > 10 ? `    … and ${labels.length - 10} more\n` : ''}`;
}

function customerLines(customer: CustomerRecord, repository: CrmRepository, labels: readonly LabelRecord[]): string {
  const wire = readyCustomer(customer) as unknown as Record<string, unknown>;
  const fields = repository.profile.lookup.fields as Record<string, string | undefined>;
  const names = new Map(labels.map((label) => [label._id, label.name]));
  return CUSTOMER_FIELDS.map((field) => [field, wire[field]] as const)
    .map(([field, value]) => {
      const text = field === 'labels' ? `${JSON.stringify(value)}${(value as string[]).length === 0 ? '' : ` (${(value as string[]).map((id) => names.get(id) ?? 'not in the label list!').join(', ')})`}` : JSON.stringify(value);
      return `    ${field.padEnd(11)} ${shown(text).padEnd(34)} ← ${fields[field] === undefined ? '(not mapped)' : `${shown(fields[field])}`}\n`;
    })
    .join('');
}

/** `priority-routing-crm crm check`. */
async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({ args, options, allowPositionals: true });
  if (values.help) {
    stdout.write(HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action !== 'check') throw new UsageError(action === undefined ? 'crm needs a subcommand: check' : `unknown crm subcommand "${action}"; expected check`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const { config } = await resolveServeConfig({ crm: values.crm, 'default-country': values['default-country'], config: values.config }, process.env, false);
  if (config.crm === undefined) throw new UsageError('give --crm zoho, --crm hubspot, --crm dataverse, --crm salesforce, --crm pipedrive or --crm <profile.json>');
  const { openCrmRepository } = await import('./serve/crm.js');
  const repository = await openCrmRepository({ ...config, crm: config.crm }, process.env, 10_000);
  stdout.write(`crm check: ${shown(repository.profileName)}${config.defaultCountry === undefined ? ' (no --default-country: numbers are compared as digits)' : `, default country ${config.defaultCountry}`}\n`);

  let ok = true;
  if (repository.profile.auth.type === 'oauth2') {
    ok = await step('token', repository, () => repository.authenticate(context()), (info) => `obtained from ${info!.tokenUrl}: ${shown(info!.token)}${info!.renewedInSeconds === undefined ? ' (no expiry given: renewed when refused)' : ` (renewed in ${info!.renewedInSeconds} s)`}\n`);
  } else {
    stdout.write(`- token: ${repository.profile.auth.type} credentials from the profile (checked by the requests below)\n`);
  }
  let labels: readonly LabelRecord[] = [];
  if (ok) {
    ok = await step(
      'labels',
      repository,
      async () => (labels = await repository.listLabels(context())),
      (list) => (list.length === 0 ? 'none: every customer will be routed at priority 1 (create the tags or property options first)\n' : `${list.length} read\n${labelLines(list)}`),
    );
  }
  if (ok && values.phone !== undefined) {
    const phone = values.phone;
    const before = repository.stats().crmCalls;
    ok = await step(
      `lookup ${shown(phone)}`,
      repository,
      async () => {
        const found = await repository.findCustomerByPhone({ phone, normalizedPhone: phone.replace(/\D/g, '') }, context());
        if (found == null) throw new Error(`no contact has this number in a mapped phone field (the CRM was asked ${repository.stats().crmCalls - before} times; check --default-country and lookup.fields.phone1…phone5)`);
        return found;
      },
      (customer) => `customer ${shown(customer._id)} (${repository.stats().crmCalls - before} CRM requests)\n${customerLines(customer, repository, labels)}`,
    );
  }
  await repository.close();
  stdout.write(ok ? `all good: start "priority-routing-crm serve --crm ${shown(config.crm)}${config.defaultCountry === undefined ? '' : ` --default-country ${config.defaultCountry}`}"\n` : 'crm check failed\n');
  return ok ? 0 : 1;
}

/** `priority-routing-crm crm check`: the first thing a site runs against its CRM. */
export const crmCommand: Command = {
  summary: 'check a CRM source (token, labels, a lookup) before serving from it',
  main: runCheck,
};
