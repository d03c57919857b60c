/**
 * The connector as Express 5 middleware beside the app's own routes.
 * Run: `npx tsx examples/express.ts`.
 */
import express, { type Express } from 'express';
import { createServer } from 'node:http';
// In your project: from 'priority-routing-crm/node'
import { createNodeMiddleware, type CustomerRepository } from '../src/adapters/node.js';
import { isMain, listenOrExit } from './listen.js';
import { vendorRepository } from './vendor-crm.js';

/** An Express app: the connector answers under `/cim`, everything else reaches the app's routes. */
export function createApp(repository: CustomerRepository = vendorRepository): Express {
  const app = express();
  app.use(createNodeMiddleware({ repository, basePath: '/cim' }));
  app.get('/health', (_req, res) => {
    res.send('ok');
  });
  return app;
}

if (isMain(import.meta.url)) {
  listenOrExit(createServer(createApp()), 'Express');
}
