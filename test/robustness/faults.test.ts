import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeHandler } from '../../src/adapters/node.js';
import {
  type Connector,
  type ConnectorErrorEvent,
  createConnector,
  type CustomerRepository,
  ProblemSchema,
  problemTypes,
  type RepositoryContext,
  sampleCustomer,
  sampleLabels,
} from '../../src/index.js';

/**
 * Fault injection through the repository, table-driven: every fault on both routes, answered by
 * `connector.handle` in-process and by the node adapter over real HTTP. Each fault is followed by
 * a normal request that must succeed. (test/core/faults.test.ts has the basic cases one by one.)
 */

const SECRET = 'SECRET-national-id-4242';
const TIMEOUT_MS = 100;

type Route = 'customer' | 'label';
type Fault = (context: RepositoryContext) => unknown;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wrongCustomer = { ...sampleCustomer, createdAt: SECRET, phone1: 42 };
const wrongLabels = [{ ...sampleLabels[0], color_code: SECRET }];
const throwingGetter = () => Object.defineProperty({ ...sampleCustomer }, 'phone1', { enumerable: true, get: () => { throw new Error(SECRET); } });
const hostileProxy = () => new Proxy({}, { get: () => { throw new Error(SECRET); }, ownKeys: () => { throw new Error(SECRET); }, getPrototypeOf: () => { throw new Error(SECRET); } });

interface Case {
  name: string;
  /** The fault, per route (one function when both routes get the same). */
  fault: Fault | Record<Route, Fault>;
  /** Expected status and problem type, per route when they differ; several when either is right. */
  expect: Expectation | Record<Route, Expectation>;
}
/** A status, or the statuses any of which is right (a record that throws when read may be 500 or 502). */
type Expectation = { status: number | readonly number[]; types: readonly string[] };

const crmFailure = { status: 500, types: [problemTypes.crmFailure] };
const invalid = { status: 502, types: [problemTypes.invalidCrmData] };
const timeout = { status: 504, types: [problemTypes.crmTimeout] };
const broken = { status: [500, 502], types: [problemTypes.crmFailure, problemTypes.internalError, problemTypes.invalidCrmData] };

const cases: Case[] = [
  { name: 'throws an Error carrying CRM text', fault: () => { throw new Error(`connection to crm-db failed: ${SECRET}`); }, expect: crmFailure },
  { name: 'throws an object whose toString throws', fault: () => { throw { toString: () => { throw new Error(SECRET); } }; }, expect: crmFailure },
  { name: 'rejects with null', fault: () => Promise.reject(null), expect: crmFailure },
  { name: 'rejects with a symbol', fault: () => Promise.reject(Symbol(SECRET)), expect: crmFailure },
  { name: 'rejects later, with a number', fault: async () => { await sleep(5); throw 42; }, expect: crmFailure },
  { name: 'hangs and ignores its signal', fault: () => new Promise(() => {}), expect: timeout },
  {
    name: 'hangs, then rejects with the abort reason',
    fault: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    expect: timeout,
  },
  { name: 'answers after the timeout', fault: { customer: () => sleep(TIMEOUT_MS + 60).then(() => sampleCustomer), label: () => sleep(TIMEOUT_MS + 60).then(() => sampleLabels) }, expect: timeout },
  { name: 'returns data that breaks the contract', fault: { customer: () => wrongCustomer, label: () => wrongLabels }, expect: invalid },
  { name: 'returns a string', fault: () => SECRET, expect: invalid },
  { name: 'returns an array where one object belongs, and the reverse', fault: { customer: () => [sampleCustomer], label: () => sampleCustomer }, expect: invalid },
  { name: 'returns labels with a duplicate id', fault: { customer: () => ({ ...sampleCustomer, __v: -1 }), label: () => [sampleLabels[0], sampleLabels[0]] }, expect: invalid },
  { name: 'returns a BigInt version', fault: { customer: () => ({ ...sampleCustomer, __v: 10n }), label: () => [{ ...sampleLabels[0], __v: 10n }] }, expect: invalid },
  { name: 'returns a record whose getter throws', fault: { customer: throwingGetter, label: () => [throwingGetter()] }, expect: broken },
  { name: 'returns a proxy that throws on every trap', fault: { customer: hostileProxy, label: () => [hostileProxy()] }, expect: broken },
];

const okBody = { customer: sampleCustomer, label: sampleLabels } as const;
const paths = { customer: '/customer?query=phone:1111', label: '/label' } as const;

/** A repository answering normally unless a fault is armed for its next call. */
function faultyRepository() {
  let armed: Fault | undefined;
  const signals: AbortSignal[] = [];
  const next = (context: RepositoryContext, normal: unknown) => {
    const fault = armed;
    armed = undefined;
    if (fault === undefined) return normal;
    signals.push(context.signal);
    return fault(context);
  };
  const repository = {
    findCustomerByPhone: (_query, context) => next(context, sampleCustomer),
    listLabels: (context) => next(context, sampleLabels),
  } as CustomerRepository;
  return { repository, signals, arm: (fault: Fault) => void (armed = fault) };
}

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

const script = faultyRepository();
const errors: ConnectorErrorEvent[] = [];
const options = {
  repository: script.repository,
  timeoutMs: TIMEOUT_MS,
  onError: (event: ConnectorErrorEvent) => {
    errors.push(event);
    throw new Error('a logging hook that fails must change nothing');
  },
};
let connector: Connector;
let server: Server;
let origin: string;

beforeAll(async () => {
  connector = createConnector(options);
  server = createServer(createNodeHandler(options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  errors.length = 0;
  script.signals.length = 0;
});

const transports = {
  'connector.handle': async (path: string): Promise<Answer> => {
    const response = await connector.handle({ method: 'GET', url: path, headers: {} });
    return { status: response.status, contentType: response.headers['content-type'] ?? null, body: response.body ?? '' };
  },
  'node adapter over HTTP': async (path: string): Promise<Answer> => {
    const response = await fetch(`${origin}${path}`);
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  },
};

const pick = <T>(value: T | Record<Route, T>, route: Route): T =>
  typeof value === 'object' && value !== null && 'customer' in value && 'label' in value ? value[route] : (value as T);

describe.each(Object.entries(transports))('through %s', (_transport, send) => {
  describe.each(['customer', 'label'] as const)('on /%s, a repository that', (route) => {
    it.each(cases)('$name gets its problem, and the next request is served', async ({ fault, expect: expected }) => {
      const { status, types } = pick(expected, route);
      script.arm(pick(fault, route));
      const started = performance.now();
      const answer = await send(paths[route]);
      const elapsed = performance.now() - started;

      expect([status].flat()).toContain(answer.status);
      expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
      const problem = ProblemSchema.parse(JSON.parse(answer.body));
      expect(types).toContain(problem.type);
      expect(problem.status).toBe(answer.status);
      expect(answer.body).not.toContain(SECRET);
      expect(answer.body).not.toMatch(/\bat .+:\d+:\d+|Error\b|Symbol\(/);
      expect(errors.length).toBeGreaterThan(0);

      if (answer.status === 504) {
        expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
        // Well short of a hang (the repository never answers), with room for a loaded CI machine.
        expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
        expect(script.signals[0]?.aborted).toBe(true);
        expect((script.signals[0]?.reason as DOMException | undefined)?.name).toBe('TimeoutError');
      }

      const next = await send(paths[route]);
      expect(next.status).toBe(200);
      expect(JSON.parse(next.body)).toStrictEqual(okBody[route]);
    });

    it('that adds personal fields, nested and circular, has them dropped', async () => {
      const circular: Record<string, unknown> = { note: SECRET };
      circular.self = circular;
      const extra = { nationalId: SECRET, internal: circular, balance: 10n };
      script.arm(() => (route === 'customer' ? { ...sampleCustomer, ...extra } : sampleLabels.map((label) => ({ ...label, ...extra }))));
      const answer = await send(paths[route]);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toContain(SECRET);
      expect(JSON.parse(answer.body)).toStrictEqual(okBody[route]);
    });

    it('is slow but in time, then fast, gets 200 both times with a live signal', async () => {
      script.arm(async ({ signal }) => {
        await sleep(TIMEOUT_MS / 2);
        expect(signal.aborted).toBe(false);
        return okBody[route];
      });
      const slow = await send(paths[route]);
      const fast = await send(paths[route]);
      expect([slow.status, fast.status]).toEqual([200, 200]);
      expect(JSON.parse(slow.body)).toStrictEqual(okBody[route]);
      await sleep(TIMEOUT_MS);
      expect(script.signals[0]?.aborted).toBe(false);
      expect(errors).toEqual([]);
    });
  });
});
