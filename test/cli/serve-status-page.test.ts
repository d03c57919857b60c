import { afterEach, describe, expect, it } from 'vitest';
import { StatusStats } from '../../src/cli/serve/status-page-stats.js';
import { HTML_ATTACKS } from '../checker/fixtures/html-attack.js';
import { spawnServe, startJsonServe, stopServes } from '../support/serve-process.js';

afterEach(stopServes);

const STATUS_PAGE_FIXTURE = new URL('../support/status-page-fixture.ts', import.meta.url).pathname;
const TOKEN = 'status-token-7781';
const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

describe('serve --status-page: refused where anyone could read it', () => {
  it('exits 2 at start on a non-loopback address without credentials, naming the option', async () => {
    const run = spawnServe(['--status-page', '--host', '0.0.0.0', '--port', '0', '--print-config']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('--status-page on 0.0.0.0 needs credentials');
    const withToken = spawnServe(['--status-page', '--host', '0.0.0.0', '--port', '0', '--print-config'], { env: { PRC_TOKEN: TOKEN } });
    expect(await withToken.exit).toBe(0);
    expect(withToken.stdout()).toContain('"statusPage": true');
  });

  it('is not served without the flag', async () => {
    const { origin } = await startJsonServe(['--port', '0']);
    expect((await fetch(`${origin}/status`)).status).toBe(404);
  });
});

describe('serve GET /status', () => {
  it('needs the connector\'s credentials: a token in the address, or Basic with the browser\'s prompt', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--status-page'], { env: { PRC_TOKEN: TOKEN, PRC_BASIC_AUTH: 'ops:pa55word' } });
    const refused = await fetch(`${origin}/status`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${origin}/status?token=wrong`)).status).toBe(401);
    expect((await fetch(`${origin}/status?token=${TOKEN}`)).status).toBe(200);
    expect((await fetch(`${origin}/status`, { headers: { authorization: basic('ops:pa55word') } })).status).toBe(200);
    expect((await fetch(`${origin}/status`, { headers: { authorization: basic('ops:wrong') } })).status).toBe(401);
  });

  it('is HTML without script under a CSP header and meta, with version, readiness and the values for Hybrid Chat masked', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--status-page', '--labels-ttl', '60000'], { env: { PRC_TOKEN: TOKEN } });
    const response = await fetch(`${origin}/status?token=${TOKEN}`);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:;.*form-action 'self'/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<dt>Version<\/dt><dd>\d+\.\d+\.\d+/);
    expect(html).toContain('✔</span> ready');
    expect(html).toContain('/customer?token=********&amp;query=phone:{refId}');
    expect(html).toContain('<dt>Cache hit ratio</dt><dd>labels no lookups yet, customers no lookups yet</dd>');
    // Before any connector request: no "Last 0 requests".
    expect(html).toContain('<h2>Last requests</h2><p class="muted">No connector request yet.</p>');
    // The form keeps the token it was opened with, so that a look-up authenticates too.
    expect(html).toContain(`<input type="hidden" name="token" value="${TOKEN}">`);
  });

  it('counts requests per minute by status and lists the last ones with masked phones and, for a 404, the keys tried', async () => {
    const { origin } = await startJsonServe(['--port', '0', '--status-page', '--default-country', 'PK', '--labels-ttl', '60000']);
    await fetch(`${origin}/label`);
    await fetch(`${origin}/label`);
    await fetch(`${origin}/customer?query=phone:1111`);
    await fetch(`${origin}/customer?query=phone:03009876543`);
    await fetch(`${origin}/customer?query=email:x`);
    const html = await (await fetch(`${origin}/status`)).text();
    expect(html).toContain('Requests per minute by status over the last hour (UTC): 5 in all');
    expect(html).toMatch(/<title>\d\d:\d\d UTC: 3 × 2xx<\/title>/);
    expect(html).toMatch(/<title>\d\d:\d\d UTC: 2 × 4xx<\/title>/);
    expect(html).toContain('<h2>Last 5 requests</h2>');
    expect(html).toContain('<code>03*****6543</code><br><small class="muted">keys tried: <code>92******6543</code>');
    expect(html).not.toContain('3009876543');
    expect(html).toContain('<dt>Cache hit ratio</dt><dd>labels 50.0 %, customers 0.0 %</dd>');
  });

  it('tries a number: its keys, the customer, their labels as chips; the repository\'s strings as text, bad colours as text', async () => {
    const run = spawnServe(['--log-format', 'json', '--port', '0', '--status-page'], { entry: STATUS_PAGE_FIXTURE });
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /"url":"(http:[^"]+)"/.exec(run.stdout());
        if (match) {
          clearInterval(timer);
          resolve(match[1]!);
        } else if (run.child.exitCode !== null) reject(new Error(run.stderr()));
      }, 20);
    });
    const html = await (await fetch(`${origin}/status?phone=1111`)).text();
    expect(html).toContain('<dt>Becomes the keys</dt><dd><code>1111</code></dd>');
    expect(html).toContain(`customer <code>${escaped(HTML_ATTACKS[1]!)}</code>`);
    expect(html).toContain('style="background-color:#3cb44b;color:#000000"');
    expect(html).toContain('style="background-color:#101010;color:#ffffff"');
    expect(html).toContain('is not #RRGGBB');
    expect(html).toContain(`${escaped(HTML_ATTACKS[0]!)} <small>not in the label list</small>`);
    expect(html).toContain(`hostile repository ${escaped(HTML_ATTACKS[2]!)}`);
    for (const attack of HTML_ATTACKS) expect(html).not.toContain(attack);
    const missing = await (await fetch(`${origin}/status?phone=2222`)).text();
    expect(missing).toContain('no customer</span> no customer has any of these keys');
    const invalid = await (await fetch(`${origin}/status?phone=${encodeURIComponent('<b>')}`)).text();
    expect(invalid).toContain('&lt;b&gt;');
    expect(invalid).toContain('not a number the connector accepts');
    // Not decodable, or given twice: said as the API says it of query, what was sent shown escaped.
    const undecodable = await (await fetch(`${origin}/status?phone=%FF%3Cscript%3E`)).text();
    expect(undecodable).toContain('the phone parameter is not valid percent-encoded UTF-8');
    expect(undecodable).toContain('<dt>Number</dt><dd><code>\uFFFD&lt;script&gt;</code></dd>');
    expect(undecodable).not.toContain('<script>');
    const twice = await (await fetch(`${origin}/status?phone=1111&phone=2222`)).text();
    expect(twice).toContain('the phone parameter must appear once');
  });
});

describe('the status page\'s counters', () => {
  it('stay bounded: 60 minute buckets and the last 50 requests, however long and busy the run', () => {
    let now = Date.UTC(2026, 0, 1);
    const stats = new StatusStats({ now: () => now });
    for (let minute = 0; minute < 500; minute += 1) {
      for (let request = 0; request < 40; request += 1) stats.record({ method: 'GET', route: 'label', status: request % 10 === 0 ? 503 : 200, durationMs: 1 }, '');
      now += 60_000;
    }
    now -= 60_000;
    const minutes = stats.minutes();
    expect(minutes).toHaveLength(60);
    expect(minutes.every((bucket) => bucket.counts['2xx'] === 36 && bucket.counts['5xx'] === 4)).toBe(true);
    expect(stats.recent()).toHaveLength(50);
    // Quiet minutes are zeros, in place.
    now += 5 * 60_000;
    expect(stats.minutes().slice(-5).every((bucket) => bucket.counts['2xx'] === 0)).toBe(true);
  });
});
