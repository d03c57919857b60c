import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeHandler } from '../../src/adapters/node.js';
import type { ProblemName } from '../../src/core/problems.js';
import {
  type Connector,
  type ConnectorErrorEvent,
  createConnector,
  type CustomerRepository,
  type RepositoryContext,
  sampleCustomer,
  sampleLabels,
} from '../../src/index.js';
import { type Listening, listen } from '../support/listen.js';
import { expectProblem } from '../support/problems.js';

/**
 * Fault injection through the repository, table-driven: every fault on both routes, answered by
 * `connector.handle` in-process, and over real HTTP by `connector.node` and by `createNodeHandler`.
 * Each fault is followed by a normal request that must succeed. The `onError` hook throws: a
 * failing logging hook must change nothing.
 */

const SECRET = 'SECRET-national-id-4242';
const TIMEOUT_MS = 100;

type Route = 'customer' | 'label';
type Fault = (context: RepositoryContext) => unknown;
type Kind = ConnectorErrorEvent['kind'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A bad date, a missing field and a field of the wrong type, all at once. */
const wrongCustomer = { ...sampleCustomer, createdAt: SECRET, phone1: undefined, phone2: 42 };
const wrongLabels = [{ ...sampleLabels[0], color_code: SECRET }];
const throwingGetter = () => Object.defineProperty({ ...sampleCustomer }, 'phone1', { enumerable: true, get: () => { throw new Error(SECRET); } });
const hostileProxy = () => new Proxy({}, { get: () => { throw new Error(SECRET); }, ownKeys: () => { throw new Error(SECRET); }, getPrototypeOf: () => { throw new Error(SECRET); } });

/** The problem answered and the `onError` kind reported; several of each when either is right. */
interface Expectation {
  problems: readonly ProblemName[];
  kinds: readonly Kind[];
}
interface Case {
  name: string;
  /** The fault, per route (one function when both routes get the same). */
  fault: Fault | Record<Route, Fault>;
  expect: Expectation;
}

const crmFailure: Expectation = { problems: ['crmFailure'], kinds: ['exception'] };
const invalid: Expectation = { problems: ['invalidCrmData'], kinds: ['invalid_data'] };
const timeout: Expectation = { problems: ['crmTimeout'], kinds: ['timeout'] };
/** A record that throws when read may fail validation (502) or the connector (500). */
const broken: Expectation = { problems: ['crmFailure', 'internalError', 'invalidCrmData'], kinds: ['exception', 'invalid_data'] };

const cases: Case[] = [
  { name: 'throws an Error carrying CRM text', fault: () => { throw new Error(`connection to crm-db failed: ${SECRET}`); }, expect: crmFailure },
  { name: 'throws a string', fault: () => { throw SECRET; }, expect: crmFailure },
  { name: 'throws an object whose toString throws', fault: () => { throw { toString: () => { throw new Error(SECRET); } }; }, expect: crmFailure },
  { name: 'rejects with a plain object', fault: () => Promise.reject({ secret: SECRET }), expect: crmFailure },
  { name: 'rejects with undefined', fault: () => Promise.reject(undefined), expect: crmFailure },
  { name: 'rejects with null', fault: () => Promise.reject(null), expect: crmFailure },
  { name: 'rejects with a symbol', fault: () => Promise.reject(Symbol(SECRET)), expect: crmFailure },
  { name: 'rejects later, with a number', fault: async () => { await sleep(5); throw 42; }, expect: crmFailure },
  { name: 'returns a thenable whose then throws', fault: () => ({ then: () => { throw new Error(SECRET); } }), expect: crmFailure },
  { name: 'hangs and ignores its signal', fault: () => new Promise(() => {}), expect: timeout },
  {
    name: 'hangs, then rejects with the abort reason',
    fault: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    expect: timeout,
  },
  { name: 'answers after the timeout', fault: { customer: () => sleep(TIMEOUT_MS + 60).then(() => sampleCustomer), label: () => sleep(TIMEOUT_MS + 60).then(() => sampleLabels) }, expect: timeout },
  { name: 'returns data that breaks the contract', fault: { customer: () => wrongCustomer, label: () => wrongLabels }, expect: invalid },
  { name: 'returns a string', fault: () => SECRET, expect: invalid },
  {
    name: 'returns a list where one object belongs, and the reverse',
    fault: { customer: () => [sampleCustomer], label: () => sampleCustomer },
    expect: invalid,
  },
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

/** An answer as read, whichever way it came. */
interface Answer {
  status: number;
  headers: Record<string, string>;
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
let viaConnectorNode: Listening;
let viaNodeHandler: Listening;

beforeAll(async () => {
  connector = createConnector(options);
  viaConnectorNode = await listen(createServer(connector.node));
  viaNodeHandler = await listen(createServer(createNodeHandler(options)));
});
afterAll(() => Promise.all([viaConnectorNode.close(), viaNodeHandler.close()]));
beforeEach(() => {
  errors.length = 0;
  script.signals.length = 0;
});

const overHttp = async (origin: string, path: string): Promise<Answer> => {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
};
const transports: Record<string, (path: string) => Promise<Answer>> = {
  'connector.handle': async (path) => {
    const response = await connector.handle({ method: 'GET', url: path, headers: {} });
    return { status: response.status, headers: response.headers, body: response.body ?? '' };
  },
  'connector.node over HTTP': (path) => overHttp(viaConnectorNode.origin, path),
  'createNodeHandler over HTTP': (path) => overHttp(viaNodeHandler.origin, path),
};

const pick = <T>(value: T | Record<Route, T>, route: Route): T =>
  typeof value === 'object' && value !== null && 'customer' in value && 'label' in value ? value[route] : (value as T);

describe.each(Object.entries(transports))('through %s', (_transport, send) => {
  describe.each(['customer', 'label'] as const)('on /%s, a repository that', (route) => {
    it.each(cases)('$name gets its problem, and the next request is served', async ({ fault, expect: expected }) => {
      script.arm(pick(fault, route));
      const started = performance.now();
      const answer = await send(paths[route]);
      const elapsed = performance.now() - started;

      await expectProblem(answer, expected.problems);
      expect(answer.body).not.toContain(SECRET);
      expect(answer.body).not.toMatch(/Error\b|Symbol\(/);
      // One event for the failure (the hook's own throw is swallowed, not reported again).
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ route, status: answer.status });
      expect(expected.kinds).toContain(errors[0]?.kind);
      if (errors[0]?.kind === 'invalid_data') expect(errors[0].issues?.length).toBeGreaterThan(0);

      if (answer.status === 504) {
        expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
        // Catches a hang (the repository never answers) or a missed timeout; the bound is 20x
        // the timeout because a loaded 2-core machine can stall the event loop for a second.
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

    it('answers later but in time, then at once: 200 both times, and its signal never aborts', async () => {
      // 10 ms against a 100 ms timeout: a wide margin, so a loaded machine cannot turn it into a 504.
      script.arm(async ({ signal }) => {
        await sleep(10);
        expect(signal.aborted).toBe(false);
        return okBody[route];
      });
      const slow = await send(paths[route]);
      const fast = await send(paths[route]);
      expect([slow.status, fast.status]).toEqual([200, 200]);
      expect(JSON.parse(slow.body)).toStrictEqual(okBody[route]);
      // Past the timeout: the timer was cleared, so no late abort and no late error.
      await sleep(TIMEOUT_MS + 50);
      expect(script.signals[0]?.aborted).toBe(false);
      expect(errors).toEqual([]);
    });
  });
});
