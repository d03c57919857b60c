import { Hono } from 'hono';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import {
  createConnector,
  createKoaMiddleware,
  createNodeHandler,
  createNodeMiddleware,
  fastifyConnector,
  type ConnectorInput,
} from '../../src/adapters/node.js';
import type { ConnectorErrorEvent, ConnectorOptions } from '../../src/index.js';
import { expectProblem } from '../support/problems.js';
import { watchUnhandledRejections } from '../support/unhandled.js';
import { referenceRepository } from './reference.js';
import { type Listening, listenFastify, startFetch, startNode } from '../support/listen.js';

type Start = (input: ConnectorInput) => Promise<Listening>;

const adapters: ReadonlyArray<readonly [string, Start]> = [
  ['node:http with connector.node', async (input) => startNode(('handle' in input ? input : createConnector(input)).node)],
  ['node:http with createNodeHandler', async (input) => startNode(createNodeHandler(input))],
  ['Express 5 with createNodeMiddleware', async (input) => startNode(express().use(createNodeMiddleware(input)))],
  ['Koa 3 with createKoaMiddleware', async (input) => startNode(new Koa().use(createKoaMiddleware(input)).callback())],
  [
    'Fastify 5 with fastifyConnector',
    async (input) => {
      const app = Fastify();
      await app.register(fastifyConnector, input);
      return listenFastify(app);
    },
  ],
  [
    'Hono with createFetchHandler',
    async (input) => {
      const handler = createFetchHandler(input);
      return startFetch(new Hono().all('/*', (c) => handler(c.req.raw)).fetch);
    },
  ],
];

// connector.node is the real connector's own method, which a spread copy keeps: covered above.
const nodeAdapters = adapters.filter(([name]) => !name.startsWith('Hono') && !name.includes('connector.node'));

const expectInternalError = (response: Response) => expectProblem(response, 'internalError');

async function withServer(start: Start, input: ConnectorInput, run: (origin: string) => Promise<void>): Promise<void> {
  const server = await start(input);
  try {
    await run(server.origin);
  } finally {
    await server.close();
  }
}

const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(3000) });

describe('an authenticate challenge that cannot be sent as a header', () => {
  const rejections = watchUnhandledRejections();

  it.each(adapters)('%s: 500 problem+json and an onError event, the next request served as usual', async (_name, start) => {
    const errors: ConnectorErrorEvent[] = [];
    let challenge = 'Bearer realm="crm"\r\nSet-Cookie: session=stolen';
    const options: ConnectorOptions = {
      repository: referenceRepository(),
      authenticate: (request) => request.url.includes('token=ok') || { challenge },
      onError: (event) => void errors.push(event),
    };
    await withServer(start, options, async (origin) => {
      const crlf = await get(`${origin}/label`);
      expect(crlf.headers.get('set-cookie')).toBeNull();
      await expectInternalError(crlf);
      challenge = 'Bearer realm="€"';
      await expectInternalError(await get(`${origin}/customer?query=phone:1111`));
      expect(errors.map(({ kind, status, route }) => ({ kind, status, route }))).toEqual([
        { kind: 'exception', status: 500, route: 'label' },
        { kind: 'exception', status: 500, route: 'customer' },
      ]);
      expect(String(errors[0]?.error)).toMatch(/U\+000D/);
      expect((await get(`${origin}/label?token=ok`)).status).toBe(200);
    });
    expect(await rejections.settled()).toEqual([]);
  });
});

describe('a connector object whose answer cannot be written, or that rejects', () => {
  const rejections = watchUnhandledRejections();
  const real = createConnector({ repository: referenceRepository() });

  it.each(nodeAdapters)('%s: 500 problem+json, no unhandled rejection, the next request served', async (_name, start) => {
    const broken = {
      ...real,
      handle: async (request: Parameters<typeof real.handle>[0]) => {
        if (request.url.includes('reject')) throw new Error('handle rejected');
        const response = await real.handle(request);
        return request.url.includes('bad-header') ? { ...response, headers: { ...response.headers, 'x-note': 'one\ntwo' } } : response;
      },
    };
    await withServer(start, broken, async (origin) => {
      await expectInternalError(await get(`${origin}/label?bad-header`));
      await expectInternalError(await get(`${origin}/label?reject`));
      expect((await get(`${origin}/label`)).status).toBe(200);
    });
    expect(await rejections.settled()).toEqual([]);
  });
});

describe('an answer that fails after its headers went out', () => {
  const rejections = watchUnhandledRejections();

  it('node:http: the connection is destroyed, no unhandled rejection, the server keeps serving', async () => {
    const errors: ConnectorErrorEvent[] = [];
    const connector = createConnector({ repository: referenceRepository(), onError: (event) => void errors.push(event) });
    const server = await startNode((req, res) => {
      if (req.url?.includes('fail-end')) {
        // A socket that breaks between writeHead and end, as a failing stream would.
        res.end = () => {
          throw new Error('end failed');
        };
      }
      return connector.node(req, res);
    });
    try {
      await expect(get(`${server.origin}/label?fail-end`)).rejects.toThrow();
      expect(errors.map(({ kind, route }) => ({ kind, route }))).toEqual([{ kind: 'exception', route: 'label' }]);
      expect((await get(`${server.origin}/label`)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(await rejections.settled()).toEqual([]);
  });
});
