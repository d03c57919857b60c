import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../src/core/connector.js';
import { createMemoryRepository } from '../../src/repositories/index.js';
import { sampleDataSet, samplePhones } from '../../src/reference/sample-data.js';
import { ConformanceError, defineConnectorConformanceTests, fetchFromHandler, type ConformanceTarget, type TestApi, type TestBody } from '../../src/testing/index.js';
import { startFixture, fixturePhones, TERMINAL_UNSAFE, terminalAttack, type Fixture } from '../checker/fixtures/connector.js';

const phones = Object.values(samplePhones).filter((phone) => phone !== '3333');
const connector = createConnector({ repository: createMemoryRepository(sampleDataSet), basePath: '/cim' });

// The kit registers real test cases here: these must all pass against the reference connector.
defineConnectorConformanceTests({ handler: connector.handle, basePath: '/cim', phones, weights: { Gold: 8, Vip: 10 } }, { describe, it, name: 'kit: ConnectorHandle in-process' });
defineConnectorConformanceTests({ handler: connector.fetch, basePath: '/cim', phones, weights: { Vvip: 9 } }, { describe, it, name: 'kit: fetch handler in-process' });

// A check that can only tell at run time that it has nothing to read: the kit must skip it through
// the runner's context, not let it pass. (Exercised with a stand-in context below, so that this
// suite's own report has no skipped test.)
const failingLabels = (request: Request) =>
  new URL(request.url).pathname === '/label' ? new Response('oops', { status: 500 }) : connector.fetch(request);

/** Collects what the kit registers, so that tests can run the bodies and see them fail. */
function collect(target: ConformanceTarget, failOnWarn = false, failOnSkip = false) {
  const cases: Array<{ name: string; body: TestBody; skipped: boolean; timeout: number | undefined }> = [];
  const suites: string[] = [];
  const it = Object.assign((name: string, body: TestBody, timeout?: number) => void cases.push({ name, body, skipped: false, timeout }), {
    skip: (name: string, body: TestBody, timeout?: number) => void cases.push({ name, body, skipped: true, timeout }),
  });
  const api: TestApi = { describe: (name, body) => (suites.push(name), body()), it };
  defineConnectorConformanceTests(target, { ...api, failOnWarn, failOnSkip });
  return { cases, suites };
}

async function outcomes(cases: ReturnType<typeof collect>['cases']) {
  const failed: string[] = [];
  for (const { name, body } of cases) {
    await body().catch((error: unknown) => {
      expect(error).toBeInstanceOf(ConformanceError);
      failed.push(name.split(':')[0]!);
    });
  }
  return failed;
}

describe('defineConnectorConformanceTests', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ alter: (reply, ex) => (ex.route === 'customer' && reply.status === 404 ? { ...reply, status: 200, body: '{}' } : reply) });
  });
  afterAll(() => fixture.close());

  it('registers one named test per check in one describe block, skipping what cannot run', () => {
    const { cases, suites } = collect({ handler: connector.handle, basePath: '/cim', phones: ['1111'] });
    expect(suites).toEqual(['priority-routing-crm conformance']);
    expect(cases).toHaveLength(15);
    expect(cases[0]).toMatchObject({ name: 'labels.status: The label list answers 200 with JSON in time', skipped: false, timeout: 60_000 });
    expect(cases.filter((c) => c.skipped).map((c) => c.name.split(':')[0])).toEqual(['customer.plus-forms', 'priority']);
  });

  it('fails exactly the test of the failing check, over real HTTP, with findings and curl', async () => {
    const { cases } = collect({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, phones: fixturePhones });
    expect(await outcomes(cases)).toEqual(['customer.unknown-number-404']);
    const error = await cases.find((c) => c.name.startsWith('customer.unknown-number-404'))!.body().catch((e: unknown) => e);
    expect((error as ConformanceError).message).toMatch(/expected 404, answered 200[\s\S]*curl -sS -g -i/);
    expect((error as ConformanceError).result.status).toBe('fail');
  });

  it('shows a connector\'s control characters escaped in the failure message the runner prints', async () => {
    const attacking = await startFixture(terminalAttack());
    try {
      const { cases } = collect({ customerQueryUrl: attacking.customerQueryUrl, labelsUrl: attacking.labelsUrl, phones: ['1111'], only: ['customer.status'] });
      const error = (await cases[0]!.body().catch((e: unknown) => e)) as ConformanceError;
      expect(error).toBeInstanceOf(ConformanceError);
      expect(error.message).toContain('\\u001b]0;owned\\u0007');
      expect(error.message).not.toMatch(TERMINAL_UNSAFE);
    } finally {
      await attacking.close();
    }
  });

  it('honours only/skip and fails warnings on request', async () => {
    const { cases } = collect({ handler: connector.handle, basePath: '/cim', phones: ['1111'], only: ['labels.name-whitespace', 'labels.status'] }, true);
    expect(cases.map((c) => c.name.split(':')[0])).toEqual(['labels.status', 'labels.name-whitespace']);
    expect(await outcomes(cases)).toEqual(['labels.name-whitespace']);
  });

  it('calls the context\'s skip() with the reason, passes without one, and fails with failOnSkip', async () => {
    const target: ConformanceTarget = { handler: failingLabels, phones: ['1111'], only: ['labels.unique-ids'] };
    const [lenient] = collect(target).cases;
    const notes: string[] = [];
    await lenient!.body({ skip: (note: string) => void notes.push(note) } as never);
    expect(notes).toEqual([expect.stringMatching(/no label array to read/)]);
    await expect(lenient!.body()).resolves.toBeUndefined();
    const [strict] = collect(target, false, true).cases;
    await expect(strict!.body()).rejects.toBeInstanceOf(ConformanceError);
  });

  it('refuses only and skip that leave no check', () => {
    expect(() => collect({ handler: connector.handle, phones: ['1111'], only: ['labels.status'], skip: ['labels.status'] })).toThrow(/leave no check to run/);
  });

  it('needs describe and it', () => {
    expect(() => defineConnectorConformanceTests({ handler: connector.handle, phones: ['1111'] }, { describe: undefined as never, it: undefined as never })).toThrow(
      /pass \{ describe, it \}/,
    );
  });
});

describe('fetchFromHandler', () => {
  it('turns a ConnectorHandle into a fetch, honouring HEAD and the abort signal', async () => {
    const fetch = fetchFromHandler(connector.handle);
    const response = await fetch('http://x/cim/customer?query=phone:1111', { method: 'GET' });
    expect(await response.json()).toMatchObject({ _id: '5eeb34c5de8126e7596383d7' });
    expect((await fetch('http://x/cim/label', { method: 'HEAD' })).status).toBe(200);
    const hanging = fetchFromHandler(() => new Promise<Response>(() => {}));
    await expect(hanging('http://x/label', { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
