import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementIssues } from '../../src/transport/bounded-validate.js';
import { exchange } from '../../src/transport/exchange.js';
import { LabelSchema } from '../../src/contract/index.js';
import { createConnectorClient } from '../../src/client/client.js';
import { customer, fixtureCustomers, problem, startFixture, type Exchange, type Fixture } from '../checker/fixtures/connector.js';

let fixture: Fixture;
const seen: Exchange[] = [];
beforeAll(async () => {
  fixture = await startFixture({
    customers: [...fixtureCustomers, customer('C-bad', '7777', ['L-gold'], { createdAt: 'yesterday' }), customer('C-lean', '8888', [], { first_name: undefined })],
    alter: (reply, ex) => {
      seen.push(ex);
      const phone = ex.url.searchParams.get('query');
      if (phone === 'phone:5000') return problem(500, 'Internal Server Error', 'The CRM lookup failed.');
      if (phone === 'phone:6000') return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' };
      if (phone === 'phone:9000') return { ...reply, delayMs: 2000 };
      return reply;
    },
  });
});
afterAll(() => fixture.close());

const client = () => createConnectorClient({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl });

describe('createConnectorClient', () => {
  it('puts the phone into the template unencoded, as Hybrid Chat does', async () => {
    const result = await client().lookupCustomer('+923001234567');
    expect(seen.at(-1)?.rawQuery).toBe('query=phone:+923001234567');
    expect(result).toMatchObject({ ok: true, kind: 'found', customer: { _id: 'C-2' }, response: { status: 200, contentType: 'application/json' } });
  });

  it('returns the customer with exactly the contract fields in strict mode', async () => {
    const result = await client().lookupCustomer('1111');
    if (result.kind !== 'found') throw new Error(result.kind);
    expect(Object.keys(result.customer).sort()).toEqual(Object.keys(fixtureCustomers[0]!).sort());
  });

  it('tells not found, contract violation, HTTP error, network error and timeout apart', async () => {
    const c = client();
    expect(await c.lookupCustomer('4040')).toMatchObject({ ok: false, kind: 'not_found', problem: { status: 404, title: 'Not Found' } });
    expect(await c.lookupCustomer('7777')).toMatchObject({
      ok: false,
      kind: 'contract_violation',
      issues: [{ path: '$.createdAt', message: expect.stringContaining('"yesterday"') }],
      body: expect.objectContaining({ _id: 'C-bad' }),
    });
    expect(await c.lookupCustomer('6000')).toMatchObject({ kind: 'contract_violation', issues: [{ path: '$', code: 'invalid_json' }], body: '<html>oops</html>' });
    expect(await c.lookupCustomer('5000')).toMatchObject({ ok: false, kind: 'http_error', status: 500, problem: { detail: 'The CRM lookup failed.' } });
    const slow = createConnectorClient({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, timeoutMs: 200 });
    expect(await slow.lookupCustomer('9000')).toMatchObject({ ok: false, kind: 'timeout', timeoutMs: 200 });
    const closed = createConnectorClient({ customerQueryUrl: 'http://127.0.0.1:9/customer?query=phone:{refId}', labelsUrl: 'http://127.0.0.1:9/label' });
    expect(await closed.listLabels()).toMatchObject({ ok: false, kind: 'network_error', message: expect.any(String) });
  });

  it('reads only what routing needs in lenient mode', async () => {
    const lenient = createConnectorClient({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, mode: 'lenient' });
    expect(await lenient.lookupCustomer('7777')).toMatchObject({ ok: true, customer: { _id: 'C-bad', createdAt: 'yesterday' } });
    expect(await client().lookupCustomer('8888')).toMatchObject({ kind: 'contract_violation', issues: [{ path: '$.first_name' }] });
  });

  it('lists labels and resolves the priority end to end', async () => {
    const c = client();
    expect(await c.listLabels()).toMatchObject({ ok: true, kind: 'found', labels: [{ name: 'Gold' }, { name: 'Silver' }, { name: 'Vip' }] });
    const found = await c.lookupPriority('+923001234567', { Gold: 8, Vip: 10 });
    expect(found).toMatchObject({ priority: 10, matched: [{ name: 'Vip', weight: 10 }], ignored: [{ reason: 'unweighted_name', name: 'Silver' }] });
    const missing = await c.lookupPriority('4040', { Gold: 8 });
    expect(missing).toMatchObject({ priority: 1, matched: [], customer: { kind: 'not_found' }, labels: undefined });
  });

  it('sends the given headers and uses the injected fetch', async () => {
    const calls: Array<[string, RequestInit]> = [];
    const c = createConnectorClient({
      customerQueryUrl: 'http://crm.test/customer?token=t&query=phone:{refId}&x=1',
      labelsUrl: 'http://crm.test/label',
      headers: { authorization: 'Bearer abc' },
      fetch: async (url, init) => {
        calls.push([url, init]);
        return Response.json(fixtureCustomers[0]);
      },
    });
    expect(await c.lookupCustomer('+1 555')).toMatchObject({ kind: 'found' });
    expect(calls[0]![0]).toBe('http://crm.test/customer?token=t&query=phone:+1%20555&x=1');
    expect(new Headers(calls[0]![1].headers).get('authorization')).toBe('Bearer abc');
  });

  it('rejects only when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = client().lookupCustomer('9000', { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('refuses a template without {refId}', () => {
    expect(() => createConnectorClient({ customerQueryUrl: 'http://h/customer?query=phone:', labelsUrl: 'http://h/label' })).toThrow(/\{refId\}/);
  });

  it.each([
    [{ customerQueryUrl: 'crm.example/cim/customer?query=phone:{refId}' }, /^customerQueryUrl must be an absolute http\(s\) URL/],
    [{ labelsUrl: 'nope' }, /^labelsUrl must be an absolute http\(s\) URL/],
    [{ labelsUrl: 'ftp://crm.example/label' }, /^labelsUrl must be an absolute http\(s\) URL/],
  ])('throws a TypeError naming the option for a URL it cannot send to: %j', (bad, message) => {
    const options = { customerQueryUrl: 'http://crm.example/customer?query=phone:{refId}', labelsUrl: 'http://crm.example/label', ...bad };
    expect(() => createConnectorClient(options)).toThrow(TypeError);
    expect(() => createConnectorClient(options)).toThrow(message);
  });

  it('sends user info in the URL as Basic credentials, percent-decoded, and never puts them in a message', async () => {
    const basic = await startFixture({ basic: 'hc:p@ss wörd' });
    try {
      const withUser = (url: string) => url.replace('http://', 'http://hc:p%40ss%20w%C3%B6rd@');
      const c = createConnectorClient({ customerQueryUrl: withUser(basic.customerQueryUrl), labelsUrl: withUser(basic.labelsUrl) });
      const labels = await c.listLabels();
      expect(labels).toMatchObject({ ok: true, kind: 'found' });
      expect(labels.ok && labels.response.url).toBe(basic.labelsUrl);
      expect(await c.lookupCustomer('1111')).toMatchObject({ kind: 'found' });
      const wrong = createConnectorClient({ customerQueryUrl: basic.customerQueryUrl, labelsUrl: basic.labelsUrl.replace('http://', 'http://hc:nope@') });
      expect(await wrong.listLabels()).toMatchObject({ kind: 'http_error', status: 401 });
    } finally {
      await basic.close();
    }
  });

  it('lets an explicit Authorization header win over user info in the URL', async () => {
    const bearer = await startFixture({ bearer: 'tok' });
    try {
      const c = createConnectorClient({
        customerQueryUrl: bearer.customerQueryUrl,
        labelsUrl: bearer.labelsUrl.replace('http://', 'http://hc:secret@'),
        headers: { Authorization: 'Bearer tok' },
      });
      expect(await c.listLabels()).toMatchObject({ ok: true, kind: 'found' });
    } finally {
      await bearer.close();
    }
  });

  it('keeps credentials and query tokens out of network error messages', async () => {
    const c = createConnectorClient({
      customerQueryUrl: 'http://hc:PASSWORD1@crm.test/customer?token=TOKEN1&query=phone:{refId}',
      labelsUrl: 'http://hc:PASSWORD1@crm.test/label?token=TOKEN1',
      headers: { 'x-api-key': 'HEADERKEY1' },
      // Quotes everything it was given, as some fetch errors quote the URL.
      fetch: async (url, init) => {
        throw new TypeError('fetch failed', { cause: new Error(`cannot send ${url} with ${JSON.stringify(init.headers)}`) });
      },
    });
    for (const result of [await c.listLabels(), await c.lookupCustomer('1111')]) {
      if (result.kind !== 'network_error') throw new Error(result.kind);
      expect(result.message).toContain('cannot send http://crm.test/');
      expect(result.message).toContain('token=***');
      for (const secret of ['PASSWORD1', 'TOKEN1', 'HEADERKEY1', btoa('hc:PASSWORD1')]) expect(result.message).not.toContain(secret);
    }
  });
});

describe('a connector that echoes the credentials it was sent', () => {
  const TOKEN = 'KEYsecret1';
  const BEARER = 'CLIENTtok1';
  let echo: Fixture;
  beforeAll(async () => {
    const bearer = (ex: Exchange) => ex.url.searchParams.get('key') ?? '';
    echo = await startFixture({
      alter: (reply, ex) =>
        ex.route === 'label'
          ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ _id: 'L-1', name: 'Gold', color_code: `${bearer(ex)} ${BEARER}` }]) }
          : problem(401, `Unauthorized ${BEARER}`, `key ${bearer(ex)} or Bearer ${BEARER} is wrong`),
    });
  });
  afterAll(() => echo.close());
  const secured = (showSecrets?: boolean) =>
    createConnectorClient({
      customerQueryUrl: `${echo.origin}/customer?key=${TOKEN}&query=phone:{refId}`,
      labelsUrl: `${echo.origin}/label?key=${TOKEN}`,
      headers: { authorization: `Bearer ${BEARER}` },
      ...(showSecrets === undefined ? {} : { showSecrets }),
    });

  it('masks the credentials in the url, the problem and the issues of its results', async () => {
    const client = secured();
    const customer = await client.lookupCustomer('1111');
    expect(customer).toMatchObject({ kind: 'http_error', status: 401, problem: { title: 'Unauthorized ***', detail: 'key *** or *** is wrong' } });
    expect(customer.kind === 'http_error' && customer.response.url).toBe(`${echo.origin}/customer?key=***&query=phone:1111`);
    const labels = await client.listLabels();
    if (labels.kind !== 'contract_violation') throw new Error(labels.kind);
    expect(labels.response.url).toBe(`${echo.origin}/label?key=***`);
    expect(labels.issues.map((issue) => issue.message).join('\n')).toContain('"*** ***"');
    const priority = await client.lookupPriority('1111', { Gold: 8 });
    for (const shown of [JSON.stringify(customer), JSON.stringify(labels.issues), JSON.stringify(priority.customer)]) {
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain(BEARER);
    }
  });

  it('masks the url of a network error and a timeout', async () => {
    const gone = await startFixture({});
    await gone.close();
    const client = createConnectorClient({ customerQueryUrl: `${gone.origin}/customer?key=${TOKEN}&query=phone:{refId}`, labelsUrl: `${gone.origin}/label?key=${TOKEN}` });
    expect(await client.listLabels()).toMatchObject({ kind: 'network_error', url: `${gone.origin}/label?key=***` });
  });

  it('shows everything when the caller asks for secrets', async () => {
    const customer = await secured(true).lookupCustomer('1111');
    expect(customer).toMatchObject({ kind: 'http_error', problem: { detail: `key ${TOKEN} or Bearer ${BEARER} is wrong` } });
    expect(customer.kind === 'http_error' && customer.response.url).toBe(`${echo.origin}/customer?key=${TOKEN}&query=phone:1111`);
  });
});

describe('a connector that sends too much', () => {
  let big: Fixture;
  beforeAll(async () => {
    big = await startFixture({
      alter: (reply, ex) => {
        const empties = (n: number) => Array.from({ length: n }, () => ({}));
        if (ex.route === 'label') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(empties(Number(ex.url.searchParams.get('n')))) };
        if (ex.found !== undefined) return { ...reply, body: JSON.stringify({ ...ex.found, labels: empties(20_000) }) };
        return reply;
      },
    });
  });
  afterAll(() => big.close());
  const sized = (n: number, maxBodyBytes?: number) =>
    createConnectorClient({ customerQueryUrl: big.customerQueryUrl, labelsUrl: `${big.labelsUrl}?n=${n}`, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) });

  it('reads no body above maxBodyBytes (1 MiB by default) and says so as a contract violation', async () => {
    expect(await sized(400_000).listLabels()).toMatchObject({
      kind: 'contract_violation',
      issues: [{ path: '$', code: 'too_big', message: 'the label list is larger than 1 MiB' }],
      body: '',
    });
    expect(await sized(1000, 4000).listLabels()).toMatchObject({ kind: 'contract_violation', issues: expect.arrayContaining([expect.objectContaining({ path: '$[0]._id' })]) });
    expect(await sized(10, 16).listLabels()).toMatchObject({ issues: [{ message: 'the label list is larger than 16 bytes' }] });
    expect(() => sized(10, 0)).toThrow('maxBodyBytes must be a positive integer number of bytes, got 0');
  });

  it('keeps the first 50 issues of a huge list and counts the others', async () => {
    const result = await sized(20_000).listLabels();
    if (result.kind !== 'contract_violation') throw new Error(result.kind);
    expect(result.issues).toHaveLength(50);
    expect(result.issues[0]).toMatchObject({ path: '$[0]._id' });
    expect(result.omittedIssues).toBe(20_000 * 8 - 50);
    const crowded = await sized(1).lookupCustomer('1111');
    if (crowded.kind !== 'contract_violation') throw new Error(crowded.kind);
    expect(crowded.issues).toHaveLength(50);
    expect(crowded.issues[0]).toMatchObject({ path: '$.labels[0]', message: expect.stringMatching(/^expected a string/) });
    expect(crowded.omittedIssues).toBe(20_000 - 50);
  });
});

describe('elementIssues', () => {
  it('stops judging at the deadline and says where', () => {
    const list = Array.from({ length: 3000 }, () => ({}));
    expect(elementIssues(list, LabelSchema, { max: 50, deadline: performance.now() - 1 })).toEqual({ issues: [], omitted: 0, stoppedAt: 0 });
    const all = elementIssues(list, LabelSchema, { max: 5 });
    expect(all).toMatchObject({ omitted: 3000 * 8 - 5, stoppedAt: undefined });
    expect(all.issues.map((issue) => issue.path)).toEqual(['$[0]._id', '$[0].name', '$[0].color_code', '$[0].created_by', '$[0].updated_by']);
  });
});

describe('exchange', () => {
  it('resolves a URL it cannot parse to a network error instead of rejecting', async () => {
    const result = await exchange({ url: 'http://[::1/label?token=TOKEN2', timeoutMs: 1000 });
    expect(result).toMatchObject({ kind: 'network_error', method: 'GET' });
    expect(result.kind === 'network_error' && result.message).not.toContain('TOKEN2');
  });
});
