import { describe, expect, it, vi } from 'vitest';
import {
  type CircuitBreakerState,
  CircuitOpenError,
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
  it('opens after failureThreshold failures: the next 1,000 requests get 503 with Retry-After and never reach the CRM; after the cooldown one probe closes it', async () => {
    const at = freezeClock();
    const script = scriptedRepository({ mode: 'fail' });
    const states: CircuitBreakerState[] = [];
    const server = await serveConnector({
      repository: withCircuitBreaker(script, { failureThreshold: 5, cooldownMs: 10_000, onStateChange: (state) => states.push(state) }),
    });
    try {
      for (let index = 0; index < 5; index += 1) await expectProblem(await server.get('/customer?query=phone:1111'), 'crmFailure');
      expect(states).toStrictEqual(['open']);

      at(1);
      const shielded = await Promise.all(Array.from({ length: 1000 }, (_, index) => server.get(index % 2 ? '/label' : '/customer?query=phone:1111')));
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
      expect((await server.get('/label')).headers.get('retry-after')).toBe('3');

      // Cooldown over: one probe, held by the CRM while the other requests arrive.
      at(10_000);
      script.mode = 'ok';
      const release = script.hold();
      const probe = server.get('/label');
      await vi.waitFor(() => expect(script.calls.labels).toBe(1), BACKGROUND_WAIT);
      const during = await Promise.all(Array.from({ length: 19 }, () => server.get('/label')));
      expect(during.map((response) => response.status)).toStrictEqual(Array(19).fill(503));
      expect(during[0]!.headers.get('retry-after')).toBe('1');
      release();
      expect((await probe).status).toBe(200);
      expect(script.calls.labels).toBe(1);
      expect(states).toStrictEqual(['open', 'half_open', 'closed']);

      const closed = await Promise.all(Array.from({ length: 10 }, () => server.get('/customer?query=phone:1111')));
      expect(closed.map((response) => response.status)).toStrictEqual(Array(10).fill(200));
      expect(script.calls).toStrictEqual({ customers: 15, labels: 1 });
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
    script.mode = 'fail';
    await expect(repository.listLabels(context())).rejects.toThrow();
    script.mode = 'ok';
    expect(await repository.findCustomerByPhone({ phone: '999', normalizedPhone: '999' }, context())).toBeNull();
    script.mode = 'fail';
    await expect(repository.listLabels(context())).rejects.toThrow('CRM down');
    await expect(repository.listLabels(context())).rejects.toThrow('CRM down');
    expect(() => repository.listLabels(context())).toThrow(CircuitOpenError);
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

  it('rejects an option that cannot work, naming it', () => {
    const script = scriptedRepository();
    expect(() => withCircuitBreaker(undefined as never)).toThrow(new TypeError('withCircuitBreaker needs a repository with findCustomerByPhone and listLabels functions'));
    expect(() => withCircuitBreaker({ listLabels: () => [] } as never)).toThrow(TypeError);
    expect(() => withCircuitBreaker(script, { failureThreshold: 0 })).toThrow(/^failureThreshold must be a whole number from 1/);
    expect(() => withCircuitBreaker(script, { cooldownMs: 1.5 })).toThrow(/^cooldownMs must be a whole number/);
  });
});
