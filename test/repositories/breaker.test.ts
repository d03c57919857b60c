import { describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  type CustomerRepository,
  sampleLabels,
  withCache,
  withCircuitBreaker,
} from '../../src/index.js';
import { serveConnector } from '../support/serve-connector.js';
import { expectProblem } from '../support/problems.js';
import { BACKGROUND_WAIT, freezeClock, restoreClockAfterEach } from '../support/clock.js';
import { takeStderr } from '../support/quiet-stderr.js';
import { otherLabels, scriptedRepository } from '../support/scripted-repository.js';

const context = () => ({ signal: new AbortController().signal });
restoreClockAfterEach();

describe('withCircuitBreaker', () => {
  it('opens after failureThreshold failures: the next 1,000 lookups get 503 with Retry-After and never reach the CRM; after the cooldown one probe closes it', async () => {
    const at = freezeClock();
    const script = scriptedRepository({ mode: 'fail' });
    const states: string[] = [];
    const server = await serveConnector({
      repository: withCircuitBreaker(script, { failureThreshold: 5, cooldownMs: 10_000, onStateChange: (state, operation) => states.push(`${operation} ${state}`) }),
    });
    try {
      for (let index = 0; index < 5; index += 1) await expectProblem(await server.get('/customer?query=phone:1111'), 'crmFailure');
      expect(states).toStrictEqual(['findCustomerByPhone open']);

      at(1);
      const shielded = await Promise.all(Array.from({ length: 1000 }, (_, index) => server.get('/customer?query=phone:1111')));
      for (const response of shielded) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('10');
      }
      const text = await expectProblem(shielded[0]!, 'circuitOpen');
      expect(JSON.parse(text).detail).toContain('10 s');
      expect(script.calls).toStrictEqual({ customers: 5, labels: 0 });
      // Each failure is one line of the default error log; the 1,000 shielded requests add none.
      expect(takeStderr()).toStrictEqual(Array(5).fill('priority-routing-crm: 500 exception on /customer; phone **11; Error: CRM down (scripted)'));

      at(7_500);
      expect((await server.get('/customer?query=phone:1111')).headers.get('retry-after')).toBe('3');

      // Cooldown over: one probe, held by the CRM while the other requests arrive.
      at(10_000);
      script.mode = 'ok';
      const release = script.hold();
      const probe = server.get('/customer?query=phone:1111');
      await vi.waitFor(() => expect(script.calls.customers).toBe(6), BACKGROUND_WAIT);
      const during = await Promise.all(Array.from({ length: 19 }, () => server.get('/customer?query=phone:1111')));
      expect(during.map((response) => response.status)).toStrictEqual(Array(19).fill(503));
      expect(during[0]!.headers.get('retry-after')).toBe('1');
      release();
      expect((await probe).status).toBe(200);
      expect(script.calls.customers).toBe(6);
      expect(states).toStrictEqual(['findCustomerByPhone open', 'findCustomerByPhone half_open', 'findCustomerByPhone closed']);

      const closed = await Promise.all(Array.from({ length: 10 }, () => server.get('/customer?query=phone:1111')));
      expect(closed.map((response) => response.status)).toStrictEqual(Array(10).fill(200));
      expect(script.calls).toStrictEqual({ customers: 16, labels: 0 });
    } finally {
      await server.close();
    }
  });

  it('reopens for another cooldown when the probe fails', async () => {
    const at = freezeClock();
    const script = scriptedRepository({ mode: 'fail' });
    const repository = withCircuitBreaker(script, { failureThreshold: 2, cooldownMs: 1000 });
    for (let index = 0; index < 2; index += 1) await expect(repository.listLabels(context())).rejects.toThrow('CRM down');
    expect(() => repository.listLabels(context())).toThrow(CircuitOpenError);

    at(1000);
    await expect(repository.listLabels(context())).rejects.toThrow('CRM down');
    expect(script.calls.labels).toBe(3);
    at(1999);
    expect(() => repository.listLabels(context())).toThrow(expect.objectContaining({ retryAfterSeconds: 1 }));
    expect(script.calls.labels).toBe(3);
  });

  it('counts calls abandoned at the handler timeout as failures, even when the CRM ignores its signal', async () => {
    const script = scriptedRepository({ mode: 'hang' });
    const server = await serveConnector({ repository: withCircuitBreaker(script, { failureThreshold: 3 }), timeoutMs: 20 });
    try {
      for (let index = 0; index < 3; index += 1) await expectProblem(await server.get('/label'), 'crmTimeout');
      await expectProblem(await server.get('/label'), 'circuitOpen');
      expect(script.calls.labels).toBe(3);
      expect(script.aborted.count).toBe(3);
      expect(takeStderr()).toStrictEqual(Array(3).fill('priority-routing-crm: 504 timeout on /label'));
    } finally {
      await server.close();
    }
  });

  it('counts only consecutive failures: a success in between starts the count again, and "not found" is a success', async () => {
    const script = scriptedRepository();
    script.missing.add('999');
    const repository = withCircuitBreaker(script, { failureThreshold: 2 });
    const lookup = () => repository.findCustomerByPhone({ phone: '999', normalizedPhone: '999' }, context());
    script.mode = 'fail';
    await expect(lookup()).rejects.toThrow();
    script.mode = 'ok';
    expect(await lookup()).toBeNull();
    script.mode = 'fail';
    await expect(lookup()).rejects.toThrow('CRM down');
    await expect(lookup()).rejects.toThrow('CRM down');
    expect(() => lookup()).toThrow(CircuitOpenError);
  });

  it('under withCache, keeps serving the stale label list while open, without calling the CRM', async () => {
    const at = freezeClock();
    const script = scriptedRepository();
    const repository = withCache(withCircuitBreaker(script, { failureThreshold: 1, cooldownMs: 60_000 }), { labelsTtlMs: 1000 });
    expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    script.mode = 'fail';
    script.labels = otherLabels;
    at(1000);
    expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    await vi.waitFor(() => expect(script.calls.labels).toBe(2), BACKGROUND_WAIT);
    for (let index = 0; index < 100; index += 1) expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    expect(script.calls.labels).toBe(2);
  });

  it('keeps one breaker per method: five lookup timeouts leave a healthy, uncached GET /label at 200 (issue 20.12)', async () => {
    const script = scriptedRepository();
    const states: string[] = [];
    const repository: CustomerRepository = {
      // Lookups hang (a slow customers table); the label list answers.
      findCustomerByPhone: () => new Promise<never>(() => {}),
      listLabels: (inner) => script.listLabels(inner),
    };
    const server = await serveConnector({
      repository: withCircuitBreaker(repository, { failureThreshold: 5, onStateChange: (state, operation) => states.push(`${operation} ${state}`) }),
      timeoutMs: 20,
      onError: (event) => states.push(`${event.kind} ${event.status}`),
    });
    try {
      for (let index = 0; index < 5; index += 1) await expectProblem(await server.get('/customer?query=phone:1111'), 'crmTimeout');
      await expectProblem(await server.get('/customer?query=phone:1111'), 'circuitOpen');
      const labels = await server.get('/label');
      expect(labels.status).toBe(200);
      expect(await labels.json()).toStrictEqual(sampleLabels);
      expect(states).toStrictEqual([...Array<string>(5).fill('timeout 504'), 'findCustomerByPhone open']);
    } finally {
      await server.close();
    }
  });

  it('rejects an option that cannot work, naming it', () => {
    const script = scriptedRepository();
    expect(() => withCircuitBreaker(undefined as never)).toThrow(new TypeError('withCircuitBreaker needs a repository with findCustomerByPhone and listLabels functions'));
    expect(() => withCircuitBreaker({ listLabels: () => [] } as never)).toThrow(TypeError);
    expect(() => withCircuitBreaker(script, { failureThreshold: 0 })).toThrow(/^failureThreshold must be a whole number from 1/);
    expect(() => withCircuitBreaker(script, { cooldownMs: 1.5 })).toThrow(/^cooldownMs must be a whole number/);
  });
});
