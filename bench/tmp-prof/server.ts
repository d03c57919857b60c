import { startFakeZoho } from '../../test/support/fake-zoho.js';
const zoho = await startFakeZoho();
console.log(JSON.stringify({ origin: zoho.origin, tokenUrl: zoho.tokenUrl, apiBase: zoho.apiBase }));
setInterval(() => zoho.reset(), 1000);
