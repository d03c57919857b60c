import { describe } from 'vitest';
import { createApp } from '../../examples/hono.js';
import { passThroughCases, vendorCases } from './app-cases.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startFetch, useServer } from '../support/listen.js';

describe('Hono 4 on @hono/node-server: createFetchHandler', () => {
  const server = useServer(() => startFetch(createApp(referenceRepository()).fetch));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'problem' });
  passThroughCases(() => server.origin());
});

describe('Hono example over the vendor data', () => {
  const server = useServer(() => startFetch(createApp().fetch));
  vendorCases(() => server.origin());
});
