import { readFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
const { apiBase, tokenUrl } = JSON.parse(readFileSync('/tmp/crmprof/server.out', 'utf8'));
const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: '1000.FAKECLIENTID', client_secret: 'zoho-client-secret-4f1e', refresh_token: '1000.refresh.token.9a8b7c' });
const tokenValue = (await (await fetch(tokenUrl, { method: 'POST', body: form })).json()).access_token;
const url = `${apiBase}/Contacts/search?phone=%2B923001234567`;
const headers = { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' };
const agent = new Agent({ keepAlive: true });
const u = new URL(url);
const httpGet = () => new Promise((resolve, reject) => {
  const req = request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers }, (res) => {
    const chunks = []; let length = 0;
    res.on('data', (c) => { length += c.length; chunks.push(c); });
    res.on('end', () => resolve(JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks, length).toString())));
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end();
});
const variants = {
  plain: async () => (await fetch(url, { headers, redirect: 'manual' })).json(),
  freshSignal: async () => (await fetch(url, { headers, redirect: 'manual', signal: new AbortController().signal })).json(),
  http: httpGet,
};
const n = 200; const results = {};
for (let r = 0; r < 40; r++) for (const [name, fn] of Object.entries(variants)) {
  const c = process.cpuUsage(); for (let i = 0; i < n; i++) await fn(); const u = process.cpuUsage(c);
  (results[name] ??= []).push(Math.round((u.user + u.system) / n));
}
for (const [k, v] of Object.entries(results)) console.log(k.padEnd(14), 'median', [...v].sort((a, b) => a - b)[v.length >> 1]);
