import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnector, type CustomerRepository, type LabelRecord, sampleLabels, withCache } from '../../src/index.js';
import { scriptedRepository } from '../support/scripted-repository.js';

const BURST = 1000;

/** The sample labels, each `name` behind a getter that counts how often anything reads it. */
function countedLabels() {
  const reads = { name: 0 };
  const labels = sampleLabels.map((label) => {
    const copy = { ...label } as Record<string, unknown>;
    delete copy.name;
    Object.defineProperty(copy, 'name', {
      enumerable: true,
      get: () => {
        reads.name += 1;
        return label.name;
      },
    });
    return copy as unknown as LabelRecord;
  });
  return { labels, reads };
}

/** An async repository (a CRM) whose calls wait until released and all answer the same array. */
function heldRepository(labels: readonly LabelRecord[]) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const repository: CustomerRepository = {
    findCustomerByPhone: async () => null,
    listLabels: async () => {
      await gate;
      return labels;
    },
  };
  return { repository, release };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /label from an async repository: one serialisation per distinct list', () => {
  it('reads a label list handed to a burst of 1,000 requests as often as for one request', async () => {
    const { labels, reads } = countedLabels();
    const single = heldRepository(labels);
    const one = createConnector({ repository: single.repository }).handle({ url: '/label' });
    single.release();
    expect((await one).status).toBe(200);
    const perRequest = reads.name;
    expect(perRequest).toBeGreaterThan(0);

    reads.name = 0;
    const burst = heldRepository(labels);
    const connector = createConnector({ repository: burst.repository });
    const pending = Array.from({ length: BURST }, () => connector.handle({ url: '/label' }));
    burst.release();
    const responses = await Promise.all(pending);
    expect(new Set(responses.map((response) => response.status))).toStrictEqual(new Set([200]));
    expect(new Set(responses.map((response) => response.headers?.etag)).size).toBe(1);
    expect(JSON.parse(responses[0]?.body as string)).toStrictEqual(JSON.parse(JSON.stringify(sampleLabels)));
    expect(reads.name).toBe(perRequest);
  });

  it('hashes the list once for a cold withCache burst of 1,000 coalesced requests', async () => {
    const script = scriptedRepository({ delayMs: 20 });
    const connector = createConnector({ repository: withCache(script) });
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const responses = await Promise.all(Array.from({ length: BURST }, () => connector.handle({ url: '/label' })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(script.calls.labels).toBe(1);
    expect(digest).toHaveBeenCalledTimes(1);
  });

  it('serialises a list again when the repository changed the same array in place', async () => {
    const labels = sampleLabels.map((label) => ({ ...label })) as LabelRecord[];
    const repository: CustomerRepository = { findCustomerByPhone: async () => null, listLabels: async () => labels };
    const connector = createConnector({ repository });
    const before = await connector.handle({ url: '/label' });
    (labels[0] as { name: string }).name = 'Renamed';
    const after = await connector.handle({ url: '/label' });
    expect((JSON.parse(after.body as string) as { name: string }[])[0]?.name).toBe('Renamed');
    expect(after.headers?.etag).not.toBe(before.headers?.etag);
  });
});
