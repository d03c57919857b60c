import express from 'express';
import { describe, expect, it } from 'vitest';
import { createNodeHandler } from '../../src/adapters/node.js';
import { createConnector } from '../../src/core/connector.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startNode, useServer } from '../support/listen.js';

// `connector.node` (a method of a connector you already have) and `createNodeHandler` (a factory
// from options) are two spellings of one listener: under Express's app.use('/cim', …), which
// cuts the mount path off req.url, both must read req.originalUrl and answer alike.
const listeners = {
  'connector.node': () => createConnector({ repository: referenceRepository(), basePath: '/cim' }).node,
  createNodeHandler: () => createNodeHandler({ repository: referenceRepository(), basePath: '/cim' }),
};

const mounted = (listener: ReturnType<(typeof listeners)[keyof typeof listeners]>) => {
  const app = express();
  app.use('/cim', listener);
  return startNode(app);
};

for (const [name, listener] of Object.entries(listeners)) {
  describe(`Express 5: app.use('/cim', ${name}) with basePath '/cim'`, () => {
    const server = useServer(() => mounted(listener()));
    contractCases(() => `${server.origin()}/cim`, { unknownPath: 'problem' });
  });
}

/** What a client can observe of a response, without the headers that change with the clock. */
async function observe(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([header]) => header !== 'date' && header !== 'keep-alive'));
  return { status: response.status, headers, body: await response.text() };
}

describe('connector.node and createNodeHandler under one Express mount', () => {
  const viaNode = useServer(() => mounted(listeners['connector.node']()));
  const viaHandler = useServer(() => mounted(listeners.createNodeHandler()));

  it.each([
    ['GET', '/cim/customer?query=phone:1111'],
    ['GET', '/cim/customer?query=phone:%2B923001234567'],
    ['GET', '/cim/customer?query=phone:5550000000'],
    ['GET', '/cim/customer?query=email:x'],
    ['GET', '/cim/label'],
    ['HEAD', '/cim/label'],
    ['POST', '/cim/label'],
    ['GET', '/cim/cim/label'],
    ['GET', '/cim/other'],
  ])('answer %s %s identically', async (method, path) => {
    const [node, handler] = await Promise.all([
      fetch(`${viaNode.origin()}${path}`, { method }).then(observe),
      fetch(`${viaHandler.origin()}${path}`, { method }).then(observe),
    ]);
    expect(node).toEqual(handler);
  });

});
