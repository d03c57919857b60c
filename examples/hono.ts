/**
 * The connector as a Hono 4 route, served on Node by `@hono/node-server`.
 * Run: `npx tsx examples/hono.ts`.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { Hono } from 'hono';
// In your project: from 'priority-routing-crm/fetch'
import { createFetchHandler, type CustomerRepository } from '../src/adapters/fetch.js';
import { isMain, listenOrExit } from './listen.js';
import { vendorRepository } from './vendor-crm.js';

/** A Hono app: the connector answers everything under `/cim/`, the app keeps its other routes. */
export function createApp(repository: CustomerRepository = vendorRepository): Hono {
  const connector = createFetchHandler({ repository, basePath: '/cim' });
  const app = new Hono();
  app.all('/cim/*', (c) => connector(c.req.raw));
  app.get('/health', (c) => c.text('ok'));
  return app;
}

if (isMain(import.meta.url)) {
  listenOrExit(createAdaptorServer({ fetch: createApp().fetch }) as Server, 'Hono');
}
