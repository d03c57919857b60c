import { describe, expect, it } from 'vitest';
import { circuitOpenResponse } from '../../src/core/problems.js';
import { problemTypes } from '../../src/index.js';
import { problemCatalog } from '../../src/core/problems.js';

// These URIs are public API that clients and monitoring switch on: a change here is a breaking
// change and needs a CHANGELOG entry.
describe('problemTypes', () => {
  it('are pinned tag: URIs (RFC 4151) that claim no domain', () => {
    expect(problemTypes).toEqual({
      invalidQuery: 'tag:priority-routing-crm,2026:problem/invalid-query',
      unauthorized: 'tag:priority-routing-crm,2026:problem/unauthorized',
      customerNotFound: 'tag:priority-routing-crm,2026:problem/customer-not-found',
      notFound: 'tag:priority-routing-crm,2026:problem/not-found',
      methodNotAllowed: 'tag:priority-routing-crm,2026:problem/method-not-allowed',
      internalError: 'tag:priority-routing-crm,2026:problem/internal-error',
      crmFailure: 'tag:priority-routing-crm,2026:problem/crm-failure',
      invalidCrmData: 'tag:priority-routing-crm,2026:problem/invalid-crm-data',
      circuitOpen: 'tag:priority-routing-crm,2026:problem/circuit-open',
      crmTimeout: 'tag:priority-routing-crm,2026:problem/crm-timeout',
      badRequest: 'tag:priority-routing-crm,2026:problem/bad-request',
      requestTimeout: 'tag:priority-routing-crm,2026:problem/request-timeout',
      headersTooLarge: 'tag:priority-routing-crm,2026:problem/headers-too-large',
      notReady: 'tag:priority-routing-crm,2026:problem/not-ready',
    });
  });

  it('are absolute URIs in RFC 4151 form: tag:authority,date:specific', () => {
    for (const uri of Object.values(problemTypes)) {
      expect(new URL(uri).protocol).toBe('tag:');
      expect(uri).toMatch(/^tag:[a-z0-9-]+,\d{4}:problem\/[a-z-]+$/);
    }
  });

  // Pinned here, value by value: test/support/problems.ts (expectProblem) reads the status and
  // title of every problem answer from this table, so this is the one place a wrong entry fails.
  it('each have the status and title clients see', () => {
    expect(problemCatalog).toEqual({
      invalidQuery: { status: 400, title: 'Invalid customer query' },
      unauthorized: { status: 401, title: 'Unauthorized' },
      customerNotFound: { status: 404, title: 'Customer not found' },
      notFound: { status: 404, title: 'Not found' },
      methodNotAllowed: { status: 405, title: 'Method not allowed' },
      internalError: { status: 500, title: 'Internal error' },
      crmFailure: { status: 500, title: 'CRM lookup failed' },
      invalidCrmData: { status: 502, title: 'Invalid data from the CRM' },
      circuitOpen: { status: 503, title: 'CRM unavailable' },
      crmTimeout: { status: 504, title: 'CRM timed out' },
      badRequest: { status: 400, title: 'Bad request' },
      requestTimeout: { status: 408, title: 'Request timeout' },
      headersTooLarge: { status: 431, title: 'Request header fields too large' },
      notReady: { status: 503, title: 'Not ready' },
    });
  });
});

describe('circuitOpenResponse', () => {
  it('answers 503 problem+json with Retry-After in whole seconds, rounded up, at least 1', () => {
    expect(circuitOpenResponse(9.2)).toMatchObject({ status: 503, headers: { 'retry-after': '10' } });
    expect(circuitOpenResponse(0)).toMatchObject({ headers: { 'retry-after': '1' } });
    expect(circuitOpenResponse(Number.NaN)).toMatchObject({ headers: { 'retry-after': '1' } });
    expect(JSON.parse(circuitOpenResponse(10).body!)).toEqual({
      type: problemTypes.circuitOpen,
      title: 'CRM unavailable',
      status: 503,
      detail: 'The CRM kept failing, so the connector is not calling it for now, to let it recover. Try again in 10 s.',
    });
  });
});
