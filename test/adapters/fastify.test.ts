import Fastify from 'fastify';
import { METHODS } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../examples/fastify.js';
import { createConnector, fastifyConnector } from '../../src/adapters/node.js';
import { passThroughCases, vendorCases } from './app-cases.js';
import { expectProblem } from '../support/problems.js';
import { contractCases } from './contract-cases.js';
import { sendRaw } from '../support/raw-http.js';
import { referenceRepository } from './reference.js';
import { listenFastify, useServer } from '../support/listen.js';

describe('Fastify 5: fastifyConnector plugin', () => {
  const server = useServer(async () => listenFastify(await createApp(referenceRepository())));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'passed-on' });
  passThroughCases(() => server.origin());

  it('answers 405 before Fastify would parse (and refuse) a request body', async () => {
    for (const [type, body] of [['application/json', '{not json'], ['application/x-unknown', 'x']] as const) {
      const response = await fetch(`${server.origin()}/cim/label`, { method: 'POST', headers: { 'content-type': type }, body });
      await expectProblem(response, 'methodNotAllowed');
    }
  });
});

describe('Fastify 5: fastifyConnector given a connector with no base path', () => {
  const server = useServer(async () => {
    const app = Fastify();
    await app.register(fastifyConnector, createConnector({ repository: referenceRepository() }));
    return listenFastify(app);
  });
  contractCases(() => server.origin(), { unknownPath: 'passed-on' });
});

describe('Fastify example over the vendor data', () => {
  const server = useServer(async () => listenFastify(await createApp()));
  vendorCases(() => server.origin());
});

describe('Fastify 5: every method on the two routes reaches the connector', () => {
  const server = useServer(async () => listenFastify(await createApp(referenceRepository())));
  const methods = METHODS.filter((method) => !['GET', 'HEAD', 'CONNECT'].includes(method));

  it.each(methods)('%s on both routes: the connector\'s 405 with Allow: GET, HEAD', async (method) => {
    const port = Number(new URL(server.origin()).port);
    for (const path of ['/cim/label', '/cim/customer?query=phone:1111']) {
      const response = await sendRaw(port, { method, target: path, headers: [['Host', `127.0.0.1:${port}`]] });
      expect(response?.headers.allow).toBe('GET, HEAD');
      await expectProblem(response ?? { status: 0, headers: {} }, 'methodNotAllowed');
    }
  });

  it('leaves other paths to Fastify, whatever the method', async () => {
    const port = Number(new URL(server.origin()).port);
    const response = await sendRaw(port, { method: 'PROPFIND', target: '/elsewhere', headers: [['Host', `127.0.0.1:${port}`]] });
    expect(response?.status).toBe(404);
    expect((await fetch(`${server.origin()}/health`)).status).toBe(200);
  });
});
