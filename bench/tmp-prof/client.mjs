import { readFileSync } from 'node:fs';
const { createCrmRepository } = await import(new URL('../../dist/crm.js', import.meta.url).href);
const { origin, tokenUrl, apiBase } = JSON.parse(readFileSync('/tmp/crmprof/server.out', 'utf8'));
const env = { PRC_CRM_CLIENT_ID: '1000.FAKECLIENTID', PRC_CRM_CLIENT_SECRET: 'zoho-client-secret-4f1e', PRC_CRM_REFRESH_TOKEN: '1000.refresh.token.9a8b7c', PRC_CRM_TOKEN_URL: tokenUrl };
const repository = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env });
await repository.authenticate({ signal: new AbortController().signal });
const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: env.PRC_CRM_CLIENT_ID, client_secret: env.PRC_CRM_CLIENT_SECRET, refresh_token: env.PRC_CRM_REFRESH_TOKEN });
const tokenValue = (await (await fetch(tokenUrl, { method: 'POST', body: form })).json()).access_token;
const query = { phone: '+923001234567', normalizedPhone: '923001234567' };
const ours = async () => { const f = await repository.findCustomerByPhone(query, { signal: new AbortController().signal }); if (f?._id !== '4876876000000500001') throw new Error('x'); };
const baseline = async () => {
  const response = await fetch(`${apiBase}/Contacts/search?phone=${encodeURIComponent(query.phone)}`, { headers: { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' }, redirect: 'manual' });
  const body = await response.json();
  const record = body.data.find((c) => String(c.Phone).replace(/\D/g, '').endsWith('3001234567'));
  if (record?.id !== '4876876000000500001') throw new Error('b');
  return { _id: record.id, first_name: record.First_Name, labels: record.Tag.map((t) => t.id), updatedAt: new Date(record.Modified_Time) };
};
const which = process.argv[2] ?? 'both';
const n = Number(process.argv[3] ?? 2000);
const batch = async (fn) => { const c = process.cpuUsage(); const t = performance.now(); const times = []; for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); times.push(performance.now() - s); } const u = process.cpuUsage(c); times.sort((a, b) => a - b); return { p50: (times[n >> 1] * 1000).toFixed(0), cpu: ((u.user + u.system) / n).toFixed(0), wall: ((performance.now() - t) * 1000 / n).toFixed(0) }; };
for (let r = 0; r < 5; r++) {
  if (which !== 'baseline') console.log('ours', JSON.stringify(await batch(ours)));
  if (which !== 'ours') console.log('base', JSON.stringify(await batch(baseline)));
}
