import express from 'express';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../examples/express.js';
import { createNodeMiddleware } from '../../src/adapters/node.js';
import { passThroughCases, vendorCases } from './app-cases.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startNode, useServer } from '../support/listen.js';

describe('Express 5: app.use(createNodeMiddleware(...))', () => {
  const server = useServer(() => startNode(createApp(referenceRepository())));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'passed-on' });
  passThroughCases(() => server.origin());
});

describe("Express 5: app.use('/cim', createNodeMiddleware(...)) reads req.originalUrl", () => {
  const server = useServer(() => {
    const app = express();
    app.use('/cim', createNodeMiddleware({ repository: referenceRepository(), basePath: '/cim' }));
    app.get('/cim/status', (_req, res) => {
      res.send('app route under the mount');
    });
    return startNode(app);
  });
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'passed-on' });

  it("passes other paths under the mount to the app's own routes", async () => {
    const response = await fetch(`${server.origin()}/cim/status`);
    expect(await response.text()).toBe('app route under the mount');
  });
});

describe('Express example over the vendor data', () => {
  const server = useServer(() => startNode(createApp()));
  vendorCases(() => server.origin());
});
