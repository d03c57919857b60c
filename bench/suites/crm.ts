import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ConnectorRequest } from '../../src/index.js';
import { loadavg } from 'node:os';
import { zohoCredentials } from '../../test/support/fake-zoho.js';
import { startChild } from '../lib/child.js';
import { loadCrm, loadMain } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave, median } from '../lib/stats.js';

const LOOKUPS_PER_ROUND = 400;
const MIX_REQUESTS = 1_000;
const COLD_BURST = 100;

/** One round of one contender: the p50 of its lookups' wall-clock times, and this process's CPU time per lookup. */
interface RoundSample {
  p50: number;
  cpu: number;
}

/**
 * Benchmark: the CRM profile engine (issue 18). Its own cost per lookup, against a hand-written
 * `fetch` to the same fake Zoho over loopback (the same search, the token already obtained, the
 * same fields picked by hand): per round the p50 of 400 sequential lookups and this process's
 * CPU time per lookup (`process.cpuUsage`, user + system). The fake runs in its own process, so
 * the CPU time is the client's alone, the figure that moves least on a shared machine. Rounds
 * are interleaved (the order alternating) after a warm-up round of each. Also: token requests for
 * 100 concurrent lookups on a cold start, and how many CRM calls 1,000 Hybrid Chat requests (each
 * chat a GET /customer and a GET /label) cost with serve's default caching for a CRM source
 * (labels kept 5 minutes, customers not kept) against none.
 */
export async function crm(rounds: number): Promise<SuiteResult> {
  const { createCrmRepository } = await loadCrm();
  const { createConnector, withCache, withCircuitBreaker } = await loadMain();
  const fake = startChild('fake-zoho', []);
  const load = [loadavg()[0]!];
  try {
    const zoho = (await fake.ready) as { origin: string; tokenUrl: string; apiBase: string };
    const env = { PRC_CRM_CLIENT_ID: zohoCredentials.clientId, PRC_CRM_CLIENT_SECRET: zohoCredentials.clientSecret, PRC_CRM_REFRESH_TOKEN: zohoCredentials.refreshToken, PRC_CRM_TOKEN_URL: zoho.tokenUrl };
    const repository = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env });
    const token = (await repository.authenticate({ signal: new AbortController().signal }))!;
    // The same engine sending through the global fetch (the `fetch` option): its own work on fetch's cost.
    const overFetch = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env, fetch: (input, init) => fetch(input, init) });
    await overFetch.authenticate({ signal: new AbortController().signal });
    // The hand-written connector a site would otherwise write: one search, the fields picked by name.
    const tokenValue = await handToken(zoho.tokenUrl);
    const query = { phone: '+923001234567', normalizedPhone: '923001234567' };
    const engine = (through: typeof repository) => async () => {
      const found = await through.findCustomerByPhone(query, { signal: new AbortController().signal });
      if (found?._id !== '4876876000000500001') throw new Error('the engine did not find the customer');
    };
    const ours = engine(repository);
    const oursOverFetch = engine(overFetch);
    // The baseline, as it was: no signal, no check but one field's last ten digits (reads the whole body).
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
    const round = async (lookup: () => Promise<unknown>): Promise<RoundSample> => {
      const times: number[] = [];
      const cpu = process.cpuUsage();
      for (let index = 0; index < LOOKUPS_PER_ROUND; index++) {
        const start = performance.now();
        await lookup();
        times.push((performance.now() - start) * 1000);
      }
      const used = process.cpuUsage(cpu);
      return { p50: median(times), cpu: (used.user + used.system) / LOOKUPS_PER_ROUND };
    };
    const contenders = { ours: () => round(ours), baseline: () => round(baseline), verified: () => round(verified), overFetch: () => round(oursOverFetch) };
    await interleave(1, contenders); // warm-up: JIT tiers, keep-alive sockets, the kept readings
    const samples = await interleave(rounds, contenders);
    load.push(loadavg()[0]!);
    const of = (key: keyof typeof samples, figure: keyof RoundSample) => samples[key].map((sample) => sample[figure]);
    // Each round's own ratio (the contenders ran back to back in it): their median beside the spread.
    const ratios = (key: keyof typeof samples, against: keyof typeof samples, figure: keyof RoundSample) => {
      const each = samples[key].map((sample, index) => sample[figure] / samples[against][index]![figure]);
      return `median ${median(each).toFixed(2)}×, ${spread(each, 2)}`;
    };
    const rows: Row[] = [];
    const how = `${rounds} interleaved rounds after a warm-up round, ${LOOKUPS_PER_ROUND} sequential lookups each, against the fake Zoho in its own process on loopback (token ${token.token} kept); load average ${load.map((value) => value.toFixed(1)).join(' → ')}`;
    const row = (name: string, figure: keyof RoundSample, key: keyof typeof samples, against: keyof typeof samples, baselineName: string, target: number | undefined, note: string) => {
      const made = compare(name, 'µs', { ours: of(key, figure), baseline: of(against, figure) }, baselineName, target);
      made.note = `${note} Ratio per round ${ratios(key, against, figure)}. ${how}.`;
      rows.push(made);
    };
    const bare = 'The issue\'s baseline, unchanged: fetch + response.json() + one field\'s last ten digits checked, written in by hand; no signal.';
    row('one lookup, createCrmRepository(zoho) vs hand-written fetch, p50', 'p50', 'ours', 'baseline', 'fetch + JSON + pick fields', 1.2, bare);
    row('one lookup, CPU time of the client process, createCrmRepository(zoho) vs hand-written fetch', 'cpu', 'ours', 'baseline', 'fetch + JSON + pick fields', 1.2, `${bare} process.cpuUsage() (user + system) over the round / lookups.`);
    row('one lookup, createCrmRepository(zoho) vs hand-written fetch that verifies every hit, p50', 'p50', 'ours', 'verified', 'fetch + JSON + libphonenumber-js check of the 5 phone fields + newest', 1.2, 'The baseline does the work the contract asks of every CRM answer (each hit verified against the asked number, the newest of several), with the caller\'s signal.');
    row('one lookup, the engine through the global fetch (`fetch` option) vs hand-written fetch, p50', 'p50', 'overFetch', 'baseline', 'fetch + JSON + pick fields', undefined, 'The engine\'s own work on the same transport as the baseline (what it costs beyond fetch), for comparison; serve uses node:http.');
    row('one lookup, CPU time, the engine through the global fetch vs hand-written fetch', 'cpu', 'overFetch', 'baseline', 'fetch + JSON + pick fields', undefined, 'The same, CPU time of the client process per lookup.');

    const cold = createCrmRepository({ profile: 'zoho', defaultCountry: 'PK', env });
    await fake.ask('count'); // the fake forgets what it counted so far
    const burst = await Promise.all(Array.from({ length: COLD_BURST }, () => cold.findCustomerByPhone(query, { signal: new AbortController().signal })));
    if (burst.some((found) => found?._id !== '4876876000000500001')) throw new Error('a lookup of the cold burst did not find the customer');
    const seen = await fake.ask<{ token: number; search: number }>('count');
    if (seen.token !== cold.stats().tokenRequests) throw new Error(`the fake saw ${seen.token} token requests, the repository counted ${cold.stats().tokenRequests}`);
    rows.push({ name: `token requests for ${COLD_BURST} concurrent lookups on a cold start`, unit: 'requests', ours: seen.token, baselineName: `one per lookup (${COLD_BURST})`, baseline: COLD_BURST, note: `${COLD_BURST} lookups of one number started at once on a repository that has no token yet; counted by the fake CRM, which also saw ${seen.search} searches.` });

    const calls = await interleave(rounds, {
      cached: () => callsPerMix(env, (inner) => withCache(withCircuitBreaker(inner), { labelsTtlMs: 300_000, staleIfErrorMs: 600_000 })),
      none: () => callsPerMix(env, (inner) => inner),
    });
    const callsRow = compare(`CRM calls per ${MIX_REQUESTS.toLocaleString('en-US')} Hybrid Chat requests, serve --crm defaults`, 'calls', { ours: calls.cached, baseline: calls.none }, 'no cache');
    callsRow.note = 'Each chat is GET /customer then GET /label; 500 chats in turn over 5 numbers in E.164 (3 contacts found at the first phone form, 1 near miss and 1 unknown number that try all 3 forms), 10 in flight; the token request is counted. Concurrent lookups of one number share a call (withCache).';
    rows.push(callsRow);
    return { suite: 'crm', title: 'CRM profile engine', rows, extra: { loadAverage: load, lookupsPerRound: LOOKUPS_PER_ROUND, samples } };

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
    await fake.stop();
  }
}

async function handToken(tokenUrl: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: zohoCredentials.clientId, client_secret: zohoCredentials.clientSecret, refresh_token: zohoCredentials.refreshToken });
  const response = await fetch(tokenUrl, { method: 'POST', body: form });
  return ((await response.json()) as { access_token: string }).access_token;
}

const spread = (samples: readonly number[], digits = 0) => `${Math.min(...samples).toFixed(digits)}–${Math.max(...samples).toFixed(digits)}`;
