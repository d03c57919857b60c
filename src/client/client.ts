import {
  LabelSchema,
  LenientLabelSchema,
  validateCustomer,
  validateLabelList,
  type LenientCustomer,
  type LenientLabelList,
  type StrictCustomer,
  type StrictLabelList,
  type ValidationMode,
  type Result,
  type ContractIssue,
} from '../contract/index.js';
import { parseJsonBody, readProblem } from '../transport/body.js';
import { assertMaxBodyBytes, DEFAULT_MAX_BODY_BYTES, formatBytes } from '../transport/body-limit.js';
import { customerLabelIssues, elementIssues } from '../transport/bounded-validate.js';
import { exchange, type ExchangeResponse, type ExchangeResult, type FetchLike } from '../transport/exchange.js';
import { resultMasker, type ResultMasker } from './mask-results.js';
import { resolvePriority, type PriorityResult, type PriorityWeights } from '../contract/priority.js';
import type { CustomerLookupResult, LabelListResult, RequestFailure, ResponseInfo } from './results.js';
import { assertConnectorUrls, fillCustomerUrl } from '../contract/url-template.js';

/**
 * Options of {@link createConnectorClient}.
 *
 * @example
 * ```ts
 * import { type ConnectorClientOptions, createConnectorClient } from 'priority-routing-crm';
 * const options: ConnectorClientOptions<'lenient'> = {
 *   customerQueryUrl: 'http://crm.example/cim/customer?query=phone:{refId}',
 *   labelsUrl: 'http://hc:secret@crm.example/cim/label',
 *   timeoutMs: 2000,
 *   mode: 'lenient',
 * };
 * const client = createConnectorClient(options);
 * ```
 */
export interface ConnectorClientOptions<M extends ValidationMode = ValidationMode> {
  /**
   * The customer query URL template, as in Hybrid Chat's `CIM_CUSTOMER_QUERY_URL`:
   * `http://crm.example/cim/customer?query=phone:{refId}`. It may hold other query parameters.
   */
  customerQueryUrl: string;
  /**
   * The label list URL, as in Hybrid Chat's `CIM_LABELS_API_PATH`: `http://crm.example/cim/label`.
   * In either URL, user info (`http://user:pass@crm.example/…`) is sent as `Authorization: Basic`.
   */
  labelsUrl: string;
  /** The `fetch` to send requests with; the global `fetch` by default. */
  fetch?: FetchLike | undefined;
  /**
   * How long one request (until the last byte of the body) may take; 5000 ms by default. Judging
   * a huge label list stops after the same time.
   */
  timeoutMs?: number | undefined;
  /**
   * The largest body read, 1 MiB (1048576) by default: a longer one is not read on, and a 200
   * with it is a contract violation ("the label list is larger than 1 MiB").
   */
  maxBodyBytes?: number | undefined;
  /** `strict` (default): every contract field; `lenient`: only what routing needs. */
  mode?: M | undefined;
  /**
   * Headers sent with every request, such as credentials: `{ authorization: 'Bearer …' }`. An
   * `authorization` here wins over user info in the URLs.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Show secrets in results: by default every `url` of a result has its user-info password and
   * every query value but the phone's masked (`token=***`, `user:***@`), and the client's
   * secrets (header values, the credential after an auth scheme, Basic `user:password`, URL
   * passwords, query tokens; as sent, decoded or encoded) are masked as `***` wherever a problem,
   * an issue or an error message quotes them.
   * A contract violation's `body` is always the body as received.
   */
  showSecrets?: boolean | undefined;
}

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * const result = await client.lookupCustomer('1111', { signal: AbortSignal.timeout(1000) });
 * ```
 */
export interface RequestOptions {
  /** Aborts the request; the returned promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * The customer type a client in mode `M` returns.
 *
 * @example
 * ```ts
 * import { type ClientCustomer } from 'priority-routing-crm';
 * const show = (customer: ClientCustomer<'lenient'>) => `${customer._id}: ${customer.labels.join(', ')}`;
 * ```
 */
export type ClientCustomer<M extends ValidationMode> = M extends 'lenient' ? LenientCustomer : StrictCustomer;
/**
 * The label list type a client in mode `M` returns.
 *
 * @example
 * ```ts
 * import { type ClientLabelList } from 'priority-routing-crm';
 * const names = (labels: ClientLabelList<'strict'>) => labels.map((label) => label.name);
 * ```
 */
export type ClientLabelList<M extends ValidationMode> = M extends 'lenient' ? LenientLabelList : StrictLabelList;

/**
 * What Hybrid Chat would do for one phone number, and what it got on the way.
 *
 * @example
 * ```ts
 * import { type PriorityLookup } from 'priority-routing-crm';
 * const lookup: PriorityLookup<'strict'> = await client.lookupPriority('1111', { Gold: 8 });
 * if (lookup.customer.kind !== 'found') console.log(`priority 1: ${lookup.customer.kind}`);
 * ```
 */
export interface PriorityLookup<M extends ValidationMode> extends PriorityResult {
  customer: CustomerLookupResult<ClientCustomer<M>>;
  /** The label list; not asked for when there is no customer. */
  labels: LabelListResult<ClientLabelList<M>> | undefined;
}

/**
 * A client for a connector, speaking to it as Hybrid Chat does.
 *
 * @example
 * ```ts
 * import { type ConnectorClient, createConnectorClient } from 'priority-routing-crm';
 * const client: ConnectorClient = createConnectorClient({ customerQueryUrl, labelsUrl });
 * client.customerUrl('+923001234567'); // '…?query=phone:+923001234567'
 * const labels = await client.listLabels();
 * ```
 */
export interface ConnectorClient<M extends ValidationMode = 'strict'> {
  /** The URL the client asks for `phone`: the template with `{refId}` replaced, unencoded. */
  customerUrl(phone: string): string;
  /** `GET` the customer with this phone number. Never rejects unless `signal` aborts. */
  lookupCustomer(phone: string, options?: RequestOptions): Promise<CustomerLookupResult<ClientCustomer<M>>>;
  /** `GET` the label list. Never rejects unless `signal` aborts. */
  listLabels(options?: RequestOptions): Promise<LabelListResult<ClientLabelList<M>>>;
  /**
   * The priority Hybrid Chat would give a chat from `phone`: looks the customer up, reads the
   * label list and resolves the weights. Any failure gives priority 1, as in Hybrid Chat.
   */
  lookupPriority(phone: string, weights: PriorityWeights, options?: RequestOptions): Promise<PriorityLookup<M>>;
}

const DEFAULT_TIMEOUT_MS = 5000;

type Endpoint = 'customer' | 'labels';

const info = (response: ExchangeResponse, endpoint: Endpoint, mask: ResultMasker): ResponseInfo => ({
  url: mask.url(response.url, endpoint),
  status: response.status,
  contentType: mask.text(response.contentType),
  durationMs: response.durationMs,
});

function failure(result: Exclude<ExchangeResult, ExchangeResponse>, endpoint: Endpoint, mask: ResultMasker): RequestFailure {
  const url = mask.url(result.url, endpoint);
  return result.kind === 'timeout'
    ? { ok: false, kind: 'timeout', url, timeoutMs: result.timeoutMs }
    : { ok: false, kind: 'network_error', url, message: mask.text(result.message), cause: result.cause };
}

const MAX_ISSUES = 50;
const ENDPOINT_NAMES: Record<Endpoint, string> = { customer: 'the customer', labels: 'the label list' };

/**
 * A 200's body, validated; the body's own JSON error when it is not JSON, or its size when it
 * was not read. A label list (and a customer's label ids, when some are not strings) is judged
 * entry by entry, keeping the first issues, until `deadline`: validated whole, 200,000 `{}`
 * would hold 1.6 million issues.
 */
function validated<T>(
  response: ExchangeResponse,
  endpoint: Endpoint,
  context: { mask: ResultMasker; maxBodyBytes: number; deadline: number; mode: ValidationMode },
  validate: (body: unknown) => Result<T>,
) {
  const { mask } = context;
  const violation = (issues: ContractIssue[], body: unknown, omitted = 0) => ({
    ok: false as const,
    kind: 'contract_violation' as const,
    issues: mask.issues(issues),
    ...(omitted > 0 ? { omittedIssues: omitted } : {}),
    body,
    response: info(response, endpoint, mask),
  });
  if (response.bodyTooLarge === true) {
    const message = `${ENDPOINT_NAMES[endpoint]} is larger than ${formatBytes(context.maxBodyBytes)}`;
    return violation([{ path: '$', message, code: 'too_big', segments: [] }], '');
  }
  const body = parseJsonBody(response.body);
  if (!body.ok) return violation([body.issue], response.body);
  if (endpoint === 'customer') {
    const bounded = customerLabelIssues(body.value, context.mode, { max: MAX_ISSUES, deadline: context.deadline });
    if (bounded !== undefined) return violation(bounded.issues, body.value, bounded.omitted);
  }
  if (endpoint === 'labels' && Array.isArray(body.value)) {
    const element = context.mode === 'lenient' ? LenientLabelSchema : LabelSchema;
    const bounded = elementIssues(body.value, element, { max: MAX_ISSUES, deadline: context.deadline });
    const stopped: ContractIssue[] =
      bounded.stoppedAt === undefined
        ? []
        : [{ path: `$[${bounded.stoppedAt}]`, message: `judging stopped at the time limit: the labels from here on were not checked`, code: 'timeout', segments: [bounded.stoppedAt] }];
    if (bounded.issues.length + stopped.length > 0) return violation([...bounded.issues, ...stopped], body.value, bounded.omitted);
  }
  const result = validate(body.value);
  return result.ok ? { ok: true as const, value: result.value } : violation(result.issues, body.value);
}

/**
 * Makes a client that does what Hybrid Chat does with a connector: puts the phone number into
 * the customer URL template unencoded, `GET`s the customer and the label list, validates both
 * against the contract and returns typed outcomes that never throw. The content type is not
 * held against a body that parses as JSON; `priority-routing-crm check` reports it.
 *
 * @example
 * ```ts
 * import { createConnectorClient } from 'priority-routing-crm';
 *
 * const client = createConnectorClient({
 *   customerQueryUrl: 'http://crm.example/cim/customer?query=phone:{refId}',
 *   labelsUrl: 'http://crm.example/cim/label',
 * });
 * const result = await client.lookupCustomer('+923001234567');
 * switch (result.kind) {
 *   case 'found': console.log(result.customer.labels); break;
 *   case 'not_found': console.log('routed at priority 1'); break;
 *   case 'contract_violation': for (const i of result.issues) console.error(`${i.path}: ${i.message}`); break;
 *   default: console.error(result.kind); // http_error, network_error, timeout
 * }
 * const { priority, matched } = await client.lookupPriority('1111', { Gold: 8, Vip: 10 });
 * ```
 */
export function createConnectorClient<M extends ValidationMode = 'strict'>(options: ConnectorClientOptions<M>): ConnectorClient<M> {
  assertConnectorUrls(options);
  const mode: ValidationMode = options.mode ?? 'strict';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mask = resultMasker(options);
  assertMaxBodyBytes('maxBodyBytes', options.maxBodyBytes);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const judging = () => ({ mask, maxBodyBytes, mode, deadline: performance.now() + timeoutMs });
  const get = (url: string, requestOptions: RequestOptions = {}) =>
    exchange({
      url,
      timeoutMs,
      maxBodyBytes,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(requestOptions.signal === undefined ? {} : { signal: requestOptions.signal }),
    });
  const customerUrl = (phone: string) => fillCustomerUrl(options.customerQueryUrl, phone);

  async function lookupCustomer(phone: string, requestOptions?: RequestOptions): Promise<CustomerLookupResult<ClientCustomer<M>>> {
    const response = await get(customerUrl(phone), requestOptions);
    if (response.kind !== 'response') return failure(response, 'customer', mask);
    const problem = () => mask.problem(readProblem(response.body));
    if (response.status === 404) return { ok: false, kind: 'not_found', problem: problem(), response: info(response, 'customer', mask) };
    if (response.status !== 200) {
      return { ok: false, kind: 'http_error', status: response.status, problem: problem(), response: info(response, 'customer', mask) };
    }
    const result = validated(response, 'customer', judging(), (body) => validateCustomer(body, { mode }));
    return result.ok ? { ok: true, kind: 'found', customer: result.value as ClientCustomer<M>, response: info(response, 'customer', mask) } : result;
  }

  async function listLabels(requestOptions?: RequestOptions): Promise<LabelListResult<ClientLabelList<M>>> {
    const response = await get(options.labelsUrl, requestOptions);
    if (response.kind !== 'response') return failure(response, 'labels', mask);
    if (response.status !== 200) {
      return { ok: false, kind: 'http_error', status: response.status, problem: mask.problem(readProblem(response.body)), response: info(response, 'labels', mask) };
    }
    const result = validated(response, 'labels', judging(), (body) => validateLabelList(body, { mode }));
    return result.ok ? { ok: true, kind: 'found', labels: result.value as ClientLabelList<M>, response: info(response, 'labels', mask) } : result;
  }

  async function lookupPriority(phone: string, weights: PriorityWeights, requestOptions?: RequestOptions): Promise<PriorityLookup<M>> {
    const customer = await lookupCustomer(phone, requestOptions);
    if (!customer.ok) return { ...resolvePriority({ customer: null, labels: [], weights }), customer, labels: undefined };
    const labels = await listLabels(requestOptions);
    const list = labels.ok ? labels.labels : [];
    return { ...resolvePriority({ customer: labels.ok ? customer.customer : null, labels: list, weights }), customer, labels };
  }

  return { customerUrl, lookupCustomer, listLabels, lookupPriority };
}
