import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ConnectorRequest } from '../../src/index.js';
import { startFakeZoho, zohoEnv } from '../../test/support/fake-zoho.js';
import { loadCrm, loadMain } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave, median } from '../lib/stats.js';

const LOOKUPS_PER_ROUND = 300;
const MIX_REQUESTS = 1_000;

/**
 * Benchmark: the CRM profile engine (issue 18). Its own cost per lookup, against a hand-written
 * `fetch` to the same fake Zoho over loopback (the same search, the token already obtained, the
 * same fields picked by hand), p50 of each round; and how many CRM calls 1,000 Hybrid Chat
 * requests (each chat a GET /customer and a GET /label) cost with serve's default caching for a
 * CRM source (labels kept 5 minutes, customers not kept) against none.
 */
export async function crm(rounds: number): Promise<SuiteResult> {
  const { createCrmRepository } = await loadCrm();
  const { createConnector, withCache, withCircuitBreaker } = await loadMain();
  const zoho = await startFakeZoho();
  try {
    const repository = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env: zohoEnv(zoho) });
    const token = (await repository.authenticate({ signal: new AbortController().signal }))!;
    // The hand-written connector a site would otherwise write: one search, the fields picked by name.
    const tokenValue = await handToken(zoho.tokenUrl);
    const query = { phone: '+923001234567', normalizedPhone: '923001234567' };
    const ours = async () => {
      const found = await repository.findCustomerByPhone(query, { signal: new AbortController().signal });
      if (found?._id !== '4876876000000500001') throw new Error('the engine did not find the customer');
    };
    const baseline = async () => {
      const response = await fetch(`${zoho.apiBase}/Contacts/search?phone=${encodeURIComponent(query.phone)}`, { headers: { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' }, redirect: 'manual' });
      const body = (await response.json()) as { data: Array<Record<string, unknown>> };
      const record = body.data.find((candidate) => String(candidate.Phone).replace(/\D/g, '').endsWith('3001234567'));
      if (record?.id !== '4876876000000500001') throw new Error('the baseline did not find the customer');
      return { _id: record.id, first_name: record.First_Name, labels: (record.Tag as Array<{ id: string }>).map((tag) => tag.id), updatedAt: new Date(record.Modified_Time as string) };
    };
    // The same hand-written connector doing what the contract asks of every CRM answer (CONTRACT.md,
    // "SaaS CRMs"): each hit's phone fields verified against the asked number read for the site's
    // country (libphonenumber-js, as a site would), the most recently updated of several, and the
    // caller's signal passed on (the handler's timeout), as the engine is given one.
    const phoneFields = ['Phone', 'Mobile', 'Home_Phone', 'Other_Phone', 'Asst_Phone'];
    const verified = async () => {
      const { signal } = new AbortController();
      const asked = parsePhoneNumberFromString(query.phone, 'PK')?.number;
      const response = await fetch(`${zoho.apiBase}/Contacts/search?phone=${encodeURIComponent(query.phone)}`, { headers: { authorization: `Zoho-oauthtoken ${tokenValue}`, accept: 'application/json' }, redirect: 'manual', signal });
      const body = (await response.json()) as { data?: Array<Record<string, unknown>> };
      const hits = (body.data ?? []).filter((candidate) => phoneFields.some((field) => typeof candidate[field] === 'string' && parsePhoneNumberFromString(candidate[field], 'PK')?.number === asked));
      const record = hits.sort((a, b) => Date.parse(String(b.Modified_Time)) - Date.parse(String(a.Modified_Time)))[0];
      if (record?.id !== '4876876000000500001') throw new Error('the verifying baseline did not find the customer');
      return { _id: record.id, first_name: record.First_Name, labels: (record.Tag as Array<{ id: string }>).map((tag) => tag.id), updatedAt: new Date(record.Modified_Time as string) };
    };
    const p50 = async (lookup: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let index = 0; index < LOOKUPS_PER_ROUND; index++) {
        const start = performance.now();
        await lookup();
        times.push((performance.now() - start) * 1000);
      }
      return median(times);
    };
    await p50(ours);
    await p50(baseline);
    await p50(verified);
    const samples = await interleave(rounds, { ours: () => p50(ours), baseline: () => p50(baseline), verified: () => p50(verified) });
    const rows: Row[] = [];
    const lookupRow = compare('one lookup, createCrmRepository(zoho) vs hand-written fetch, p50', 'µs', samples, 'fetch + JSON + pick fields', 1.2);
    lookupRow.note = `${LOOKUPS_PER_ROUND} sequential lookups per round against the fake Zoho on loopback (token ${token.token} kept); spread ${spread(samples.ours)} vs ${spread(samples.baseline)} µs. The baseline checks one field against the asked number's last digits, written in by hand.`;
    rows.push(lookupRow);
    const verifiedRow = compare('one lookup, createCrmRepository(zoho) vs hand-written fetch that verifies every hit, p50', 'µs', { ours: samples.ours, baseline: samples.verified }, 'fetch + JSON + libphonenumber-js check of the 5 phone fields + newest', 1.2);
    verifiedRow.note = `The same rounds; spread ${spread(samples.ours)} vs ${spread(samples.verified)} µs. The baseline does the work the contract asks of every CRM answer (each hit verified against the asked number, the newest of several), with the caller's signal.`;
    rows.push(verifiedRow);

    const calls = await interleave(rounds, {
      cached: () => callsPerMix(zohoEnv(zoho), (inner) => withCache(withCircuitBreaker(inner), { labelsTtlMs: 300_000, staleIfErrorMs: 600_000 })),
      none: () => callsPerMix(zohoEnv(zoho), (inner) => inner),
    });
    const callsRow = compare(`CRM calls per ${MIX_REQUESTS.toLocaleString('en-US')} Hybrid Chat requests, serve --crm defaults`, 'calls', { ours: calls.cached, baseline: calls.none }, 'no cache');
    callsRow.note = 'Each chat is GET /customer then GET /label; 500 chats in turn over 5 numbers in E.164 (3 contacts found at the first phone form, 1 near miss and 1 unknown number that try all 3 forms), 10 in flight; the token request is counted. Concurrent lookups of one number share a call (withCache).';
    rows.push(callsRow);
    return { suite: 'crm', title: 'CRM profile engine', rows };

    async function callsPerMix(env: Record<string, string>, wrap: (repository: import('../../src/index.js').CustomerRepository) => import('../../src/index.js').CustomerRepository): Promise<number> {
      const inner = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env });
      const connector = createConnector({ repository: wrap(inner), defaultCountry: 'PK' });
      const numbers = ['+923001234567', '+923217654321', '+923451234567', '+923009999990', '+923331234567'];
      const chats = MIX_REQUESTS / 2;
      let next = 0;
      const worker = async () => {
        while (next < chats) {
          const chat = next++;
          const url = `/customer?query=phone:${encodeURIComponent(numbers[chat % numbers.length]!)}`;
          await connector.handle({ method: 'GET', url, headers: { host: '127.0.0.1' } } satisfies ConnectorRequest);
          await connector.handle({ method: 'GET', url: '/label', headers: { host: '127.0.0.1' } });
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      const stats = inner.stats();
      return stats.crmCalls + stats.tokenRequests;
    }
  } finally {
    await zoho.close();
  }
}

async function handToken(tokenUrl: string): Promise<string> {
  const { zohoCredentials } = await import('../../test/support/fake-zoho.js');
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: zohoCredentials.clientId, client_secret: zohoCredentials.clientSecret, refresh_token: zohoCredentials.refreshToken });
  const response = await fetch(tokenUrl, { method: 'POST', body: form });
  return ((await response.json()) as { access_token: string }).access_token;
}

const spread = (samples: readonly number[]) => `${Math.min(...samples).toFixed(0)}–${Math.max(...samples).toFixed(0)}`;
