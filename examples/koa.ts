/**
 * The connector as Koa 3 middleware beside the app's own middleware.
 * Run: `npx tsx examples/koa.ts`.
 */
import Koa from 'koa';
import { createServer } from 'node:http';
// In your project: from 'priority-routing-crm/node'
import { createKoaMiddleware, type CustomerRepository } from '../src/adapters/node.js';
import { isMain, listenOrExit } from './listen.js';
import { vendorRepository } from './vendor-crm.js';

/** A Koa app: the connector answers under `/cim`, everything else goes down the middleware chain. */
export function createApp(repository: CustomerRepository = vendorRepository): Koa {
  const app = new Koa();
  app.use(createKoaMiddleware({ repository, basePath: '/cim' }));
  app.use((ctx) => {
    if (ctx.path === '/health') ctx.body = 'ok';
  });
  return app;
}

if (isMain(import.meta.url)) {
  listenOrExit(createServer(createApp().callback()), 'Koa');
}
