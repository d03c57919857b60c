import { type Customer, type CustomerQueryError, parseCustomerQuery } from '../contract/index.js';
import { type CallOutcome, callRepository, isThenable } from './call.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import { type HandlerOptions, resolveSettings, type Settings } from './options.js';
import { withPhoneKeys } from './phone-query.js';
import { type Exchange, failedCall, invalidData, runRoute } from './pipeline.js';
import { problemDetails, problemResponse } from './problems.js';
import type { CustomerRecord, CustomerRepository, MaybePromise, RepositoryContext } from './repository.js';
import { readQueryParam, splitUrl } from './url.js';
import { isValidated, pickCustomer, readyCustomerBody, validateForWire } from './wire.js';

/**
 * Answers `GET /customer?query=phone:{refId}` for a request already routed here; synchronously when the repository is.
 *
 * @example
 * ```ts
 * const response = await answerCustomer(repository, 'query=phone:1111', settings, { route: 'customer', phone: undefined });
 * ```
 */
export function answerCustomer(
  repository: CustomerRepository,
  search: string,
  settings: Settings,
  exchange: Exchange,
): MaybePromise<ConnectorResponse> {
  const param = readQueryParam(search, 'query');
  if (!param.ok) return problemResponse('invalidQuery', problemDetails.invalidQuery(param.reason));
  const query = parseCustomerQuery(param.value);
  if (!query.ok) return problemResponse('invalidQuery', problemDetails.invalidQuery(query.issues[0]?.code as CustomerQueryError));
  // Always: with no onError given, failures are still logged (to stderr) with the masked phone.
  exchange.phone = settings.maskPhone(query.value.phone);
  const asked = withPhoneKeys(query.value, settings.defaultCountry);

  if (isValidated(repository)) {
    // Pre-validated and synchronous (the memory repository): no timer, no signal, no schema.
    const found = repository.findCustomerByPhone(asked, IDLE_CONTEXT) as CustomerRecord | null | undefined;
    return found === null || found === undefined ? customerNotFound() : customerFound(pickCustomer(found as Customer));
  }
  const outcome = callRepository((context) => repository.findCustomerByPhone(asked, context), settings.timeoutMs);
  if (!isThenable(outcome)) return customerResponse(outcome, settings, exchange);
  return Promise.resolve(outcome).then((result) => customerResponse(result, settings, exchange));
}

function customerResponse(outcome: CallOutcome<CustomerRecord | null | undefined>, settings: Settings, exchange: Exchange): ConnectorResponse {
  if (!outcome.ok) return failedCall(outcome, settings, exchange);
  if (outcome.value === null || outcome.value === undefined) return customerNotFound();
  // A customer kept by withCache: validated and serialized when it was stored.
  const kept = readyCustomerBody(outcome.value);
  if (kept !== undefined) return customerBody(kept);
  const customer = validateForWire(outcome.value);
  return customer.ok ? customerFound(customer.value) : invalidData(customer.issues, 'a customer', settings, exchange);
}

const customerNotFound = () => problemResponse('customerNotFound', problemDetails.customerNotFound());

const customerFound = (customer: Customer): ConnectorResponse => customerBody(JSON.stringify(customer));

const customerBody = (body: string): ConnectorResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body,
});

/** The context for pre-validated repositories, which answer at once and so never need aborting. */
const IDLE_CONTEXT: RepositoryContext = Object.freeze({ signal: new AbortController().signal });

/**
 * Answers `GET /customer?query=phone:{refId}` with a framework-agnostic request and response:
 * 200 with exactly the contract's customer fields, 400 for a bad query, 404 when no customer has
 * the number, 405 for a method other than GET or HEAD, 500/502/504 when the repository fails,
 * lies or hangs. Never rejects. Use {@link createConnector} to serve both routes with routing.
 */
export function lookupCustomer(
  repository: CustomerRepository,
  request: ConnectorRequest,
  options?: HandlerOptions,
): Promise<ConnectorResponse> {
  const settings = resolveSettings(options);
  const { search } = splitUrl(request.url);
  return runRoute('customer', request, settings, (exchange) => answerCustomer(repository, search, settings, exchange));
}
