import { createServer } from 'node:http';
import { describe, it } from 'vitest';
import { createApp } from '../../examples/node-http.js';
import { createConnector, createNodeHandler } from '../../src/adapters/node.js';
import { vendorCases } from './app-cases.js';
import { contractCases } from './contract-cases.js';
import { expectProblem } from '../support/problems.js';
import { referenceRepository } from './reference.js';
import { startNode, useServer } from '../support/listen.js';

describe('node:http: createNodeHandler under /cim', () => {
  const server = useServer(() => startNode(createApp(referenceRepository())));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'problem' });

  it('answers paths outside its base path with a problem+json 404 too', async () => {
    await expectProblem(await fetch(`${server.origin()}/customer?query=phone:1111`), 'notFound');
  });
});

describe('node:http: createNodeHandler with a connector and no base path', () => {
  const connector = createConnector({ repository: referenceRepository() });
  const server = useServer(() => startNode(createServer(createNodeHandler(connector))));
  contractCases(() => server.origin(), { unknownPath: 'problem' });
});

describe('node:http example over the vendor data', () => {
  const server = useServer(() => startNode(createApp()));
  vendorCases(() => server.origin());
});
