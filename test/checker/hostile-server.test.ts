// A connector that quotes back everything it was sent: the checker must not print it.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../src/transport/exchange.js';
import {
  CheckOptionsError,
  ConnectorUnreachableError,
  formatGithubAnnotations,
  formatJsonReport,
  formatJunitReport,
  formatTextReport,
  verifyConnector,
  type CheckReport,
  type VerifyConnectorOptions,
} from '../../src/checker/index.js';
import { type Listening, listen } from '../support/listen.js';
import { fixtureCustomers, fixtureLabels, startFixture, TERMINAL_UNSAFE, terminalAttack, type Fixture } from './fixtures/connector.js';

// Each as the connector sees it once decoded; some are percent-encoded in the URLs.
const SECRETS = {
  password: 'SEC@PW1',
  labelsPassword: 'SECPW2',
  token: 'SEC+TOK1',
  bare: 'SECBARE1',
  labelsQuery: 'SECQ1',
  header: 'SECHDR1',
} as const;

let hostile: Listening;
let host: string;
let options: VerifyConnectorOptions;
let report: CheckReport;
beforeAll(async () => {
  hostile = await listen(createServer((req, res) => {
    const query = (req.url ?? '').split('?')[1] ?? '';
    const basic = (req.headers.authorization ?? '').replace(/^Basic /, '');
    const echo = [
      `query ${query}`,
      `decoded ${decodeURIComponent(query)}`,
      `authorization ${req.headers.authorization ?? ''}`,
      `basic ${Buffer.from(basic, 'base64').toString()}`,
      `x-key ${String(req.headers['x-key'])}`,
    ].join('; ');
    const status = req.url?.includes('email:x') === true ? 400 : req.url?.startsWith('/customer?SEC') === true ? 401 : 404;
    const body = JSON.stringify({ type: 'about:blank', title: echo, status, detail: echo });
    res.writeHead(status, { 'content-type': 'application/problem+json' }).end(body);
  }));
  host = new URL(hostile.origin).host;
  options = {
    // Forms the WHATWG parser accepts that a `scheme://` pattern misses.
    customerQueryUrl: ` http://hc:SEC%40PW1@${host}/customer?${SECRETS.bare}&token=SEC%2BTOK1&query=phone:{refId}`,
    labelsUrl: `http:\\\\hc:${SECRETS.labelsPassword}@${host}/label?query=${SECRETS.labelsQuery}#frag`,
    phones: ['1111'],
    headers: { 'x-key': ` ${SECRETS.header} ` },
    weights: { Gold: 8 },
  };
  report = await verifyConnector(options);
});
afterAll(() => hostile.close());

describe('a connector that echoes credentials in its problem details', () => {
  it('still reports what the connector answered, with the echoed credentials masked', () => {
    const customer = report.checks.find((check) => check.id === 'customer.status')!;
    expect(customer.status).toBe('fail');
    expect(customer.issues[0]?.message).toMatch(/^expected 200, answered 401 \(application\/problem\+json\): .*authorization Basic \*\*\*; basic \*\*\*; x-key \*\*\*$/);
    expect(report.checks.find((check) => check.id === 'customer.malformed-query-400')?.status).toBe('pass');
  });

  it.each([
    ['text', () => formatTextReport(report)],
    ['JSON', () => formatJsonReport(report)],
    ['JUnit', () => formatJunitReport(report)],
    ['GitHub annotations', () => formatGithubAnnotations(report)],
  ])('never shows a secret it echoed in the %s output, in any form', (_, format) => {
    const output = format();
    expect(output).toContain('query ***');
    for (const secret of Object.values(SECRETS)) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(`hc:${secret}`).toString('base64')]) expect(output).not.toContain(form);
    }
  });

  it('masks the labels URL query whatever its parameter is called, and the fragment', () => {
    expect(report.labelsUrl).toBe(`http://hc:***@${host}/label?query=***#***`);
    expect(report.customerQueryUrl).toBe(`http://hc:***@${host}/customer?***&token=***&query=phone:{refId}`);
  });

  it('shows the echo with showSecrets', async () => {
    const shown = formatJsonReport(await verifyConnector({ ...options, only: ['labels.status'], showSecrets: true }));
    expect(shown).toContain(SECRETS.labelsQuery);
    expect(shown).toContain(SECRETS.header);
  });
});

describe('network errors', () => {
  it('masks query values, decoded URLs and trimmed header values that an error quotes', async () => {
    const quoting = async (url: string) => {
      throw new TypeError(`fetch failed for ${new URL(url).search} (${decodeURIComponent(url)})`);
    };
    const error = await verifyConnector({ ...options, fetch: quoting }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorUnreachableError);
    const { message } = error as ConnectorUnreachableError;
    expect(message).toMatch(/^cannot reach the connector at http:\/\/hc:\*\*\*@.*fetch failed for \?query=\*\*\*/);
    for (const secret of Object.values(SECRETS)) expect(message).not.toContain(secret);
  });

  it("masks a header value undici quotes trimmed when it refuses it", async () => {
    const result = await exchange({ url: `http://${host}/label`, headers: { 'x-key': ` ${SECRETS.header}\u0000 ` }, timeoutMs: 2000 });
    expect(result.kind).toBe('network_error');
    const message = result.kind === 'network_error' ? result.message : '';
    expect(message).toMatch(/invalid header value/);
    expect(message).not.toContain(SECRETS.header);
  });
});

describe('redirects', () => {
  let target: Fixture;
  let redirecting: Listening;
  let origin: string;
  const seen: string[] = [];
  beforeAll(async () => {
    target = await startFixture({ alter: (reply, exchange) => (seen.push(exchange.url.pathname), reply) });
    redirecting = await listen(createServer((_, res) => res.writeHead(302, { location: `${target.labelsUrl}?to=elsewhere` }).end()));
    origin = redirecting.origin;
  });
  afterAll(async () => {
    await Promise.all([target.close(), redirecting.close()]);
  });

  it('answers with the 3xx and never sends the credentials on to another server', async () => {
    const result = await exchange({ url: `${origin}/label`, headers: { 'x-key': SECRETS.header }, timeoutMs: 2000 });
    expect(result.kind === 'response' && result.status).toBe(302);
    expect(seen).toEqual([]);
    const checked = await verifyConnector({ customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/label`, phones: ['1111'], only: ['labels.status'] });
    expect(checked.checks[0]?.detail).toMatch(/302/);
    expect(seen).toEqual([]);
  });
});

describe('a connector that writes escape sequences, C1 and bidi controls and line breaks', () => {
  let attacking: Fixture;
  let attacked: CheckReport;
  beforeAll(async () => {
    attacking = await startFixture(terminalAttack());
    attacked = await verifyConnector({ customerQueryUrl: attacking.customerQueryUrl, labelsUrl: attacking.labelsUrl, phones: ['1111'], weights: { Gold: 8 } });
  });
  afterAll(() => attacking.close());

  it('never reaches the text report or the annotations raw, and cannot fake the verdict line', () => {
    const text = formatTextReport(attacked);
    expect(text).not.toMatch(TERMINAL_UNSAFE);
    expect(text).toContain('\\u001b]0;owned\\u0007\\u001b[2J');
    expect(text).toContain('application/problem+json\\u009b2j');
    expect(text.split('\n').filter((line) => /^(OK|FAILED)\b/.test(line))).toEqual([expect.stringMatching(/^FAILED {2}15 checks/)]);
    const annotations = formatGithubAnnotations(attacked);
    expect(annotations).not.toMatch(TERMINAL_UNSAFE);
    expect(annotations.trimEnd().split('\n').every((line) => /^::(error|warning) title=/.test(line))).toBe(true);
  });

  it('keeps a problem detail quoted in a sentence on one line, so a detail\'s lines stay the checker\'s', () => {
    for (const check of attacked.checks.filter((c) => c.id !== 'priority')) expect(check.detail, check.id).not.toContain('\n');
    expect(attacked.priorities?.[0]?.reason).not.toContain('\n');
  });

  it('stays faithful and valid in JSON and JUnit', () => {
    const json = formatJsonReport(attacked);
    expect(JSON.parse(json)).toEqual(attacked);
    expect(json).toContain('\u202eevil\u2066\u2028\u2029');
    expect(formatJunitReport(attacked)).toContain('\u202eevil\u2066\u2028\u2029');
  });
});

describe('a connector that echoes every form of a credential', () => {
  const BEARER = 'S3CRETbearer1';
  const BASIC_PASSWORD = 'PASSW0RDb1';
  const TOKEN = 'SEC+TOK2 x';
  let echoing: Listening;
  let origin: string;
  beforeAll(async () => {
    // Whatever it was sent, in each form: the credential after the scheme, Basic decoded and
    // the password alone, each query value raw, decoded and encoded again.
    echoing = await listen(createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://echo');
      const [scheme = '', credential = ''] = (req.headers.authorization ?? '').split(' ');
      const decoded = scheme === 'Basic' ? Buffer.from(credential, 'base64').toString() : '';
      const raw = (req.url ?? '').split('?')[1]?.split('&').map((parameter) => parameter.split('=')[1] ?? '') ?? [];
      const values = [...raw.map(decodeURIComponent), ...[...url.searchParams.values()]];
      const forms = [credential, decoded, decoded.split(':')[1] ?? '', ...raw, ...values, ...values.map(encodeURIComponent)];
      const echoed = forms.filter((form) => form !== '' && !form.startsWith('phone'));
      if (req.method === 'POST') {
        res.writeHead(405, { 'content-type': `application/x-${credential || 'none'}`, allow: 'GET' }).end();
      } else if (url.pathname === '/label') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([]));
      } else if (url.searchParams.get('query')?.startsWith('phone:1111') === true) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...fixtureCustomers[0], labels: echoed }));
      } else {
        const detail = `bad credentials ${echoed.join(' | ')}`;
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail }));
      }
    }));
    origin = echoing.origin;
  });
  afterAll(() => echoing.close());

  const outputs = (report: CheckReport) => [formatTextReport(report), formatJsonReport(report), formatJunitReport(report), formatGithubAnnotations(report)];
  const run = (headers: Record<string, string>, query = '') =>
    verifyConnector({
      customerQueryUrl: `${origin}/customer?${query}query=phone:{refId}`,
      labelsUrl: `${origin}/label`,
      phones: ['1111'],
      headers,
      weights: { Gold: 8 },
    });

  it.each([
    ['a Bearer token', { authorization: `Bearer ${BEARER}` }, [BEARER]],
    ['a credential after any scheme', { authorization: `Token ${BEARER}` }, [BEARER]],
    ['Basic credentials, decoded and the password alone', { authorization: `Basic ${Buffer.from(`hc:${BASIC_PASSWORD}`).toString('base64')}` }, [`hc:${BASIC_PASSWORD}`, BASIC_PASSWORD]],
  ])('masks %s in every format', async (_, headers, secrets) => {
    const report = await run(headers);
    expect(report.checks.find((c) => c.id === 'customer.label-ids-exist')?.issues.length).toBeGreaterThan(0);
    for (const output of outputs(report)) {
      expect(output).toContain('***');
      for (const secret of secrets) {
        expect(output).not.toContain(secret);
        expect(output.toLowerCase()).not.toContain(secret.toLowerCase());
      }
    }
  });

  it('masks a query token raw, percent-encoded and decoded in every format', async () => {
    const report = await run({}, `tok=${encodeURIComponent(TOKEN).replace('%20', '+')}&`);
    for (const output of outputs(report)) {
      for (const form of [TOKEN, encodeURIComponent(TOKEN), 'SEC%2BTOK2+x', 'SEC+TOK2+x', 'SEC%2BTOK2%2Bx']) expect(output).not.toContain(form);
    }
  });
});

describe('a connector that tries to exhaust the checker\'s memory', () => {
  let huge: Listening;
  let origin: string;
  let streamed = 0;
  beforeAll(async () => {
    huge = await listen(createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://huge');
      if (url.pathname === '/endless') {
        // 64 KiB chunks for as long as the checker reads: it must stop at its limit.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const write = () => {
          while (!res.destroyed && res.write(chunk)) streamed += chunk.length;
          if (!res.destroyed) res.once('drain', write);
        };
        res.write('[');
        write();
        res.on('close', () => undefined);
      } else if (url.pathname === '/trickle') {
        // Headers at once, then the body byte by byte, never finished.
        res.writeHead(200, { 'content-type': 'application/json' }).write('[');
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
      } else if (url.pathname === '/crowded') {
        // A customer whose labels are 200,000 objects, or 120,000 different ids the label list lacks.
        const unknown = url.searchParams.get('ids') === 'unknown';
        const ids = Array.from({ length: unknown ? 120_000 : 200_000 }, (_, i) => (unknown ? `"${i.toString(36)}"` : '{}'));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...fixtureCustomers[0], labels: [] }).replace('"labels":[]', `"labels":[${ids.join(',')}]`));
      } else if (url.pathname === '/empties') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(`[${Array.from({ length: Number(url.searchParams.get('n')) }, () => '{}').join(',')}]`);
      } else if (url.pathname === '/wordy') {
        // A 404 problem whose detail is 900 KB: quoted whole for each phone, the report would grow with them.
        const detail = `${'no such customer, '.repeat(50_000)}end`;
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail }));
      } else if (url.pathname === '/labels-ok') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fixtureLabels));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...fixtureCustomers[0], labels: [] }));
      }
    }));
    origin = huge.origin;
  });
  afterAll(() => huge.close());

  const only = ['labels.status', 'labels.schema'] as const;

  it('reports a body above the limit as the connector\'s failure, not as unreachable, and stops reading', async () => {
    const report = await verifyConnector({ customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/endless`, phones: ['1111'], only: [...only] });
    const status = report.checks.find((c) => c.id === 'labels.status')!;
    expect(status.status).toBe('fail');
    expect(status.detail).toBe('the label list is larger than 1 MiB');
    expect(report.checks.find((c) => c.id === 'labels.schema')?.status).toBe('skip');
    expect(streamed).toBeLessThan(64 * 1024 * 1024);
  });

  it('takes a larger limit when given one', async () => {
    const report = await verifyConnector({
      customerQueryUrl: `${origin}/customer?query=phone:{refId}`,
      labelsUrl: `${origin}/empties?n=400000`,
      phones: ['1111'],
      only: ['labels.status'],
      maxBodyBytes: 2 * 1024 * 1024,
    });
    expect(report.checks[0]?.status).toBe('pass');
    const small = await verifyConnector({ customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/empties?n=400`, phones: ['1111'], only: ['labels.status'], maxBodyBytes: 1000 });
    expect(small.checks[0]?.detail).toBe('the label list is larger than 1000 bytes');
  });

  it.each([
    ['200,000 label objects', 'objects', 200_000],
    ['120,000 unknown label ids', 'unknown', 120_000],
  ])('keeps a customer with %s to a report of bounded size', async (_, ids, total) => {
    const report = await verifyConnector({
      customerQueryUrl: `${origin}/crowded?ids=${ids}&query=phone:{refId}`,
      labelsUrl: `${origin}/labels-ok`,
      phones: ['1111'],
      weights: { Gold: 8 },
      only: ['customer.schema', 'customer.label-ids-exist', 'priority'],
    });
    const check = report.checks.find((c) => c.id === 'customer.label-ids-exist')!;
    expect(check.detail).toBe(`${total} label ids not in the label list or not a string`);
    expect(check.issues).toHaveLength(50);
    expect(check.omittedIssues).toBe(total - 50);
    expect(formatTextReport(report)).toContain(`… and ${(total - 20).toLocaleString('en-US')} more`);
    if (ids === 'objects') expect(report.checks.find((c) => c.id === 'customer.schema')?.omittedIssues).toBe(199_950);
    expect(report.priorities?.[0]?.reason.length).toBeLessThan(1000);
    expect(formatJsonReport(report).length).toBeLessThan(100_000);
  });

  it('keeps a problem detail to 500 characters, however many phones quote it', async () => {
    const phones = Array.from({ length: 20 }, (_, i) => String(1111 + i));
    const report = await verifyConnector({ customerQueryUrl: `${origin}/wordy?query=phone:{refId}`, labelsUrl: `${origin}/labels-ok`, phones, weights: { Gold: 8 } });
    const status = report.checks.find((c) => c.id === 'customer.status')!;
    expect(status.issues).toHaveLength(20);
    expect(status.issues[0]!.message).toMatch(/^expected 200, answered 404 \(application\/problem\+json\): no such customer, .{400,}…; the checker needs/);
    expect(status.issues[0]!.message.length).toBeLessThan(700);
    expect(formatJsonReport(report).length).toBeLessThan(100_000);
  });

  it('bounds the time spent reading a body with the timeout', async () => {
    // 1 s: the trickle never ends, and the customer request must answer within it on a loaded machine too.
    const report = await verifyConnector({ customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/trickle`, phones: ['1111'], only: [...only], timeoutMs: 1000 });
    expect(report.checks.find((c) => c.id === 'labels.status')?.detail).toBe('expected 200, no answer within 1000 ms');
  });

  it('refuses a limit that is not a positive integer before sending anything', async () => {
    const options = { customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/endless`, phones: ['1111'] };
    await expect(verifyConnector({ ...options, maxBodyBytes: 0 })).rejects.toThrow(CheckOptionsError);
    await expect(verifyConnector({ ...options, maxBodyBytes: 1.5 })).rejects.toThrow('maxBodyBytes must be a positive integer number of bytes, got 1.5');
  });

  it('keeps a bounded number of issues per check and says how many more there are', async () => {
    const report = await verifyConnector({ customerQueryUrl: `${origin}/customer?query=phone:{refId}`, labelsUrl: `${origin}/empties?n=20000`, phones: ['1111'], only: [...only] });
    const schema = report.checks.find((c) => c.id === 'labels.schema')!;
    expect(schema.status).toBe('fail');
    expect(schema.issues).toHaveLength(50);
    expect(schema.omittedIssues).toBe(20000 * 8 - 50);
    expect(schema.detail).toBe('160000 violations of the contract (strict)');
    expect(formatTextReport(report)).toContain('… and 159,980 more');
    expect(formatGithubAnnotations(report)).toContain('… and 159,990 more');
    expect(formatJunitReport(report)).toContain('… and 159,950 more');
  });
});
