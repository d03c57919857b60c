import { fillCustomerUrl } from '../contract/url-template.js';
import { unreachableHint } from '../transport/tls-hints.js';
import { normalizePhone } from '../contract/index.js';
import { checkIds, type CheckId } from './checks.js';
import { createObserver, type Observation, type Observer, type Probe, type Received } from './observe.js';
import type { JudgedCustomer, LabelAnswer, Observed, PlusForms } from './observed.js';
import { resolveOptions, type ResolvedOptions, type VerifyConnectorOptions } from './options.js';
import { queryVariants } from './query-url.js';
import { redactCheckResult, redactPhonePriority } from './redact-report.js';
import type { CheckReport, CheckResult, PhonePriority } from './report.js';
import { seenLabels } from './seen.js';
import { customerStatus, labelsStatus } from './rules/answers.js';
import { customerLabelIdsExist, customerSchema, labelsSchema, labelsUniqueIds } from './rules/bodies.js';
import { errorsProblemJson, malformedQuery400, missingQuery400, post405, unknownNumber404 } from './rules/errors.js';
import { labelsNameCaseDuplicates, labelsNameWhitespace } from './rules/names.js';
import { okJson } from './rules/common.js';
import { customerContext, judgeCustomer } from './rules/customer.js';
import { idOf, plusForms } from './rules/plus-forms.js';
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
function hasNumber({ observation, json }: Received, phone: string): boolean {
  const body = okJson(observation, json)?.value as Record<string, unknown> | null | undefined;
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
    const received = await observer.send({ subject: `made-up number ${phone}`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, phone) });
    attempts.push(received.observation);
    if (!hasNumber(received, phone)) break;
  }
  return attempts;
}

function throwIfUnreachable(options: ResolvedOptions, observation: Observation, labels?: Observation): void {
  const { result, request } = observation;
  if (result.kind === 'network_error') {
    const message = options.redactText(`cannot reach the connector at ${request.url}: ${result.message}`);
    const hint = unreachableHint(result.code, result.message, result.url);
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

/**
 * Sends every request the selected checks need. Each answer is judged as it arrives and only
 * what the checks need is kept, never a body, so that memory does not grow with the number of
 * phones or the size of their answers.
 */
async function observe(options: ResolvedOptions): Promise<Observed> {
  const wants = (...ids: CheckId[]) => ids.some((id) => options.selected.has(id)) || options.selected.has('errors.problem-json');
  const variants = queryVariants(options.customerQueryUrl);
  const plusPhones = new Set(options.selected.has('customer.plus-forms') ? options.phones.filter((phone) => phone.startsWith('+')) : []);
  const observer = createObserver(options);
  observer.plan(1 + options.phones.length);
  if (wants('customer.unknown-number-404')) observer.plan(1);
  if (wants('customer.malformed-query-400', 'customer.missing-query-400') && variants !== undefined) observer.plan(2);
  if (wants('method.post-405')) observer.plan(2);
  observer.plan(plusPhones.size * 2);

  const { labels, labelChecks, labelArray, seenLabels: seen, context } = await observeLabels(observer, options);
  const customers: JudgedCustomer[] = [];
  const plusForms: PlusForms[] = [];
  for (const phone of options.phones) {
    const received = await observer.send({ subject: `phone ${phone}`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, phone) });
    if (customers.length === 0) throwIfUnreachable(options, received.observation, labels);
    const customer = judgeCustomer(phone, received, context);
    customers.push(customer);
    // Asked right after the raw form, so that no body waits for the others.
    if (plusPhones.has(phone) && !plusForms.some((entry) => entry.phone === phone)) plusForms.push(await observePlusForms(observer, options, customer));
  }

  const firstPhone = options.phones[0]!;
  const sendMalformed = wants('customer.malformed-query-400', 'customer.missing-query-400') && variants !== undefined;
  const send = async (probe: Probe) => (await observer.send(probe)).observation;
  return {
    labels,
    labelChecks,
    labelArray,
    seenLabels: seen,
    customers,
    unknown: wants('customer.unknown-number-404') ? await observeUnknown(observer, options) : [],
    malformed: sendMalformed ? await send({ subject: 'query=email:x', endpoint: 'customer', url: variants.malformed }) : undefined,
    missing: sendMalformed ? await send({ subject: 'no query', endpoint: 'customer', url: variants.missing }) : undefined,
    post: wants('method.post-405')
      ? [
          await send({ subject: 'POST customer URL', endpoint: 'customer', method: 'POST', body: '{}', url: fillCustomerUrl(options.customerQueryUrl, firstPhone) }),
          await send({ subject: 'POST label URL', endpoint: 'labels', method: 'POST', body: '{}', url: options.labelsUrl }),
        ]
      : [],
    plusForms,
  };
}

/**
 * Asks for the label list and judges it at once: the label checks, and what customers are
 * compared with. Its body goes when this returns.
 */
async function observeLabels(observer: Observer, options: ResolvedOptions) {
  const { observation, json } = await observer.send({ subject: 'label list', endpoint: 'labels', url: options.labelsUrl });
  throwIfUnreachable(options, observation);
  const labelList = okJson(observation, json);
  return {
    labels: observation,
    labelChecks: judgeLabels({ labels: observation, labelList }, options),
    labelArray: Array.isArray(labelList?.value),
    seenLabels: seenLabels(labelList, options.redactText),
    context: customerContext(options, labelList),
  };
}

/** The `%2B` and space forms of a `+` number, next to its raw form. */
async function observePlusForms(observer: Observer, options: ResolvedOptions, raw: JudgedCustomer): Promise<PlusForms> {
  const forms: PlusForms['forms'] = [{ form: 'raw', observation: raw.observation, found: raw.found, id: raw.id }];
  for (const [form, prefix] of [['%2B', '%2B'], ['space', '%20']] as const) {
    const { observation, json } = await observer.send({ subject: `phone ${raw.phone} (${form})`, endpoint: 'customer', url: fillCustomerUrl(options.customerQueryUrl, `${prefix}${raw.phone.slice(1)}`) });
    const body = okJson(observation, json);
    forms.push({ form, observation, found: body !== undefined, id: idOf(body) });
  }
  return { phone: raw.phone, forms };
}

const LABEL_CHECKS = ['labels.status', 'labels.schema', 'labels.unique-ids', 'labels.name-whitespace', 'labels.name-case-duplicates'] as const;
type LabelCheckId = (typeof LABEL_CHECKS)[number];

/** The checks of the label list alone, run as it arrives so that its body can go. */
function judgeLabels(answer: LabelAnswer, options: ResolvedOptions): Observed['labelChecks'] {
  // `timeoutMs` bounds judging too: a huge label list is judged until then.
  const deadline = performance.now() + options.timeoutMs;
  const rules: Record<LabelCheckId, () => CheckResult> = {
    'labels.status': () => labelsStatus(answer, options),
    'labels.schema': () => labelsSchema(answer, options.mode, deadline),
    'labels.unique-ids': () => labelsUniqueIds(answer),
    'labels.name-whitespace': () => labelsNameWhitespace(answer),
    'labels.name-case-duplicates': () => labelsNameCaseDuplicates(answer),
  };
  return Object.fromEntries(LABEL_CHECKS.filter((id) => options.selected.has(id)).map((id) => [id, rules[id]()]));
}

function evaluate(observed: Observed, options: ResolvedOptions): { checks: CheckResult[]; priorities?: PhonePriority[] } {
  const ranked = priority(observed, options.weights);
  const judged = (id: LabelCheckId) => () => observed.labelChecks[id]!;
  const rules: Record<CheckId, () => CheckResult> = {
    'labels.status': judged('labels.status'),
    'labels.schema': judged('labels.schema'),
    'labels.unique-ids': judged('labels.unique-ids'),
    'customer.status': () => customerStatus(observed, options),
    'customer.schema': () => customerSchema(observed, options.mode),
    'customer.label-ids-exist': () => customerLabelIdsExist(observed),
    'customer.plus-forms': () => plusForms(observed),
    'labels.name-whitespace': judged('labels.name-whitespace'),
    'labels.name-case-duplicates': judged('labels.name-case-duplicates'),
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
  const observed = await observe(resolved);
  const { checks, priorities } = evaluate(observed, resolved);
  const labels = observed.seenLabels;
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
    ...(labels === undefined ? {} : { labels }),
    customers: observed.customers.map(({ seen }) => seen),
  };
}
