import { describe, expect, it } from 'vitest';
import { hearingRequest } from '../../src/core/hooks.js';
import { createConnector, createMemoryRepository, sampleDataSet } from '../../src/index.js';

const repository = createMemoryRepository(sampleDataSet);
const request = { url: '/customer?query=phone:1111', headers: { authorization: 'Bearer secret' } };

describe('the request handed to a response hook', () => {
  it('never reaches a user onResponse hook: it carries the credentials and a hook may log what it gets', async () => {
    const calls: unknown[][] = [];
    const connector = createConnector({ repository, onResponse: (...args: unknown[]) => void calls.push(args) });
    await connector.handle(request);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
  });

  it("reaches serve's own hook (hearingRequest), the same request object, for its path and query", async () => {
    const heard: unknown[] = [];
    const connector = createConnector({ repository, onResponse: hearingRequest((event, asked) => void heard.push(event.status, asked)) });
    await connector.handle(request);
    expect(heard).toStrictEqual([200, request]);
    expect(heard[1]).toBe(request);
  });

  it("hands serve's hook the masked phone apart from the event, read only when it asks; a user's hook gets it in the event", async () => {
    const heard: { phone: unknown; masked: unknown }[] = [];
    const connector = createConnector({ repository, onResponse: hearingRequest((event, _asked, phoned) => void heard.push({ phone: event.phone, masked: phoned.phone })) });
    await connector.handle(request);
    expect(heard).toStrictEqual([{ phone: undefined, masked: '**11' }]);
    const users: unknown[] = [];
    await createConnector({ repository, onResponse: (event) => void users.push(event.phone) }).handle(request);
    expect(users).toStrictEqual(['**11']);
  });
});
