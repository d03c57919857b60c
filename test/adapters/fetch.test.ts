import { describe, expect, it } from 'vitest';
import workers from '../../examples/workers.js';
import { createConnector, createFetchHandler } from '../../src/adapters/fetch.js';
import { vendorCases } from './app-cases.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startFetch, useServer } from '../support/listen.js';

describe('createFetchHandler on its own (Bun, Deno, workers) with a connector and no base path', () => {
  const handler = createFetchHandler(createConnector({ repository: referenceRepository() }));
  const server = useServer(() => startFetch(handler));
  contractCases(() => server.origin(), { unknownPath: 'problem' });

  it("answers with Node's own Response and leaves the global Request and Response alone", async () => {
    // Node's fetch always builds its own Response class: a replaced global would differ from it.
    const nodeResponse = await fetch(`${server.origin()}/label`);
    await nodeResponse.body?.cancel();
    expect(globalThis.Response).toBe(nodeResponse.constructor);
    expect(await handler(new Request('http://crm.example/label'))).toBeInstanceOf(nodeResponse.constructor);
  });
});

describe('workers example (export default { fetch }) over the vendor data', () => {
  const server = useServer(() => startFetch(workers.fetch));
  vendorCases(() => server.origin());
});
