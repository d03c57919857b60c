/**
 * The connector as a Fastify 5 plugin beside the app's own routes.
 * Run: `npx tsx examples/fastify.ts`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
// In your project: from 'priority-routing-crm/node'
import { fastifyConnector, type CustomerRepository } from '../src/adapters/node.js';
import { announce, failedToListen, isMain, listenOn } from './listen.js';
import { vendorRepository } from './vendor-crm.js';

/** A Fastify app: the plugin answers under `/cim`, everything else reaches the app's routes. */
export async function createApp(repository: CustomerRepository = vendorRepository): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyConnector, { repository, basePath: '/cim' });
  app.get('/health', async () => 'ok');
  return app;
}

if (isMain(import.meta.url)) {
  const app = await createApp();
  await app.listen(listenOn).catch(failedToListen);
  announce('Fastify');
}
