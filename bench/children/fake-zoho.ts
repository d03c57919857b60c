/**
 * The fake Zoho CRM (test/support/fake-zoho.ts) in its own process, for the `crm` suite: the
 * process that measures lookups then spends CPU on the client side only. Sends `{ origin,
 * tokenUrl, apiBase }` when listening; answers `'count'` with the requests per route since the
 * last `'count'` (and forgets the requests it recorded: a long run would keep them all).
 */
import { startFakeZoho } from '../../test/support/fake-zoho.js';

const zoho = await startFakeZoho();
let counted = { token: 0, search: 0, tags: 0 };
process.on('message', (message) => {
  if (message === 'count') {
    const now = { token: zoho.count('token'), search: zoho.count('search'), tags: zoho.count('tags') };
    process.send?.({ token: now.token - counted.token, search: now.search - counted.search, tags: now.tags - counted.tags });
    counted = now;
    zoho.reset();
  }
});
process.on('disconnect', () => void zoho.close().then(() => process.exit(0)));
process.send?.({ origin: zoho.origin, tokenUrl: zoho.tokenUrl, apiBase: zoho.apiBase });
