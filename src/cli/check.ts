import { access, constants, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import process, { stderr, stdout } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import {
  CheckOptionsError,
  ConnectorUnreachableError,
  checkIds,
  escapeTerminal,
  formatGithubAnnotations,
  formatHtmlReport,
  formatJsonReport,
  formatJunitReport,
  formatTextReport,
  isCheckId,
  selectChecks,
  verifyConnector,
  type CheckId,
  type CheckReport,
} from '../checker/index.js';
import { countryCodeProblem, isCountryCode, type CountryCode } from '../contract/index.js';
import { assertPriorityWeights, type PriorityWeights } from '../contract/priority.js';
import { assertConnectorUrls } from '../contract/url-template.js';
import { forTerminal } from '../checker/reporters/escape.js';
import { checkHeaders, HEADER_ENV_PREFIX } from './check-headers.js';
import { progressLine, stylerFor } from './check-terminal.js';
import type { Command } from './main.js';
import { EXIT_USAGE, parseCommandLine, readJsonFile, UsageError } from './usage.js';

const HELP = `Usage: priority-routing-crm check --phone <number> [--phone <number> …] [options]

Checks a live connector as Hybrid Chat will use it: both endpoints, the customer and label
bodies, label ids and names, error answers, the + forms of a number, and (with weights) the
priority each phone would get. Run against a connector with known customers.

Options:
      --customer-url <url>   customer query URL template with {refId}
                             (default: $CIM_CUSTOMER_QUERY_URL)
      --labels-url <url>     label list URL (default: $CIM_LABELS_API_PATH)
      --phone <number>       phone number of a known customer; repeat for more (required);
                             one starting with + also checks its %2B and space forms
      --header <name: value> header sent with every request, e.g. credentials; repeatable
                             (values are masked as *** in every report)
      --header-from-env <variable>
                             the same, from an environment variable holding "Name: value",
                             so that a secret is not on the command line; repeatable
      --show-secrets         print header values, URL passwords and query tokens
                             instead of *** (reports are then not fit to share)
      --timeout <ms>         time limit per request, and for judging the answers; no answer
                             in time fails (default: 5000)
      --max-body-bytes <n>   the largest body read; a longer one fails its check
                             (default: 1048576, 1 MiB)
      --budget <ms>          a slower answer warns (default: 1000)
      --lenient              check only what routing needs instead of every field
      --default-country <CC> country of the numbers the connector stores without one, such
                             as PK: a --phone in a national spelling then warns with the
                             number Hybrid Chat would send instead
      --weights <list>       routing weights, e.g. Gold=8,Vip=10 (1 to 10): adds the priority check
      --weights-file <file>  the same as a JSON object: { "Gold": 8, "Vip": 10 }
      --only <ids>           run only these checks (comma-separated ids)
      --skip <ids>           leave these checks out (comma-separated ids)
      --format <format>      text (default), json, junit or html
      --output <file>        write the report to a file; a text report still goes to stdout
      --html <file>          also write the report as a self-contained HTML page (no
                             script, nothing loaded), beside any --format
  -h, --help                 show this help

Checks: ${checkIds.join(', ')}

Each ${HEADER_ENV_PREFIX}<NAME> variable adds a header too: ${HEADER_ENV_PREFIX}AUTHORIZATION sends
Authorization, ${HEADER_ENV_PREFIX}X_API_KEY sends X-Api-Key (_ as -), with the variable's value.
A header given twice, in any case and from any of these, is an error.

User info in a URL (http://user:pass@host/…) is sent as Authorization: Basic. Redirects are
not followed: a 3xx answer fails the check. In everything printed, header values, URL passwords,
fragments and the values of query parameters other than the phone's are ***, also where the
connector's own answers quote them.

Exit codes: 0 no check failed (warnings allowed); 1 a check failed; 2 a wrong option, an
unwritable --output, or a connector that is unreachable or answers nothing in time.
`;

const options = {
  'customer-url': { type: 'string' },
  'labels-url': { type: 'string' },
  phone: { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  'header-from-env': { type: 'string', multiple: true },
  'show-secrets': { type: 'boolean' },
  timeout: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  budget: { type: 'string' },
  lenient: { type: 'boolean' },
  'default-country': { type: 'string' },
  weights: { type: 'string' },
  'weights-file': { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  output: { type: 'string' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Formatter = (report: CheckReport, options: { budgetMs?: number | undefined }) => string;
const FORMATS: Record<'text' | 'json' | 'junit' | 'html', Formatter> = {
  text: (report) => formatTextReport(report),
  json: formatJsonReport,
  junit: formatJunitReport,
  html: formatHtmlReport,
};
type Format = keyof typeof FORMATS;

function milliseconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  if (!(ms > 0)) throw new UsageError(`--${flag} must be a positive number of milliseconds (or seconds with "s"), got ${JSON.stringify(value)}`);
  return ms;
}

function byteCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(Number.isSafeInteger(bytes) && bytes > 0)) throw new UsageError(`--${flag} must be a positive integer number of bytes, got ${JSON.stringify(value)}`);
  return bytes;
}

// As `serve --default-country` reads it: any case, blanks trimmed.
function country(value: string | undefined): CountryCode | undefined {
  if (value === undefined) return undefined;
  const code = value.trim().toUpperCase();
  if (!isCountryCode(code)) throw new UsageError(countryCodeProblem('--default-country', value));
  return code;
}

function checkList(flag: string, values: readonly string[] | undefined): CheckId[] | undefined {
  if (values === undefined) return undefined;
  const ids = values.flatMap((value) => value.split(',')).map((id) => id.trim()).filter((id) => id !== '');
  const unknown = ids.filter((id) => !isCheckId(id));
  if (unknown.length > 0) throw new UsageError(`--${flag}: unknown check id ${unknown.join(', ')}; known ids: ${checkIds.join(', ')}`);
  return ids as CheckId[];
}

function weightList(value: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const entry of value.split(',')) {
    const equals = entry.lastIndexOf('=');
    const name = entry.slice(0, equals).trim();
    const weight = entry.slice(equals + 1).trim();
    if (equals <= 0 || name === '' || !/^\d+$/.test(weight)) {
      throw new UsageError(`--weights must look like Gold=8,Vip=10, got ${JSON.stringify(entry)}`);
    }
    weights[name] = Number(weight);
  }
  return weights;
}

const weightsFile = (file: string) => readJsonFile(file, '--weights-file', (message) => new UsageError(message));

async function readWeights(list: string | undefined, file: string | undefined): Promise<PriorityWeights | undefined> {
  if (list !== undefined && file !== undefined) throw new UsageError('give --weights or --weights-file, not both');
  const weights = list !== undefined ? weightList(list) : file !== undefined ? await weightsFile(file) : undefined;
  if (weights === undefined) return undefined;
  try {
    assertPriorityWeights(weights);
  } catch (error) {
    throw new UsageError(`${list === undefined ? '--weights-file' : '--weights'}: ${(error as Error).message}`);
  }
  return weights;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

// Checked before any request, so that a wrong path does not cost a whole run and then exit 1.
async function assertWritable(file: string, flag = '--output'): Promise<void> {
  const target = resolve(file);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory() === true) throw new UsageError(`${flag} ${file} is a directory; give a file name`);
  const directory = dirname(target);
  const parent = await stat(directory).catch(() => undefined);
  if (parent?.isDirectory() !== true) throw new UsageError(`${flag} ${file}: the directory ${directory} does not exist`);
  await access(existing === undefined ? directory : target, constants.W_OK).catch((error: unknown) => {
    throw new UsageError(`${flag} ${file}: cannot write there (${errorCode(error)})`);
  });
}

async function writeReport(file: string, flag: string, text: string): Promise<void> {
  await writeFile(file, text).catch((error: unknown) => {
    throw new UsageError(`cannot write ${flag} ${file}: ${errorCode(error)}`);
  });
}

/** A URL from its flag or, without one, Hybrid Chat's variable, and the name its errors use. */
function required(flag: string, value: string | undefined, variable: string): { value: string; name: string } {
  const url = value ?? process.env[variable];
  if (url === undefined || url === '') throw new UsageError(`give --${flag} or set ${variable}`);
  return { value: url, name: value === undefined ? variable : `--${flag}` };
}

/** Both URLs, checked before any request under the names the operator gave them. */
function connectorUrls(values: { 'customer-url'?: string; 'labels-url'?: string }) {
  const customer = required('customer-url', values['customer-url'], 'CIM_CUSTOMER_QUERY_URL');
  const labels = required('labels-url', values['labels-url'], 'CIM_LABELS_API_PATH');
  try {
    assertConnectorUrls({ customerQueryUrl: customer.value, labelsUrl: labels.value }, { customerQueryUrl: customer.name, labelsUrl: labels.name });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { customerQueryUrl: customer.value, labelsUrl: labels.value };
}

async function run(args: string[]): Promise<number> {
  // A connector's 1 MiB body parses to tens of MB that live only while one check judges it;
  // V8's default heap growth lets that garbage pile up to 3-4 times the live set before a full
  // GC (349,525 `{}`: 262-307 MB peak RSS). Collecting early keeps `check` under the 256 MB
  // goal of issue 8 (bench/check-memory.ts). The flag is read at each heap-growth decision, so
  // setting it here, before any body is read, takes effect; the CLI owns its process.
  setFlagsFromString('--optimize-for-size');
  const { values } = parseCommandLine({ args, options });
  if (values.help === true) {
    stdout.write(HELP);
    return 0;
  }
  const format = values.format as Format;
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`--format must be text, json, junit or html, got ${JSON.stringify(values.format)}`);
  const phones = values.phone ?? [];
  if (phones.length === 0) throw new UsageError('give at least one --phone: the number of a customer the connector knows');
  const only = checkList('only', values.only);
  const skip = checkList('skip', values.skip);
  if (selectChecks({ only, skip }).size === 0) throw new UsageError('--only and --skip leave no check to run');
  const weights = await readWeights(values.weights, values['weights-file']);
  const timeoutMs = milliseconds('timeout', values.timeout);
  const budgetMs = milliseconds('budget', values.budget);
  const maxBodyBytes = byteCount('max-body-bytes', values['max-body-bytes']);
  const defaultCountry = country(values['default-country']);
  const requestHeaders = checkHeaders(values.header, values['header-from-env'], process.env);
  const { customerQueryUrl, labelsUrl } = connectorUrls(values);
  if (values.output !== undefined) await assertWritable(values.output);
  if (values.html !== undefined) await assertWritable(values.html, '--html');
  // One file for both: the HTML page would silently replace the report CI reads.
  if (values.output !== undefined && values.html !== undefined && resolve(values.output) === resolve(values.html)) {
    throw new UsageError(`--output and --html name the same file, ${values.html}: give each report its own file`);
  }

  const progress = progressLine(stderr);
  let report: CheckReport;
  try {
    report = await verifyConnector({
      customerQueryUrl,
      labelsUrl,
      phones,
      headers: requestHeaders,
      mode: values.lenient === true ? 'lenient' : 'strict',
      showSecrets: values['show-secrets'] === true,
      ...(weights === undefined ? {} : { weights }),
      ...(only === undefined ? {} : { only }),
      ...(skip === undefined ? {} : { skip }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(budgetMs === undefined ? {} : { budgetMs }),
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
      ...(defaultCountry === undefined ? {} : { defaultCountry }),
      onProgress: ({ done, total, step }) => progress.update(`checking ${done + 1}/${total} ${step}`),
    });
  } catch (error) {
    if (error instanceof CheckOptionsError) throw new UsageError(error.message);
    if (error instanceof ConnectorUnreachableError) {
      stderr.write(`priority-routing-crm: ${escapeTerminal(error.message)}\n${escapeTerminal(error.hint)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    progress.clear();
  }

  const toStdout = values.output === undefined ? format : 'text';
  const formatOptions = { budgetMs };
  if (values.output !== undefined) await writeReport(values.output, '--output', FORMATS[format](report, formatOptions));
  if (values.html !== undefined) await writeReport(values.html, '--html', formatHtmlReport(report, formatOptions));
  const style = toStdout === 'text' ? stylerFor(stdout, process.env) : undefined;
  const shown = toStdout === 'text' ? formatTextReport(report, style === undefined ? {} : { style }) : FORMATS[toStdout](report, formatOptions);
  // JSON and JUnit carry a connector's C1, bidi and line-separator characters raw, as a file
  // should; a terminal gets them escaped, the document unchanged to a parser.
  stdout.write(stdout.isTTY ? forTerminal(toStdout, shown) : shown);
  // Annotations on stdout would break a JSON or JUnit report written there.
  if (process.env.GITHUB_ACTIONS === 'true') (toStdout === 'text' ? stdout : stderr).write(formatGithubAnnotations(report));
  return report.ok ? 0 : 1;
}

/**
 * `priority-routing-crm check`: verifies a live connector; exit 0 (passed), 1 (a check failed) or 2.
 */
export const checkCommand: Command = {
  summary: 'check a live connector against the contract',
  main: run,
};
