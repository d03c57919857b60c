import { afterEach, describe, expect, it } from 'vitest';
import {
  problemTypes,
  sampleCustomer,
  sampleLabels,
  type ConnectorErrorEvent,
  type CustomerRecord,
  type CustomerRepository,
  type LabelRecord,
  type RepositoryContext,
} from '../../src/index.js';
import { expectProblem, serveConnector, type TestServer } from './serve-connector.js';

const SECRET = 'national-id-4242-secret';

/** A repository whose next answer a test decides; after a fault it answers normally again. */
function scriptedRepository() {
  let fault: ((context: RepositoryContext) => unknown) | undefined;
  const contexts: RepositoryContext[] = [];
  const repository: CustomerRepository = {
    findCustomerByPhone: (_query, context) => {
      contexts.push(context);
      const next = fault;
      fault = undefined;
      return (next ? next(context) : { ...sampleCustomer }) as CustomerRecord;
    },
    listLabels: (context) => {
      const next = fault;
      fault = undefined;
      return (next ? next(context) : sampleLabels) as LabelRecord[];
    },
  };
  return { repository, contexts, failNextWith: (f: (context: RepositoryContext) => unknown) => void (fault = f) };
}

let server: TestServer | undefined;
afterEach(() => server?.close());

async function setUp() {
  const script = scriptedRepository();
  const errors: ConnectorErrorEvent[] = [];
  server = await serveConnector({ repository: script.repository, timeoutMs: 100, onError: (event) => void errors.push(event) });
  return { ...script, errors, server };
}

async function expectSafeProblem(response: Response, status: number, type: string) {
  const text = await expectProblem(response, status, type);
  expect(text).not.toContain(SECRET);
  expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:/);
}

const faults: Array<[string, number, string, ConnectorErrorEvent['kind'], (context: RepositoryContext) => unknown]> = [
  ['throws an Error', 500, problemTypes.crmFailure, 'exception', () => { throw new Error(`db down: ${SECRET}`); }],
  ['throws a string', 500, problemTypes.crmFailure, 'exception', () => { throw SECRET; }],
  ['rejects with a non-Error', 500, problemTypes.crmFailure, 'exception', () => Promise.reject({ secret: SECRET })],
  ['rejects with undefined', 500, problemTypes.crmFailure, 'exception', () => Promise.reject(undefined)],
  ['returns a thenable whose then throws', 500, problemTypes.crmFailure, 'exception', () => ({ then: () => { throw new Error(SECRET); } })],
  ['lies: a bad date and a missing field', 502, problemTypes.invalidCrmData, 'invalid_data', () => ({ ...sampleCustomer, createdAt: SECRET, phone1: undefined })],
  ['lies: an array instead of one customer', 502, problemTypes.invalidCrmData, 'invalid_data', () => [sampleCustomer]],
];

describe.each(['customer', 'label'] as const)('a failing repository on /%s', (route) => {
  const path = route === 'customer' ? '/customer?query=phone:1111' : '/label';
  const expected = route === 'customer' ? sampleCustomer : sampleLabels;

  it.each(faults)('that %s gets %i, and the next request is served', async (_name, status, type, kind, fault) => {
    const { failNextWith, errors, server } = await setUp();
    failNextWith(fault);
    await expectSafeProblem(await server.get(path), status, type);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind, route, status });
    if (kind === 'invalid_data') expect(errors[0]?.issues?.length).toBeGreaterThan(0);
    const next = await server.get(path);
    expect(next.status).toBe(200);
    expect(await next.json()).toStrictEqual(expected);
  });

  it('that hangs gets 504 at timeoutMs, its signal aborts, and the next request is served', async () => {
    const { failNextWith, errors, server } = await setUp();
    let signal: AbortSignal | undefined;
    failNextWith((context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const started = performance.now();
    await expectSafeProblem(await server.get(path), 504, problemTypes.crmTimeout);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as DOMException).name).toBe('TimeoutError');
    expect(errors[0]).toMatchObject({ kind: 'timeout', status: 504 });
    expect((await server.get(path)).status).toBe(200);
  });
});

describe('a repository that adds fields', () => {
  it('never sends them', async () => {
    server = await serveConnector({
      repository: {
        findCustomerByPhone: async () => ({ ...sampleCustomer, nationalId: SECRET, internal: { note: SECRET } }),
        listLabels: () => sampleLabels.map((label) => ({ ...label, owner: SECRET })),
      },
    });
    const customer = await server.get('/customer?query=phone:1111');
    expect(await customer.json()).toStrictEqual(sampleCustomer);
    const labels = await server.get('/label');
    expect(await labels.json()).toStrictEqual(sampleLabels);
  });
});

describe('a repository that reads the signal but answers in time', () => {
  it('gets a live signal and no 504 later', async () => {
    let signal: AbortSignal | undefined;
    server = await serveConnector({
      timeoutMs: 50,
      repository: {
        findCustomerByPhone: async (_query, context) => {
          signal = context.signal;
          return sampleCustomer;
        },
        listLabels: () => sampleLabels,
      },
    });
    expect((await server.get('/customer?query=phone:1111')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(signal?.aborted).toBe(false);
  });
});
