import { type Customer, type CustomerQuery, type CustomerQueryError, parseCustomerQuery } from '../contract/index.js';
import { type Answer, answer, customerTrace, type Trace, traceOf } from './answer.js';
import { type CallOutcome, callRepository } from './call.js';
import { failedCall, invalidData, unexpected } from './failures.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import { type HandlerOptions, resolveSettings, type Settings } from './options.js';
import { readCommonQuery, withPhoneKeys } from './phone-query.js';
import { handleRoute, singleRoute } from './pipeline.js';
import { problemDetails, problemResponse } from './problems.js';
import type { CustomerRecord, CustomerRepository, MaybePromise, RepositoryContext } from './repository.js';
import { readQueryParam } from './url.js';
import { isValidated, phoneLookupOf, pickCustomer, readyCustomerBody, validateForWire } from './wire.js';

/**
 * The steps of `GET /customer?query=phone:{refId}` for a request already routed here and let
 * through: query → repository → shape → response. Synchronous when the repository is.
 */
export function answerCustomer(repository: CustomerRepository, search: string, settings: Settings): MaybePromise<Answer> {
  // Hybrid Chat's own shape (`query=phone:+92…`) without the general reader and its regular expressions.
  let parsed = readCommonQuery(search);
  if (parsed === undefined) {
    const param = readQueryParam(search, 'query');
    if (!param.ok) return answer(problemResponse('invalidQuery', problemDetails.invalidQuery(param.reason)), CUSTOMER);
    const query = parseCustomerQuery(param.value);
    if (!query.ok) return answer(problemResponse('invalidQuery', problemDetails.invalidQuery(query.issues[0]?.code as CustomerQueryError)), CUSTOMER);
    parsed = query.value;
  }
  // Always masked, even with no onError given: the default stderr line names the phone too.
  const trace = customerTrace(parsed.phone, settings.maskPhone);
  // From here on a bug is reported with the phone, as every other failure of this lookup is.
  try {
    return findCustomer(repository, parsed, settings, trace);
  } catch (error) {
    return unexpected(error, settings, trace);
  }
}

const CUSTOMER = traceOf('customer');

function findCustomer(repository: CustomerRepository, parsed: CustomerQuery, settings: Settings, trace: Trace): MaybePromise<Answer> {
  // The memory repository's lookup by the parsed query: no query object, no phoneKeys.
  const lookup = phoneLookupOf(repository);
  if (lookup !== undefined) return foundAnswer(lookup(parsed), trace);
  const asked = withPhoneKeys(parsed, settings.defaultCountry);
  if (isValidated(repository)) {
    // Pre-validated and synchronous (a wrapper of the memory repository): no timer, no signal, no schema.
    return foundAnswer(repository.findCustomerByPhone(asked, IDLE_CONTEXT) as CustomerRecord | null | undefined, trace);
  }
  return callRepository(
    (context) => repository.findCustomerByPhone(asked, context),
    settings.timeoutMs,
    (outcome) => shapeCustomer(outcome, settings, trace),
  );
}

/** What the repository answered, as the response the contract allows (a bug in checking it is a 500 with the phone). */
function shapeCustomer(outcome: CallOutcome<CustomerRecord | null | undefined>, settings: Settings, trace: Trace): Answer {
  try {
    return checkedCustomer(outcome, settings, trace);
  } catch (error) {
    return unexpected(error, settings, trace);
  }
}

function checkedCustomer(outcome: CallOutcome<CustomerRecord | null | undefined>, settings: Settings, trace: Trace): Answer {
  if (!outcome.ok) return failedCall(outcome, settings, trace);
  if (outcome.value === null || outcome.value === undefined) return answer(customerNotFound(), trace);
  // A customer kept by withCache: validated and serialized when it was stored.
  const kept = readyCustomerBody(outcome.value);
  if (kept !== undefined) return answer(customerBody(kept), trace);
  const customer = validateForWire(outcome.value);
  return customer.ok ? answer(customerFound(customer.value), trace) : invalidData(customer.issues, 'a customer', settings, trace);
}

/** A pre-validated repository's answer: only the contract's fields are picked. */
const foundAnswer = (found: CustomerRecord | null | undefined, trace: Trace): Answer =>
  answer(found === null || found === undefined ? customerNotFound() : customerFound(pickCustomer(found as Customer)), trace);

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
 * lies or hangs. The path is not looked at: whatever routed the request here chose the route.
 * Never rejects (a bug is a 500 reported to `onError`); a wrong option throws at once, as
 * `createConnector` does. Use `createConnector` to serve both routes with routing.
 *
 * @example
 * ```ts
 * // A serverless function for the customer route alone (AWS Lambda behind an HTTP API).
 * import { createMemoryRepository, lookupCustomer, sampleDataSet } from 'priority-routing-crm';
 * const repository = createMemoryRepository(sampleDataSet, { defaultCountry: 'PK' });
 * export async function handler(event: { rawPath: string; rawQueryString: string; headers: Record<string, string> }) {
 *   const { status, headers, body } = await lookupCustomer(repository, { url: `${event.rawPath}?${event.rawQueryString}`, headers: event.headers });
 *   return { statusCode: status, headers, body: body ?? '' };
 * }
 * ```
 */
export function lookupCustomer(
  repository: CustomerRepository,
  request: ConnectorRequest,
  options?: HandlerOptions,
): Promise<ConnectorResponse> {
  const settings = resolveSettings(options);
  return handleRoute(request, singleRoute('customer', settings, (_request, _route, search) => answerCustomer(repository, search, settings)));
}
