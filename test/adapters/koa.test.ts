import { describe } from 'vitest';
import { createApp } from '../../examples/koa.js';
import { passThroughCases, vendorCases } from './app-cases.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startNode, useServer } from '../support/listen.js';

describe('Koa 3: createKoaMiddleware', () => {
  const server = useServer(() => startNode(createApp(referenceRepository()).callback()));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'passed-on' });
  passThroughCases(() => server.origin());
});

describe('Koa example over the vendor data', () => {
  const server = useServer(() => startNode(createApp().callback()));
  vendorCases(() => server.origin());
});
