import { fillCustomerUrl } from '../contract/url-template.js';
import { tlsErrorHint } from '../transport/tls-hints.js';
import { normalizePhone } from '../contract/index.js';
import { checkIds, type CheckId } from './checks.js';
import { createObserver, type Observation, type Observer } from './observe.js';
import type { Observed, PlusForms } from './observed.js';
import { resolveOptions, type ResolvedOptions, type VerifyConnectorOptions } from './options.js';
import { queryVariants } from './query-url.js';
import { redactCheckResult, redactPhonePriority } from './redact-report.js';
import type { CheckReport, CheckResult, PhonePriority } from './report.js';
import { customerStatus, labelsStatus } from './rules/answers.js';
import { customerLabelIdsExist, customerSchema, labelsSchema, labelsUniqueIds } from './rules/bodies.js';
import { errorsProblemJson, malformedQuery400, missingQuery400, post405, unknownNumber404 } from './rules/errors.js';
import { labelsNameCaseDuplicates, labelsNameWhitespace } from './rules/names.js';
import { plusForms } from './rules/plus-forms.js';
import { priority } from './rules/priority.js';

/**
 * The connector did not answer at all: the label list or the first customer request got no
 * response (connection refused, DNS, TLS), or neither answered within the time limit. The CLI
 * exits with 2 on it. The message and `url` show the URL with its secrets masked.
 *
 * @example
 * ```ts
 * import { ConnectorUnreachableError, verifyConnector } from 'priority-routing-crm/testing';
 * try { await verifyConnector(options); } catch (error) { if (error instanceof ConnectorUnreachableError) console.error(error.message); }
 * ```
 */
export class ConnectorUnreachableError extends Error {
  override name = 'ConnectorUnreachableError';
  /** The URL that got no answer, masked unless `showSecrets`. */
  readonly url: string;
  /** `network_error`: no connection; `timeout`: connected, or tried to, but no answer in time. */
  readonly reason: 'network_error' | 'timeout';
  /**
   * What to do, in a sentence: for a TLS certificate Node.js refused, how to make it trusted
   * (`NODE_EXTRA_CA_CERTS`) or which host name it lacks; otherwise to check that the connector
   * runs and the URLs are right.
   */
  readonly hint: string;
  constructor(url: string, reason: 'network_error' | 'timeout', message: string, hint = DEFAULT_HINT) {
    super(message);
    this.url = url;
    this.reason = reason;
    this.hint = hint;
  }
}

const DEFAULT_HINT = 'Is the connector running, and are the URLs right?';

const MAX_UNKNOWN_ATTEMPTS = 3;

// Fifteen digits behind "000": never a real subscriber number, and random so that a connector
// cannot special-case it.
function madeUpNumber(): string {
  const digits = crypto.getRandomValues(new Uint8Array(12));
  return `000${Array.from(digits, (byte) => String(byte % 10)).join('')}`;
}

/** Whether a 200 for a made-up number is a real customer who happens to have it. */
function hasNumber(observation: Observation, phone: string): boolean {
  const json = observation.json;
  if (observation.result.kind !== 'response' || observation.result.status !== 200 || !json.ok) return false;
  const body = json.value as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null) return false;
  return ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'].some((field) => {
    const value = body[field];
    return typeof value === 'string' && value !== '' && normalizePhone(value) === phone;
  });
}

async function observeUnknown(observer: Observer, options: ResolvedOptions): Promise<Observation[]> {
  const attempts: Observation[] = [];
  for (let attempt = 0; attempt < MAX_UNKNOWN_ATTEMPTS; attempt += 1) {
    if (attempt > 0) observer.plan(1);
    const phone = madeUpNumber();
    const observation = await observer.send({ subject: `made-up number ${phone}`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, phone) });
    attempts.push(observation);
    if (!hasNumber(observation, phone)) break;
  }
  return attempts;
}

function throwIfUnreachable(options: ResolvedOptions, observation: Observation, labels?: Observation): void {
  const { result, request } = observation;
  if (result.kind === 'network_error') {
    const message = options.redactText(`cannot reach the connector at ${request.url}: ${result.message}`);
    const hint = tlsErrorHint(result.code, result.url);
    throw new ConnectorUnreachableError(request.url, 'network_error', message, hint === undefined ? undefined : options.redactText(hint));
  }
  // One slow endpoint is a failed check; both silent means nothing is answering.
  if (result.kind === 'timeout' && labels?.result.kind === 'timeout') {
    throw new ConnectorUnreachableError(
      request.url,
      'timeout',
      `the connector did not answer within ${result.timeoutMs} ms: neither ${labels.request.url} nor ${request.url} answered`,
    );
  }
}

/** Sends every request the selected checks need. */
async function observe(options: ResolvedOptions): Promise<Observed> {
  const wants = (...ids: CheckId[]) => ids.some((id) => options.selected.has(id)) || options.selected.has('errors.problem-json');
  const variants = queryVariants(options.customerQueryUrl);
  const plusPhones = options.selected.has('customer.plus-forms') ? options.phones.filter((phone) => phone.startsWith('+')) : [];
  const observer = createObserver(options);
  observer.plan(1 + options.phones.length);
  if (wants('customer.unknown-number-404')) observer.plan(1);
  if (wants('customer.malformed-query-400', 'customer.missing-query-400') && variants !== undefined) observer.plan(2);
  if (wants('method.post-405')) observer.plan(2);
  observer.plan(plusPhones.length * 2);

  const labels = await observer.send({ subject: 'label list', endpoint: 'labels', url: options.labelsUrl });
  throwIfUnreachable(options, labels);
  const customers: Observed['customers'] = [];
  for (const phone of options.phones) {
    const observation = await observer.send({ subject: `phone ${phone}`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, phone) });
    if (customers.length === 0) throwIfUnreachable(options, observation, labels);
    customers.push({ phone, observation });
  }

  const firstPhone = options.phones[0]!;
  const sendMalformed = wants('customer.malformed-query-400', 'customer.missing-query-400') && variants !== undefined;
  const observed: Observed = {
    labels,
    customers,
    unknown: wants('customer.unknown-number-404') ? await observeUnknown(observer, options) : [],
    malformed: sendMalformed ? await observer.send({ subject: 'query=email:x', endpoint: 'customer', url: variants.malformed }) : undefined,
    missing: sendMalformed ? await observer.send({ subject: 'no query', endpoint: 'customer', url: variants.missing }) : undefined,
    post: wants('method.post-405')
      ? [
          await observer.send({ subject: 'POST customer URL', endpoint: 'customer', method: 'POST', body: '{}', url: fillCustomerUrl(options.customerQueryUrl, firstPhone) }),
          await observer.send({ subject: 'POST label URL', endpoint: 'labels', method: 'POST', body: '{}', url: options.labelsUrl }),
        ]
      : [],
    plusForms: [],
  };
  for (const phone of plusPhones) {
    const raw = customers.find((customer) => customer.phone === phone)!.observation;
    const forms: PlusForms['forms'] = [{ form: 'raw', observation: raw }];
    for (const [form, prefix] of [['%2B', '%2B'], ['space', '%20']] as const) {
      const observation = await observer.send({ subject: `phone ${phone} (${form})`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, `${prefix}${phone.slice(1)}`) });
      forms.push({ form, observation });
    }
    observed.plusForms.push({ phone, forms });
  }
  return observed;
}

function evaluate(observed: Observed, options: ResolvedOptions): { checks: CheckResult[]; priorities?: PhonePriority[] } {
  // `timeoutMs` bounds judging too: a huge label list is judged until then.
  const deadline = performance.now() + options.timeoutMs;
  const ranked = priority(observed, options.weights);
  const rules: Record<CheckId, () => CheckResult> = {
    'labels.status': () => labelsStatus(observed, options),
    'labels.schema': () => labelsSchema(observed, options.mode, deadline),
    'labels.unique-ids': () => labelsUniqueIds(observed),
    'customer.status': () => customerStatus(observed, options),
    'customer.schema': () => customerSchema(observed, options.mode, deadline),
    'customer.label-ids-exist': () => customerLabelIdsExist(observed),
    'customer.plus-forms': () => plusForms(observed),
    'labels.name-whitespace': () => labelsNameWhitespace(observed),
    'labels.name-case-duplicates': () => labelsNameCaseDuplicates(observed),
    'customer.unknown-number-404': () => unknownNumber404(observed),
    'customer.malformed-query-400': () => malformedQuery400(observed),
    'customer.missing-query-400': () => missingQuery400(observed),
    'method.post-405': () => post405(observed),
    'errors.problem-json': () => errorsProblemJson(observed),
    priority: () => ranked.result,
  };
  const checks = checkIds.filter((id) => options.selected.has(id)).map((id) => redactCheckResult(rules[id](), options.redactText));
  if (ranked.priorities === undefined || !options.selected.has('priority')) return { checks };
  return { checks, priorities: ranked.priorities.map((entry) => redactPhonePriority(entry, options.redactText)) };
}

/**
 * Checks a live connector against the contract, as Hybrid Chat will use it: runs the fixed list
 * of checks in `checkDefinitions` and returns a report whose `ok` is `false` when one failed.
 * Never throws for what the connector does; throws `CheckOptionsError` for bad options and
 * {@link ConnectorUnreachableError} when the connector does not answer at all.
 *
 * @example
 * ```ts
 * import { verifyConnector } from 'priority-routing-crm/testing';
 *
 * const report = await verifyConnector({
 *   customerQueryUrl: 'http://127.0.0.1:3000/customer?query=phone:{refId}',
 *   labelsUrl: 'http://127.0.0.1:3000/label',
 *   phones: ['1111', '+923001234567'],
 *   weights: { Gold: 8, Vip: 10 },
 * });
 * for (const check of report.checks) if (check.status === 'fail') console.error(check.id, check.detail);
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export async function verifyConnector(options: VerifyConnectorOptions): Promise<CheckReport> {
  const resolved = resolveOptions(options);
  const startedAt = new Date();
  const started = performance.now();
  const { checks, priorities } = evaluate(await observe(resolved), resolved);
  const tally = (status: CheckResult['status']) => checks.filter((check) => check.status === status).length;
  const summary = { total: checks.length, pass: tally('pass'), fail: tally('fail'), warn: tally('warn'), skip: tally('skip') };
  return {
    customerQueryUrl: resolved.redactUrl(resolved.customerQueryUrl, 'customer'),
    labelsUrl: resolved.redactUrl(resolved.labelsUrl, 'labels'),
    mode: resolved.mode,
    phones: [...resolved.phones],
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    ok: summary.fail === 0,
    summary,
    checks,
    ...(priorities === undefined ? {} : { priorities }),
  };
}
