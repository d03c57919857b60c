/**
 * A record from an asynchronous repository (every database and CRM) is checked against the
 * customer schema by its compiled check (zod decides whenever that check says no), on a copy of
 * exactly the contract's fields: what was checked is what is sent, however the record answers
 * when read again, and a bad record still gets zod's 502.
 */
import { describe, expect, it } from 'vitest';
import { callRepository } from '../../src/core/call.js';
import { type ConnectorErrorEvent, createConnector, type CustomerRecord, sampleCustomer, validateCustomer } from '../../src/index.js';

const lookup = { method: 'GET', url: '/customer?query=phone:1111', headers: { host: 'crm.example' } };

/** A connector over a repository that answers `record` in a promise; `events` collects `onError`. */
function connectorFor(record: () => unknown, timeoutMs = 1000) {
  const events: ConnectorErrorEvent[] = [];
  const connector = createConnector({
    timeoutMs,
    onError: (event) => void events.push(event),
    repository: { findCustomerByPhone: async () => record() as CustomerRecord, listLabels: async () => [] },
  });
  return { connector, events };
}

/** A copy of the sample customer whose `field` answers each value of `answers` in turn on each read (then the last). */
function changingField(field: string, answers: readonly unknown[]) {
  let reads = 0;
  return Object.defineProperty({ ...sampleCustomer }, field, {
    enumerable: true,
    get: () => answers[Math.min(reads++, answers.length - 1)],
  });
}

describe('a customer record from an async repository', () => {
  it('is sent exactly as it was checked, even from a getter that answers differently on a second read', async () => {
    const { connector } = connectorFor(() => changingField('first_name', ['Ann', 42]));
    const response = await connector.handle(lookup);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ ...sampleCustomer, first_name: 'Ann' });
  });

  it('has its labels read once into an array of its own: a proxy that changes them, or their toJSON, never reaches the body', async () => {
    let reads = 0;
    const labels = new Proxy(['5eeb3455de812695676383d2'], {
      get: (target, key, receiver) => (key === '0' && reads++ > 0 ? { not: 'a label id' } : Reflect.get(target, key, receiver)),
    });
    const withToJson = Object.assign(['5eeb3455de812695676383d2'], { toJSON: () => ({ injected: true }) });
    for (const given of [labels, withToJson]) {
      const { connector } = connectorFor(() => ({ ...sampleCustomer, labels: given }));
      const response = await connector.handle(lookup);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body ?? '').labels).toEqual(['5eeb3455de812695676383d2']);
    }
  });

  it('that breaks the contract still gets the 502 with zod issues naming the fields', async () => {
    const bad = [
      { ...sampleCustomer, labels: ['a', 7] },
      { ...sampleCustomer, labels: new Array(3) },
      { ...sampleCustomer, __v: 1.5 },
      { ...sampleCustomer, createdAt: '2020-06-18 09:32:53' },
      Object.assign([sampleCustomer], sampleCustomer),
      changingField('email', [undefined]),
    ];
    for (const record of bad) {
      const { connector, events } = connectorFor(() => record);
      const response = await connector.handle(lookup);
      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(events.map((event) => event.kind)).toEqual(['invalid_data']);
      const zod = validateCustomer(record);
      expect(zod.ok).toBe(false);
      expect(events[0]?.issues).toEqual(zod.ok ? undefined : zod.issues);
    }
  });

  it('answered after the timeout is never checked: one timeout reported, no invalid_data for the late record', async () => {
    const { connector, events } = connectorFor(() => new Promise((resolve) => setTimeout(() => resolve({ ...sampleCustomer, __v: -1 }), 60)), 20);
    expect((await connector.handle(lookup)).status).toBe(504);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.map((event) => event.kind)).toEqual(['timeout']);
  });
});

describe('callRepository', () => {
  it('hands the outcome to shape once and answers what shape returns, at once for a synchronous repository', async () => {
    const shaped: unknown[] = [];
    const shape = (outcome: unknown) => (shaped.push(outcome), 'shaped');
    expect(callRepository(() => 1, 1000, shape)).toBe('shaped');
    await expect(callRepository(async () => 2, 1000, shape)).resolves.toBe('shaped');
    expect(shaped).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 2 },
    ]);
  });

  it('rejects when shape throws, so that the request path answers 500 instead of hanging', async () => {
    const bug = new Error('a bug in shaping');
    await expect(
      callRepository(
        async () => 1,
        1000,
        () => {
          throw bug;
        },
      ),
    ).rejects.toBe(bug);
  });
});
