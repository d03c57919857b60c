import { readFileSync } from 'node:fs';
const [variant, nText, dist = '../../dist/'] = process.argv.slice(2);
const n = Number(nText);
const { createCrmRepository } = await import(new URL(`${dist}crm.js`, import.meta.url).href);
const { tokenUrl, apiBase } = JSON.parse(readFileSync('/tmp/crmprof/server.out', 'utf8'));
const env = { PRC_CRM_CLIENT_ID: '1000.FAKECLIENTID', PRC_CRM_CLIENT_SECRET: 'zoho-client-secret-4f1e', PRC_CRM_REFRESH_TOKEN: '1000.refresh.token.9a8b7c', PRC_CRM_TOKEN_URL: tokenUrl };
const repository = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env, timeoutMs: 600000 });
await repository.authenticate({ signal: new AbortController().signal });
const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: env.PRC_CRM_CLIENT_ID, client_secret: env.PRC_CRM_CLIENT_SECRET, refresh_token: env.PRC_CRM_REFRESH_TOKEN });
const tokenValue = (await (await fetch(tokenUrl, { method: 'POST', body: form })).json()).access_token;
const query = { phone: '+923001234567', normalizedPhone: '923001234567' };
const url = `${apiBase}/Contacts/search?phone=${encodeURIComponent(query.phone)}`;
const headers = { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' };
const shared = new AbortController().signal;
const variants = {
  ours: async () => { const f = await repository.findCustomerByPhone(query, { signal: new AbortController().signal }); if (f?._id !== '4876876000000500001') throw new Error('x'); },
  oursShared: async () => { const f = await repository.findCustomerByPhone(query, { signal: shared }); if (f?._id !== '4876876000000500001') throw new Error('x'); },
  plain: async () => {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.json();
    const record = body.data.find((c) => String(c.Phone).replace(/\D/g, '').endsWith('3001234567'));
    if (record?.id !== '4876876000000500001') throw new Error('b');
    return { _id: record.id, first_name: record.First_Name, labels: record.Tag.map((t) => t.id), updatedAt: new Date(record.Modified_Time) };
  },
  fresh: async () => (await fetch(url, { headers, redirect: 'manual', signal: new AbortController().signal })).json(),
  plainJson: async () => (await fetch(url, { headers, redirect: 'manual' })).json(),
};
const fn = variants[variant];
for (let i = 0; i < 200; i++) await fn();
for (let i = 0; i < n; i++) await fn();
process.exit(0);
