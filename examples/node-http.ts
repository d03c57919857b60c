/**
 * The connector on a plain `node:http` server.
 * Run: `npx tsx examples/node-http.ts`, then `curl 'http://127.0.0.1:3000/cim/customer?query=phone:+923001234567'`.
 */
import { createServer, type Server } from 'node:http';
// In your project: from 'priority-routing-crm/node'
import { createNodeHandler, type CustomerRepository } from '../src/adapters/node.js';
import { isMain, listenOrExit } from './listen.js';
import { vendorRepository } from './vendor-crm.js';

/** A server that answers the connector's two routes under `/cim` (and problem+json for anything else). */
export function createApp(repository: CustomerRepository = vendorRepository): Server {
  return createServer(createNodeHandler({ repository, basePath: '/cim' }));
}

if (isMain(import.meta.url)) {
  listenOrExit(createApp(), 'node:http');
}
