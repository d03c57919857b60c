import { afterEach, describe, expect, it } from 'vitest';
import {
  sampleCustomer,
  sampleLabels,
  type ConnectorErrorEvent,
  type ConnectorResponseEvent,
  type CustomerRecord,
} from '../../src/index.js';
import { expectProblem } from '../support/problems.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

/** A customer whose `phone1` throws when read: validating it fails inside the connector, after the query was read. */
const throwingRecord = () =>
  Object.defineProperty({ ...sampleCustomer }, 'phone1', {
    enumerable: true,
    get: () => {
      throw new Error('getter bug');
    },
  }) as CustomerRecord;

describe('the request path', () => {
  it('reports a bug after the query was read as a 500 with the phone, and serves the next request', async () => {
    const errors: ConnectorErrorEvent[] = [];
    let calls = 0;
    server = await serveConnector({
      repository: {
        findCustomerByPhone: async () => (++calls === 1 ? throwingRecord() : sampleCustomer),
        listLabels: () => sampleLabels,
      },
      onError: (event) => void errors.push(event),
    });
    await expectProblem(await server.get('/customer?query=phone:1111'), 'internalError');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'exception', route: 'customer', phone: '**11', status: 500 });
    expect((errors[0]?.error as Error).message).toBe('getter bug');
    expect(await (await server.get('/customer?query=phone:1111')).json()).toStrictEqual(sampleCustomer);
  });

  it('keeps each request its own route and phone when their answers interleave', async () => {
    const responses: ConnectorResponseEvent[] = [];
    const errors: ConnectorErrorEvent[] = [];
    let releaseSlow: () => void = () => {};
    const slowAsked = new Promise<void>((resolve) => (releaseSlow = resolve));
    let fastAnswered: () => void = () => {};
    const fastDone = new Promise<void>((resolve) => (fastAnswered = resolve));
    server = await serveConnector({
      repository: {
        findCustomerByPhone: async (query) => {
          if (query.normalizedPhone === '923001234567') {
            releaseSlow();
            // Answers only once the other lookup, asked later, has failed and been answered.
            await fastDone;
            return sampleCustomer;
          }
          await slowAsked;
          throw new Error('db down');
        },
        listLabels: () => sampleLabels,
      },
      onResponse: (event) => {
        responses.push(event);
        if (event.status === 500) fastAnswered();
      },
      onError: (event) => void errors.push(event),
    });
    const [slow, fast] = await Promise.all([
      server.get('/customer?query=phone:%2B923001234567'),
      server.get('/customer?query=phone:5555'),
    ]);
    expect(slow.status).toBe(200);
    expect(fast.status).toBe(500);
    expect(errors).toStrictEqual([expect.objectContaining({ kind: 'exception', route: 'customer', phone: '**55', status: 500 })]);
    expect(responses.map(({ status, phone }) => ({ status, phone }))).toStrictEqual([
      { status: 500, phone: '**55' },
      { status: 200, phone: '+92******4567' },
    ]);
  });
});
