import { setMaxListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  type CacheErrorEvent,
  type CacheRecoverEvent,
  createConnector,
  type CustomerRecord,
  type CustomerRepository,
  sampleCustomer,
  sampleLabels,
  withCache,
} from '../../src/index.js';
import { cacheStats } from '../../src/repositories/cache.js';
import { serveConnector } from '../support/serve-connector.js';
import { expectProblem } from '../support/problems.js';
import { BACKGROUND_WAIT, freezeClock, restoreClockAfterEach, T0 } from '../support/clock.js';
import { phoneCases } from '../support/phone-numbers.js';
import { takeStderr } from '../support/quiet-stderr.js';
import { otherLabels, scriptedRepository } from '../support/scripted-repository.js';

const context = () => ({ signal: new AbortController().signal });
const query = (digits: string) => ({ phone: `+${digits}`, normalizedPhone: digits });
restoreClockAfterEach();

describe('withCache: labels', () => {
  it('answers 1,000 concurrent GET /label on a cold cache with one 50 ms repository call, over HTTP', async () => {
    const script = scriptedRepository({ delayMs: 50 });
    const server = await serveConnector({ repository: withCache(script) });
    try {
      const responses = await Promise.all(Array.from({ length: 1000 }, () => server.get('/label')));
      const bodies = await Promise.all(responses.map((response) => response.json()));
      expect(responses.map((response) => response.status)).toStrictEqual(Array(1000).fill(200));
      expect(bodies.every((body) => JSON.stringify(body) === JSON.stringify(sampleLabels))).toBe(true);
      expect(script.calls.labels).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('keeps the list for labelsTtlMs, then serves it stale while one background call refreshes it', async () => {
    const at = freezeClock();
    const script = scriptedRepository({ delayMs: 20 });
    const connector = createConnector({ repository: withCache(script, { labelsTtlMs: 1000 }) });
    expect((await connector.handle({ url: '/label' })).status).toBe(200);
    at(999);
    expect((await connector.handle({ url: '/label' })).status).toBe(200);
    expect(script.calls.labels).toBe(1);

    script.labels = otherLabels;
    at(1000);
    const stale = await Promise.all(Array.from({ length: 50 }, () => connector.handle({ url: '/label' })));
    expect(stale.every((response) => JSON.parse(response.body!)[0].name === sampleLabels[0]!.name)).toBe(true);
    expect(script.calls.labels).toBe(2);
    await vi.waitFor(async () => expect(JSON.parse((await connector.handle({ url: '/label' })).body!)).toStrictEqual(otherLabels), BACKGROUND_WAIT);
    expect(script.calls.labels).toBe(2);
  });

  it('serves the last good list while refreshing fails, until staleIfErrorMs past going stale, then 500; fresh data once the CRM recovers', async () => {
    const at = freezeClock();
    const script = scriptedRepository();
    const events: CacheErrorEvent[] = [];
    const recoveries: CacheRecoverEvent[] = [];
    const connector = createConnector({
      repository: withCache(script, { labelsTtlMs: 1000, staleIfErrorMs: 5000, onError: (event) => events.push(event), onRecover: (event) => recoveries.push(event) }),
    });
    expect((await connector.handle({ url: '/label' })).status).toBe(200);

    script.mode = 'fail';
    for (const ms of [1000, 3000, 5999]) {
      at(ms);
      const before = script.calls.labels;
      const response = await connector.handle({ url: '/label' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body!)).toStrictEqual(sampleLabels);
      await vi.waitFor(() => expect(events).toHaveLength(script.calls.labels - 1), BACKGROUND_WAIT);
      expect(script.calls.labels).toBe(before + 1);
    }
    expect(events[0]).toMatchObject({ kind: 'labels_refresh_failed', stale: true, staleSince: new Date(T0 + 1000) });
    expect((events[0] as { error: Error }).error.message).toBe('CRM down (scripted)');

    at(6000);
    const failed = await connector.handle({ url: '/label' });
    await expectProblem(failed, 'crmFailure');
    expect(events.at(-1)).toMatchObject({ stale: false });
    // Only the 500 reaches the connector's default error log: the stale answers before it did not.
    expect(takeStderr()).toStrictEqual(['priority-routing-crm: 500 exception on /label; Error: CRM down (scripted)']);

    script.mode = 'ok';
    script.labels = otherLabels;
    const recovered = await connector.handle({ url: '/label' });
    expect(recovered.status).toBe(200);
    expect(JSON.parse(recovered.body!)).toStrictEqual(otherLabels);
    // Each failure says how many in a row (log the first); the recovery, once, how many there were.
    expect(events.map((event) => event.consecutiveFailures)).toStrictEqual([1, 2, 3, 4]);
    expect(recoveries).toStrictEqual([{ kind: 'labels_refresh_recovered', failures: 4, failingSince: expect.any(Date) }]);
    // The first failure came with the refresh at 1000 ms, before the one at 3000 ms.
    expect(recoveries[0]!.failingSince.getTime() - T0).toBeGreaterThanOrEqual(1000);
    expect(recoveries[0]!.failingSince.getTime() - T0).toBeLessThan(3000);
  });

  it('counts a refresh that outlives the cache timeoutMs as failed, serves stale, and aborts the hung call', async () => {
    const at = freezeClock();
    const script = scriptedRepository();
    const events: CacheErrorEvent[] = [];
    const repository = withCache(script, { labelsTtlMs: 1000, timeoutMs: 30, onError: (event) => events.push(event) });
    await repository.listLabels(context());
    script.mode = 'hang';
    at(1500);
    expect(await repository.listLabels(context())).toStrictEqual(sampleLabels);
    await vi.waitFor(() => expect(events).toHaveLength(1), BACKGROUND_WAIT);
    expect(events[0]).toMatchObject({ stale: true, staleSince: new Date(T0 + 1000) });
    expect((events[0] as { error: DOMException }).error.name).toBe('TimeoutError');
    expect(script.aborted.count).toBe(1);
    expect(cacheStats(repository).running).toBe(0);
  });

  it('with labelsTtlMs 0 keeps nothing, yet concurrent reads still share one call', async () => {
    const script = scriptedRepository({ delayMs: 20 });
    const repository = withCache(script, { labelsTtlMs: 0 });
    await Promise.all(Array.from({ length: 20 }, () => repository.listLabels(context())));
    expect(script.calls.labels).toBe(1);
    await repository.listLabels(context());
    expect(script.calls.labels).toBe(2);
  });
});

describe('withCache: customers', () => {
  it('shares one repository call among 500 concurrent lookups of one number, and makes 500 for 500 numbers', async () => {
    const script = scriptedRepository({ delayMs: 20 });
    const connector = createConnector({ repository: withCache(script) });
    const same = await Promise.all(Array.from({ length: 500 }, () => connector.handle({ url: '/customer?query=phone:%2B923001234567' })));
    expect(same.every((response) => response.status === 200 && JSON.parse(response.body!).phone1 === '923001234567')).toBe(true);
    expect(script.calls.customers).toBe(1);

    const numbers = Array.from({ length: 500 }, (_, index) => String(923_000_000_000 + index));
    const different = await Promise.all(numbers.map((digits) => connector.handle({ url: `/customer?query=phone:${digits}` })));
    expect(different.map((response) => JSON.parse(response.body!).phone1)).toStrictEqual(numbers);
    expect(script.calls.customers).toBe(501);
  });

  it('keeps no customer by default, so a label change shows up on the next lookup', async () => {
    const script = scriptedRepository();
    const repository = withCache(script);
    await repository.findCustomerByPhone(query('1111'), context());
    await repository.findCustomerByPhone(query('1111'), context());
    expect(script.calls.customers).toBe(2);
    expect(cacheStats(repository).customers).toBe(0);
  });

  it('reuses a found customer for customersTtlMs, and a "not found" only for notFoundTtlMs', async () => {
    const at = freezeClock();
    const script = scriptedRepository();
    script.missing.add('999');
    const repository = withCache(script, { customersTtlMs: 1000, notFoundTtlMs: 100 });
    const first = await repository.findCustomerByPhone(query('1111'), context());
    expect(repository.findCustomerByPhone(query('1111'), context())).toStrictEqual(first);
    expect(await repository.findCustomerByPhone(query('999'), context())).toBeNull();
    expect(repository.findCustomerByPhone(query('999'), context())).toBeNull();
    expect(script.calls.customers).toBe(2);

    at(101);
    await repository.findCustomerByPhone(query('999'), context());
    expect(repository.findCustomerByPhone(query('1111'), context())).toStrictEqual(first);
    expect(script.calls.customers).toBe(3);
    at(1001);
    await repository.findCustomerByPhone(query('1111'), context());
    expect(script.calls.customers).toBe(4);
  });

  it('keeps a customer validated and reduced to the contract fields; one that breaks the contract still answers 502 on every hit', async () => {
    let record: Record<string, unknown> = { ...sampleCustomer, nationalId: '42101-secret' };
    const errors: unknown[] = [];
    const repository: CustomerRepository = { findCustomerByPhone: async () => record as CustomerRecord, listLabels: () => sampleLabels };
    const connector = createConnector({ repository: withCache(repository, { customersTtlMs: 60_000 }), onError: (event) => errors.push(event.kind) });
    for (let index = 0; index < 2; index += 1) {
      const response = await connector.handle({ url: '/customer?query=phone:1111' });
      expect(JSON.parse(response.body!)).toStrictEqual(sampleCustomer);
    }
    record = { ...sampleCustomer, phone1: 42 };
    for (let index = 0; index < 2; index += 1) expect((await connector.handle({ url: '/customer?query=phone:2222' })).status).toBe(502);
    expect(errors).toStrictEqual(['invalid_data', 'invalid_data']);
  });

  it('sends a kept customer as it was kept: the record it hands out cannot be changed afterwards, labels included', async () => {
    const repository: CustomerRepository = { findCustomerByPhone: async () => ({ ...sampleCustomer, labels: [...sampleCustomer.labels] }), listLabels: () => sampleLabels };
    const cached = withCache(repository, { customersTtlMs: 60_000 });
    const connector = createConnector({ repository: cached });
    expect(JSON.parse((await connector.handle({ url: '/customer?query=phone:1111' })).body!)).toStrictEqual(sampleCustomer);
    const kept = (await cached.findCustomerByPhone(query('1111'), context())) as CustomerRecord;
    expect(() => (kept.labels as string[]).push('added-by-a-caller')).toThrow(TypeError);
    expect(() => Object.assign(kept, { name: 'changed' })).toThrow(TypeError);
    expect(JSON.parse((await connector.handle({ url: '/customer?query=phone:1111' })).body!)).toStrictEqual(sampleCustomer);
  });

  it('never keeps a "not found" unless notFoundTtlMs says so', async () => {
    const script = scriptedRepository();
    script.missing.add('999');
    const repository = withCache(script, { customersTtlMs: 60_000 });
    expect(await repository.findCustomerByPhone(query('999'), context())).toBeNull();
    expect(await repository.findCustomerByPhone(query('999'), context())).toBeNull();
    expect(script.calls.customers).toBe(2);
  });

  it("ends a caller's wait when its signal aborts, without cancelling the call the others await", async () => {
    const script = scriptedRepository({ delayMs: 30 });
    const repository = withCache(script);
    const leaving = new AbortController();
    const left = repository.findCustomerByPhone(query('1111'), { signal: leaving.signal });
    const staying = repository.findCustomerByPhone(query('1111'), context());
    const reason = new Error('caller gone');
    leaving.abort(reason);
    await expect(left).rejects.toBe(reason);
    expect(await staying).toMatchObject({ phone1: '1111' });
    expect(script.calls.customers).toBe(1);
    expect(script.aborted.count).toBe(0);
  });

  it('stays bounded by maxCustomers with 1,000,000 distinct numbers asked, evicting the least recently used', async () => {
    let calls = 0;
    const repository: CustomerRepository = {
      findCustomerByPhone: (q) => {
        calls += 1;
        return { ...sampleCustomer, phone1: q.normalizedPhone } as CustomerRecord;
      },
      listLabels: () => sampleLabels,
    };
    const cached = withCache(repository, { customersTtlMs: 3_600_000, maxCustomers: 1000 });
    await cached.findCustomerByPhone(query('1'), context());
    // Batches of 50 new numbers: '1', touched after each, stays among the 1,000 most recently used.
    for (let batch = 0; batch < 20_000; batch += 1) {
      const lookups = [];
      const batchContext = context();
      setMaxListeners(100, batchContext.signal); // 50 waits on one signal is this test's doing, not a leak
      for (let index = 0; index < 50; index += 1) lookups.push(cached.findCustomerByPhone(query(String(1_000_000 + batch * 50 + index)), batchContext));
      await Promise.all(lookups);
      // A kept customer is answered synchronously; an evicted one would be a new (async) call.
      if ((cached.findCustomerByPhone(query('1'), context()) as Partial<CustomerRecord>).phone1 !== '1') expect.fail(`'1' was evicted after batch ${batch}`);
      if (batch % 1000 === 999) expect(cacheStats(cached)).toStrictEqual({ customers: 1000, running: 0 });
    }
    expect(calls).toBe(1_000_001);
  }, 120_000);

  it('rejects an option that cannot work, naming it', () => {
    const script = scriptedRepository();
    expect(() => withCache(undefined as never)).toThrow(new TypeError('withCache needs a repository with findCustomerByPhone and listLabels functions'));
    expect(() => withCache({ listLabels: () => [] } as never)).toThrow(TypeError);
    expect(() => withCache(script, { labelsTtlMs: -1 })).toThrow(/^labelsTtlMs must be a whole number/);
    expect(() => withCache(script, { maxCustomers: 0 })).toThrow(/^maxCustomers must be a whole number from 1/);
    expect(() => withCache(script, { staleIfErrorMs: Number.NaN })).toThrow(/^staleIfErrorMs/);
  });
});

describe('withCache: timeouts through the handler', () => {
  it('answers 504, not 500, when the shared call of a lookup times out before the request does', async () => {
    const script = scriptedRepository({ mode: 'hang' });
    const connector = createConnector({ repository: withCache(script, { timeoutMs: 20 }), timeoutMs: 1000 });
    const response = await connector.handle({ url: '/customer?query=phone:1111' });
    await expectProblem(response, 'crmTimeout');
    expect(script.aborted.count).toBe(1);
    expect(takeStderr()).toStrictEqual(['priority-routing-crm: 504 timeout on /customer; phone **11']);
  });
});

describe('withCache: every spelling of one number is one key with a defaultCountry', () => {
  const [pakistan] = phoneCases;
  const url = (phone: string) => `/customer?query=phone:${encodeURIComponent(phone)}`;

  it('shares one repository call among concurrent lookups of one number in all its spellings, and keeps it for all of them', async () => {
    const script = scriptedRepository();
    const connector = createConnector({ repository: withCache(script, { customersTtlMs: 60_000 }), defaultCountry: pakistan!.country });
    const release = script.hold();
    const pending = Promise.all(pakistan!.spellings.map((spelling) => connector.handle({ url: url(spelling) })));
    await vi.waitFor(() => expect(script.calls.customers).toBe(1), BACKGROUND_WAIT);
    release();
    expect((await pending).map((response) => response.status)).toStrictEqual(pakistan!.spellings.map(() => 200));
    expect(script.calls.customers).toBe(1);
    // Kept under the E.164 digits: a later lookup in any spelling is a hit.
    for (const spelling of pakistan!.spellings) expect((await connector.handle({ url: url(spelling) })).status).toBe(200);
    expect(script.calls.customers).toBe(1);
  });

  it('never shares between different numbers, and without defaultCountry shares only equal digits, as before', async () => {
    const script = scriptedRepository();
    const pk = createConnector({ repository: withCache(script, { customersTtlMs: 60_000 }), defaultCountry: pakistan!.country });
    await pk.handle({ url: url(pakistan!.spellings[0]!) });
    const askable = pakistan!.others.filter((other) => !/x|ext/.test(other));
    for (const other of askable) await pk.handle({ url: url(other) });
    expect(script.calls.customers).toBe(1 + askable.length);

    const digitsOnly = scriptedRepository();
    const plain = createConnector({ repository: withCache(digitsOnly, { customersTtlMs: 60_000 }) });
    for (const spelling of pakistan!.spellings) await plain.handle({ url: url(spelling) });
    expect(digitsOnly.calls.customers).toBe(new Set(pakistan!.spellings.map((spelling) => spelling.replace(/\D/g, ''))).size);
  });
});
