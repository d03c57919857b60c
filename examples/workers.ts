/**
 * The connector for runtimes that serve a default export with a `fetch` method:
 * Bun (`bun run examples/workers.ts`), Deno (`deno serve examples/workers.ts`) and
 * Cloudflare Workers (`wrangler dev examples/workers.ts`).
 */
// In your project: from 'priority-routing-crm/fetch'
import { createFetchHandler } from '../src/adapters/fetch.js';
import { vendorRepository } from './vendor-crm.js';

export default { fetch: createFetchHandler({ repository: vendorRepository, basePath: '/cim' }) };
