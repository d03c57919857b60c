import { readFileSync } from 'node:fs';
const { apiBase, tokenUrl } = JSON.parse(readFileSync('/tmp/crmprof/server.out', 'utf8'));
const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: '1000.FAKECLIENTID', client_secret: 'zoho-client-secret-4f1e', refresh_token: '1000.refresh.token.9a8b7c' });
const tokenValue = (await (await fetch(tokenUrl, { method: 'POST', body: form })).json()).access_token;
const url = `${apiBase}/Contacts/search?phone=%2B923001234567`;
const headers = { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' };
const shared = new AbortController();
async function bounded(response) {
  const reader = response.body.getReader(); const chunks = []; let length = 0;
  for (;;) { const { done, value } = await reader.read(); if (done) break; length += value.byteLength; chunks.push(value); }
  const bytes = new Uint8Array(length); let o = 0; for (const c of chunks) { bytes.set(c, o); o += c.byteLength; }
  return new TextDecoder().decode(bytes);
}
import { setMaxListeners } from 'node:events';
let bucket = { at: 0, c: null };
const bucketSignal = () => { const now = Date.now(); const key = now - (now % 25); if (bucket.at !== key) { bucket = { at: key, c: new AbortController() }; setMaxListeners(0, bucket.c.signal); } return bucket.c.signal; };
const variants = {
  bucket: async () => (await fetch(url, { headers, redirect: 'manual', signal: bucketSignal() })).json(),
  plain: async () => (await fetch(url, { headers, redirect: 'manual' })).json(),
  freshSignal: async () => (await fetch(url, { headers, redirect: 'manual', signal: new AbortController().signal })).json(),
  //text: async () => JSON.parse(await (await fetch(url, { headers, redirect: 'manual' })).text()),
  //reader: async () => JSON.parse(await bounded(await fetch(url, { headers, redirect: 'manual' }))),
  //arrayBuffer: async () => JSON.parse(Buffer.from(await (await fetch(url, { headers, redirect: 'manual' })).arrayBuffer()).toString()),
};
const only = process.argv[2]?.split(',');
const n = 200;
const results = {};
for (let r = 0; r < 60; r++) for (const [name, fn] of Object.entries(variants)) {
  if (only && !only.includes(name)) continue;
  const c = process.cpuUsage(); for (let i = 0; i < n; i++) await fn(); const u = process.cpuUsage(c);
  (results[name] ??= []).push(Math.round((u.user + u.system) / n));
}
for (const [k, v] of Object.entries(results)) console.log(k.padEnd(14), 'median', [...v].sort((a, b) => a - b)[v.length >> 1]);
