import { afterEach, describe, expect, it } from 'vitest';
import { verifyConnector, type CheckId, type CheckReport, type VerifyConnectorOptions } from '../../src/checker/index.js';
import { customer, fixtureCustomers, fixturePhones, problem, startFixture, type Fixture, type FixtureOptions } from './fixtures/connector.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function check(options: FixtureOptions, overrides: Partial<VerifyConnectorOptions> = {}): Promise<CheckReport> {
  fixture = await startFixture(options);
  return verifyConnector({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, phones: fixturePhones, weights: { Gold: 8, Vip: 10 }, ...overrides });
}

const result = (report: CheckReport, id: CheckId) => report.checks.find((c) => c.id === id)!;

describe('label ids that are not strings', () => {
  it('fail customer.label-ids-exist and are explained by priority', async () => {
    const odd = customer('C-1', '1111', [{ _id: 'L-gold' }, 7] as unknown as string[]);
    const report = await check({ customers: [odd, fixtureCustomers[1]!] }, { phones: ['1111'] });
    const ids = result(report, 'customer.label-ids-exist');
    expect(ids.status).toBe('fail');
    expect(ids.detail).not.toMatch(/all in the label list/);
    expect(ids.issues).toEqual([
      expect.objectContaining({ path: '$.labels[0]', subject: 'phone 1111', message: expect.stringMatching(/^an object is not a label id: label ids are strings/) }),
      expect.objectContaining({ path: '$.labels[1]', message: expect.stringMatching(/^7 is not a label id/) }),
    ]);
    const priority = result(report, 'priority');
    expect(priority.status).toBe('warn');
    expect(report.priorities?.[0]?.reason).toBe('the customer has no label id Hybrid Chat can read; $.labels[0] is an object, not a label id string; $.labels[1] is 7, not a label id string');
    expect(report.priorities?.[0]?.reason).not.toMatch(/^the customer has no label(;|$)/);
  });
});

describe('a number found only on phone2 … phone5', () => {
  it('warns when phone1 is empty, because Hybrid Chat reads phone1', async () => {
    const second = customer('C-3', '', ['L-gold'], { phone3: '5555' });
    const report = await check({ customers: [...fixtureCustomers, second] }, { phones: ['5555', '1111'] });
    const status = result(report, 'customer.status');
    expect(status.status).toBe('warn');
    expect(status.issues).toEqual([
      {
        path: '$.phone1',
        subject: 'phone 5555',
        message: 'found by phone3, but phone1 is empty: Hybrid Chat reads the number from phone1',
      },
    ]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('does not warn when phone1 holds a number', async () => {
    const second = customer('C-3', '2222', ['L-gold'], { phone3: '5555' });
    const report = await check({ customers: [...fixtureCustomers, second] }, { phones: ['5555'] });
    expect(result(report, 'customer.status').status).toBe('pass');
  });
});

describe('503 with Retry-After (the connector shields a failing CRM)', () => {
  const unavailable = (extra: Record<string, string>) =>
    ({
      alter: (reply, ex) =>
        ex.route === 'customer' && reply.status !== 200 ? problem(503, 'Service Unavailable', 'The CRM keeps failing; try again later.', extra) : reply,
    }) satisfies FixtureOptions;

  it('is a valid error answer: the error checks warn that they could not judge, nothing fails', async () => {
    const report = await check(unavailable({ 'retry-after': '10' }), { phones: ['1111'] });
    for (const id of ['customer.unknown-number-404', 'customer.malformed-query-400', 'customer.missing-query-400'] as const) {
      expect(result(report, id).status, id).toBe('warn');
      expect(result(report, id).issues[0]?.message).toMatch(/answered 503 with Retry-After: 10 .*circuit breaker/);
    }
    expect(result(report, 'errors.problem-json').status).toBe('pass');
    expect(report.ok).toBe(true);
  });

  it('fails as any 5xx without Retry-After', async () => {
    const report = await check(unavailable({}), { phones: ['1111'] });
    expect(result(report, 'customer.unknown-number-404').status).toBe('fail');
    expect(result(report, 'customer.malformed-query-400').status).toBe('fail');
    expect(result(report, 'errors.problem-json').issues).toContainEqual(
      expect.objectContaining({ message: 'the 503 has no Retry-After header: the contract sends one with every 503' }),
    );
  });
});
