import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorUnreachableError, verifyConnector, type CheckId, type CheckReport, type VerifyConnectorOptions } from '../../src/checker/index.js';
import {
  customer,
  fixtureCustomers,
  fixtureLabels,
  fixturePhones,
  label,
  problem,
  startFixture,
  type Fixture,
  type FixtureOptions,
} from './fixtures/connector.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function check(options: FixtureOptions, overrides: Partial<VerifyConnectorOptions> = {}): Promise<CheckReport> {
  fixture = await startFixture(options);
  return verifyConnector({
    customerQueryUrl: fixture.customerQueryUrl,
    labelsUrl: fixture.labelsUrl,
    phones: fixturePhones,
    weights: { Gold: 8, Vip: 10 },
    ...overrides,
  });
}

const withStatus = (report: CheckReport, status: string) => report.checks.filter((c) => c.status === status).map((c) => c.id).sort();
const result = (report: CheckReport, id: CheckId) => report.checks.find((c) => c.id === id)!;
const json = (status: number, value: unknown, type = 'application/json') => ({ status, headers: { 'content-type': type }, body: JSON.stringify(value) });

// Each connector is broken in one way; exactly the listed checks must fail.
const broken: Array<{ name: string; options: FixtureOptions; fails: CheckId[]; overrides?: Partial<VerifyConnectorOptions> }> = [
  {
    name: 'the customer wrapped in an envelope',
    options: { alter: (reply, ex) => (ex.found === undefined ? reply : json(200, { customer: ex.found })) },
    fails: ['customer.schema'],
  },
  {
    name: 'the customer wrapped in an array',
    options: { alter: (reply, ex) => (ex.found === undefined ? reply : json(200, [ex.found])) },
    fails: ['customer.schema'],
  },
  { name: 'the label list as a string', options: { alter: (reply, ex) => (ex.route === 'label' && reply.status === 200 ? json(200, 'Gold,Silver,Vip') : reply) }, fails: ['labels.schema'] },
  {
    name: '200 {} for an unknown number',
    options: { alter: (reply, ex) => (ex.route === 'customer' && reply.status === 404 ? json(200, {}) : reply) },
    fails: ['customer.unknown-number-404'],
  },
  { name: 'a dangling label id', options: { customers: [customer('C-1', '1111', ['L-gold', 'L-gone']), fixtureCustomers[1]!] }, fails: ['customer.label-ids-exist'] },
  { name: 'duplicate label ids', options: { labels: [...fixtureLabels, label('L-gold', 'Platinum')] }, fails: ['labels.unique-ids'] },
  {
    name: 'an HTML content type on the label list',
    options: { alter: (reply, ex) => (ex.route === 'label' ? { ...reply, headers: { 'content-type': 'text/html' } } : reply) },
    fails: ['labels.status'],
  },
  { name: 'a bad date on a customer', options: { customers: [customer('C-1', '1111', ['L-gold'], { createdAt: '18/06/2020' }), fixtureCustomers[1]!] }, fails: ['customer.schema'] },
  { name: 'a bad colour on a label', options: { labels: [label('L-gold', 'Gold', { color_code: 'green' }), ...fixtureLabels.slice(1)] }, fails: ['labels.schema'] },
  {
    name: '500 for a malformed query',
    options: { alter: (reply, ex) => (ex.url.searchParams.get('query')?.startsWith('email:') === true ? problem(500, 'Internal Server Error', 'boom') : reply) },
    fails: ['customer.malformed-query-400'],
  },
  {
    name: '200 for a missing query',
    options: { alter: (reply, ex) => (ex.route === 'customer' && !ex.url.searchParams.has('query') ? json(200, fixtureCustomers[0]) : reply) },
    fails: ['customer.missing-query-400'],
  },
  {
    name: '200 for POST',
    options: { alter: (reply, ex) => (ex.method === 'POST' ? json(200, fixtureLabels) : reply) },
    fails: ['method.post-405'],
  },
  {
    // Reads the raw query without decoding it: "+" works by luck, %2B and %20 do not.
    name: 'a + number found only when sent raw',
    options: {
      find: (_phone, ex) => {
        const raw = /(?:^|&)query=([^&]*)/.exec(ex.rawQuery)?.[1];
        return fixtureCustomers.find((c) => raw === `phone:${String(c.phone1)}`);
      },
    },
    fails: ['customer.plus-forms'],
  },
  { name: 'a given phone the connector does not find', options: {}, fails: ['customer.status'], overrides: { phones: ['1111', '5555'] } },
  {
    name: 'no answer in time from the label list',
    options: { alter: (reply, ex) => (ex.route === 'label' && ex.method === 'GET' ? { ...reply, delayMs: 2000 } : reply) },
    fails: ['labels.status'],
    // 1 s, well under the 2 s delay: every other request must answer within it, even on a loaded machine.
    overrides: { timeoutMs: 1000 },
  },
];

describe('verifyConnector against broken connectors', () => {
  it.each(broken)('$name fails exactly $fails', async ({ options, fails, overrides }) => {
    const report = await check(options, overrides);
    expect(withStatus(report, 'fail')).toEqual([...fails].sort());
    expect(report.ok).toBe(false);
    for (const id of fails) {
      const failed = result(report, id);
      expect(failed.issues.length, `${id} names its findings`).toBeGreaterThan(0);
      expect(failed.requests.length, `${id} has a curl command`).toBeGreaterThan(0);
    }
  });

  it('a correct connector passes everything that can run', async () => {
    const report = await check({});
    expect(withStatus(report, 'fail')).toEqual([]);
    expect(withStatus(report, 'warn')).toEqual([]);
    expect(withStatus(report, 'skip')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual({ total: 15, pass: 15, fail: 0, warn: 0, skip: 0 });
  });

  it('reports violations as JSON paths with sentences', async () => {
    const report = await check({ customers: [customer('C-1', '1111', ['L-gold'], { createdAt: '18/06/2020', __v: -1 }), fixtureCustomers[1]!] });
    const schema = result(report, 'customer.schema');
    expect(schema.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '$.createdAt', subject: 'phone 1111', message: expect.stringContaining('"18/06/2020"') }),
        expect.objectContaining({ path: '$.__v', subject: 'phone 1111' }),
      ]),
    );
    expect(result(report, 'customer.schema').requests.map((r) => r.url)).toContain(`${fixture!.origin}/customer?query=phone:1111`);
  });

  it('says a wrapped customer is wrapped', async () => {
    const report = await check({ alter: (reply, ex) => (ex.found === undefined ? reply : json(200, { data: ex.found })) });
    expect(result(report, 'customer.schema').issues[0]?.message).toMatch(/wrapped in an envelope under "data"/);
  });

  it('lenient mode accepts what routing needs, and only warns about the content type', async () => {
    const options: FixtureOptions = {
      customers: fixtureCustomers.map(({ _id, labels, phone1 }) => ({ _id, labels, phone1 })),
      labels: fixtureLabels.map(({ _id, name }) => ({ _id, name })),
      alter: (reply, ex) => (ex.route === 'label' && reply.status === 200 ? { ...reply, headers: { 'content-type': 'text/plain' } } : reply),
    };
    const strict = await check(options);
    expect(withStatus(strict, 'fail')).toEqual(['customer.schema', 'labels.schema', 'labels.status']);
    await fixture!.close();
    const lenient = await check(options, { mode: 'lenient' });
    expect(withStatus(lenient, 'fail')).toEqual([]);
    expect(withStatus(lenient, 'warn')).toEqual(['labels.status']);
  });

  it('says why a phone is not found in one sentence: the connector\'s detail, then the hint, no "."', async () => {
    const report = await check({}, { phones: ['9999'] });
    expect(result(report, 'customer.status').issues.map((issue) => issue.message)).toEqual([
      'expected 200, answered 404 (application/problem+json): No customer has that phone number; the checker needs phone numbers of known customers, or the connector does not find this one',
    ]);
  });

  it('warns about label names with outer white space or equal ignoring case', async () => {
    const report = await check({ labels: [...fixtureLabels, label('L-gold2', 'gold'), label('L-plat', 'Platinum ')] });
    expect(withStatus(report, 'fail')).toEqual([]);
    expect(withStatus(report, 'warn')).toEqual(['labels.name-case-duplicates', 'labels.name-whitespace']);
    expect(result(report, 'labels.name-whitespace').issues).toEqual([expect.objectContaining({ path: '$[4].name' })]);
    expect(result(report, 'labels.name-case-duplicates').issues[0]?.message).toContain('"Gold" ($[0]), "gold" ($[3])');
  });

  it('names a few labels of a crowd sharing one name, and counts the rest (a connector may send thousands)', async () => {
    const crowd = Array.from({ length: 3000 }, (_, i) => label(`L-g${i}`, i % 2 === 0 ? 'gold' : 'GOLD'));
    const report = await check({ labels: [...fixtureLabels, ...crowd] });
    const [message] = result(report, 'labels.name-case-duplicates').issues.map((issue) => issue.message);
    // The fixture's own "Gold" and the first "GOLD": every spelling shows, then a count.
    expect(message).toContain('"Gold" ($[0]), "gold" ($[3]), "GOLD" ($[4])');
    expect(message).toContain('and 2,998 more');
    expect(message!.length).toBeLessThan(500);
  });

  it('warns about error bodies that are not problem+json or show a stack trace', async () => {
    const report = await check({
      alter: (reply, ex) =>
        reply.status === 400
          ? { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad query' }
          : reply.status === 404 && ex.route === 'customer'
            ? json(404, { error: 'TypeError: x\n    at lookup (/app/src/crm.js:10:5)' })
            : reply,
    });
    expect(withStatus(report, 'fail')).toEqual([]);
    const problems = result(report, 'errors.problem-json');
    expect(problems.status).toBe('warn');
    const messages = problems.issues.map((i) => `${i.subject}: ${i.message}`);
    expect(messages).toContain('query=email:x: 400 came as text/plain, not application/problem+json');
    expect(messages.some((m) => m.startsWith('made-up number') && m.includes('stack trace'))).toBe(true);
  });

  it('warns about a 405 without Allow and about another 4xx for a malformed query', async () => {
    const report = await check({
      alter: (reply, ex) =>
        ex.method === 'POST' ? { ...reply, headers: { 'content-type': 'application/problem+json' } } : reply.status === 400 ? problem(422, 'Unprocessable', 'no') : reply,
    });
    expect(withStatus(report, 'fail')).toEqual([]);
    expect(withStatus(report, 'warn')).toEqual(['customer.malformed-query-400', 'customer.missing-query-400', 'method.post-405']);
  });

  it('warns above the time budget', async () => {
    const report = await check({ alter: (reply, ex) => (ex.route === 'label' && ex.method === 'GET' ? { ...reply, delayMs: 300 } : reply) }, { budgetMs: 50 });
    expect(result(report, 'labels.status')).toMatchObject({ status: 'warn', issues: [{ message: expect.stringMatching(/above the 50 ms budget/) }] });
  });

  it('explains the priority and warns about near misses and dangling ids', async () => {
    const report = await check(
      { labels: [...fixtureLabels, label('L-plat', 'platinum ')], customers: [customer('C-1', '1111', ['L-gold', 'L-plat', 'L-gone']), fixtureCustomers[1]!] },
      { weights: { Gold: 8, Vip: 10, Platinum: 9 } },
    );
    expect(report.priorities).toEqual([
      expect.objectContaining({ phone: '1111', priority: 8, matched: [{ labelId: 'L-gold', name: 'Gold', weight: 8 }] }),
      expect.objectContaining({ phone: '+923001234567', priority: 10 }),
    ]);
    const priority = result(report, 'priority');
    expect(priority.status).toBe('warn');
    expect(priority.issues).toHaveLength(1);
    expect(priority.issues[0]).toMatchObject({ subject: 'phone 1111' });
    expect(priority.issues[0]!.message).toContain('id "L-gone" is not in the label list');
    expect(priority.issues[0]!.message).toContain('"platinum " differs only by case or white space from weight "Platinum"');
  });

  it('skips the priority check without weights and the + forms without a + phone', async () => {
    fixture = await startFixture({});
    const report = await verifyConnector({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, phones: ['1111'] });
    expect(withStatus(report, 'skip')).toEqual(['customer.plus-forms', 'priority']);
    expect(report.priorities).toBeUndefined();
  });

  it('runs only the selected checks, and sends no probe for the others', async () => {
    const seen: string[] = [];
    const report = await check({ alter: (reply, ex) => (seen.push(`${ex.method} ${ex.url.search}`), reply) }, { only: ['labels.status', 'customer.schema'], skip: ['customer.schema'] });
    expect(report.checks.map((c) => c.id)).toEqual(['labels.status']);
    expect(seen.some((s) => s.startsWith('POST') || s.includes('email'))).toBe(false);
  });

  it('draws another number when the made-up one belongs to a customer', async () => {
    let calls = 0;
    const report = await check({
      find: (phone) => {
        if (phone.startsWith('000') && (calls += 1) === 1) return customer('C-x', phone, []);
        return fixtureCustomers.find((c) => c.phone1.replace('+', '') === phone.replace('+', ''));
      },
    });
    expect(result(report, 'customer.unknown-number-404')).toMatchObject({ status: 'pass' });
    expect(result(report, 'customer.unknown-number-404').requests).toHaveLength(2);
  });

  it('skips the query checks when {refId} is in the path', async () => {
    fixture = await startFixture({});
    const report = await verifyConnector({
      customerQueryUrl: `${fixture.origin}/by-phone/{refId}`,
      labelsUrl: fixture.labelsUrl,
      phones: ['1111'],
      only: ['customer.malformed-query-400', 'customer.missing-query-400'],
    });
    expect(withStatus(report, 'skip')).toEqual(['customer.malformed-query-400', 'customer.missing-query-400']);
  });

  it('throws ConnectorUnreachableError when nothing listens', async () => {
    fixture = await startFixture({});
    const { customerQueryUrl, labelsUrl } = fixture;
    await fixture.close();
    fixture = undefined;
    await expect(verifyConnector({ customerQueryUrl, labelsUrl, phones: ['1111'] })).rejects.toBeInstanceOf(ConnectorUnreachableError);
  });

  it('throws ConnectorUnreachableError when the connector accepts connections but never answers', async () => {
    const hanging = check({ alter: (reply) => ({ ...reply, delayMs: 2000 }) }, { timeoutMs: 150 });
    await expect(hanging).rejects.toThrow(ConnectorUnreachableError);
    await expect(hanging).rejects.toMatchObject({ reason: 'timeout', message: expect.stringMatching(/^the connector did not answer within 150 ms/) });
  });

  it('keeps a slow customer endpoint a failed check when the label list answers', async () => {
    // 1 s, well under the 2 s delay: the label list must answer within it, even on a loaded machine.
    const report = await check({ alter: (reply, ex) => (ex.route === 'customer' ? { ...reply, delayMs: 2000 } : reply) }, { timeoutMs: 1000, only: ['customer.status'] });
    expect(result(report, 'customer.status')).toMatchObject({ status: 'fail', issues: expect.arrayContaining([expect.objectContaining({ message: 'expected 200, no answer within 1000 ms' })]) });
  });

  it.each([
    [{ phones: [] }, /at least one known customer/],
    [{ only: ['labels.status'], skip: ['labels.status'] }, /only and skip leave no check to run/],
    [{ customerQueryUrl: 'http://h/customer?query=phone:' }, /\{refId\}/],
    [{ labelsUrl: 'ftp://h/label' }, /labelsUrl must be an absolute http\(s\) URL/],
    [{ only: ['customer.shcema'] }, /unknown check id "customer.shcema"/],
    [{ weights: { Gold: 11 } }, /weight of "Gold" must be an integer from 1 to 10, got 11/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])('rejects bad options before sending anything: %j', async (bad, message) => {
    const options = { customerQueryUrl: 'http://127.0.0.1:9/customer?query=phone:{refId}', labelsUrl: 'http://127.0.0.1:9/label', phones: ['1'], ...bad } as VerifyConnectorOptions;
    await expect(verifyConnector(options)).rejects.toThrow(message);
  });
});

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
