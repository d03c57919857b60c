import { CrmResponseError } from '../crm/errors.js';
import { CircuitOpenError } from '../repositories/circuit-open-error.js';
import { type Answer, answer, type Trace } from './answer.js';
import type { CallOutcome } from './call.js';
import { callHook, type ConnectorErrorEvent } from './hooks.js';
import type { Settings } from './options.js';
import { circuitOpenResponse, problemDetails, problemResponse } from './problems.js';

/** A failure as a step knows it; the route and phone come from the trace it is reported under. */
export type Failure = Omit<ConnectorErrorEvent, 'route' | 'phone'>;

/**
 * Reports a failure to `onError` under `trace`, never letting the hook itself fail the response.
 */
export function report(settings: Settings, trace: Trace, failure: Failure): void {
  const event: ConnectorErrorEvent = { ...failure, route: trace.route };
  if (trace.phone !== undefined) event.phone = trace.phone;
  callHook(settings.onError, event);
}

/**
 * The 500, 502 (a CRM profile's unusable answer), 503 (circuit breaker open, CRM rate limit) or 504 for a repository call that threw, rejected or timed out.
 */
export function failedCall(outcome: Exclude<CallOutcome<unknown>, { ok: true }>, settings: Settings, trace: Trace): Answer {
  if (outcome.reason === 'timeout') {
    report(settings, trace, { kind: 'timeout', status: 504 });
    return answer(problemResponse('crmTimeout', problemDetails.crmTimeout(settings.timeoutMs)), trace);
  }
  if (outcome.error instanceof CircuitOpenError) {
    // Not reported to onError: during an outage that would be one event per chat; the breaker's onStateChange reports it once.
    return answer(circuitOpenResponse(outcome.error.retryAfterSeconds), trace);
  }
  if (outcome.error instanceof CrmResponseError) {
    // A CRM profile's repository: the CRM's answer was unusable (502), and the issues name the profile key.
    return invalidData(outcome.error.issues, trace.route === 'label' ? 'a label list' : 'a customer', settings, trace);
  }
  report(settings, trace, { kind: 'exception', status: 500, error: outcome.error });
  return answer(problemResponse('crmFailure', problemDetails.crmFailure()), trace);
}

/**
 * The 502 for repository data that breaks the contract (the issues go to `onError` only).
 */
export function invalidData(issues: ConnectorErrorEvent['issues'], what: string, settings: Settings, trace: Trace): Answer {
  report(settings, trace, { kind: 'invalid_data', status: 502, issues: issues ?? [] });
  return answer(problemResponse('invalidCrmData', problemDetails.invalidCrmData(what)), trace);
}

/** The last-resort 500 for a bug: reported with everything the trace knows, the details kept from the client. */
export function unexpected(error: unknown, settings: Settings, trace: Trace): Answer {
  report(settings, trace, { kind: 'exception', status: 500, error });
  return answer(problemResponse('internalError', problemDetails.internalError('unexpected')), trace);
}
