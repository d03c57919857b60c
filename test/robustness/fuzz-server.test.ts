import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerSchema, LabelListSchema, ProblemSchema, problemTypes, sampleCustomer, sampleLabels } from '../../src/index.js';
import { startReferenceServer, type ReferenceServer } from '../../src/reference/server.js';
import { anyAuth, basicAuth, queryTokenAuth } from '../../src/core/auth.js';
import { seeded } from './arbitraries.js';
import { type RawRequest, type RawResponse, sendRaw } from '../support/raw-http.js';
import { fuzzRequest, nodeMayRefuse } from './requests.js';

/** Requests sent at once per property run: 250 runs × 8 = 2,000 requests. */
const BATCH = 8;
const RUNS = 250;

let server: ReferenceServer;
/** The same data behind a base path and credentials: the paths a vendor's mount really takes. */
let guarded: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer({ port: 0 });
  guarded = await startReferenceServer({
    port: 0,
    basePath: '/cim',
    authenticate: anyAuth(queryTokenAuth({ token: 'x' }), basicAuth({ username: 'u', password: 'p' })),
  });
});
afterAll(() => Promise.all([server.close(), guarded.close()]));

const PARSER_REFUSALS: readonly string[] = [problemTypes.badRequest, problemTypes.headersTooLarge];

/**
 * Node's own refusal, before the connector runs (its parser, or the missing-Host check), which
 * the server answers with a problem+json 400 or 431 and `Connection: close`.
 */
function isNodeRefusal(response: RawResponse): boolean {
  if (response.status !== 400 && response.status !== 431) return false;
  const problem = ProblemSchema.safeParse(JSON.parse(response.body || 'null'));
  return problem.success && PARSER_REFUSALS.includes(problem.data.type) && response.headers.connection === 'close';
}

/** Everything a user may rely on for one fuzzed request, as one list of broken promises. */
function judge(request: RawRequest, response: RawResponse | null): string[] {
  if (response === null) return nodeMayRefuse(request) ? [] : ['closed without an answer'];
  const { status, headers, body } = response;
  if (status >= 500) return [`answered ${status}`];
  if (isNodeRefusal(response)) return nodeMayRefuse(request) ? [] : [`Node refused a well-formed request with ${status}`];
  const head = request.method === 'HEAD';
  if (status === 304) return [];
  if (status >= 200 && status < 300) {
    if (head) return body === '' ? [] : ['HEAD with a body'];
    const data: unknown = JSON.parse(body);
    const schema = Array.isArray(data) ? LabelListSchema : CustomerSchema;
    return schema.safeParse(data).success ? [] : ['a 2xx body that breaks the contract'];
  }
  if (headers['content-type'] !== 'application/problem+json; charset=utf-8') return [`${status} with content type ${headers['content-type']}`];
  if (head) return body === '' ? [] : ['HEAD with a body'];
  const problem = ProblemSchema.safeParse(JSON.parse(body));
  if (!problem.success) return [`${status} with a body that is no problem: ${body.slice(0, 200)}`];
  const problems: string[] = [];
  if (problem.data.status !== status) problems.push(`problem status ${problem.data.status} on a ${status}`);
  if (/\bat .+:\d+:\d+|Error:|node:internal/.test(body)) problems.push('a stack trace or exception in the body');
  return problems;
}

const shorten = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text);
const describeRequest = (request: RawRequest) =>
  JSON.stringify({ method: request.method, target: shorten(request.target), headers: request.headers.map(([name, value]) => [name, shorten(value)]) });

describe('the reference server under fuzzed requests', () => {
  it('never answers 5xx, answers every error with problem+json, and still serves the seed request', async () => {
    const counts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), async (requests) => {
        const responses = await Promise.all(requests.map((request) => sendRaw(server.port, request)));
        requests.forEach((request, index) => {
          const response = responses[index] ?? null;
          const key = response === null ? 'closed' : isNodeRefusal(response) ? `node ${response.status}` : String(response.status);
          counts.set(key, (counts.get(key) ?? 0) + 1);
          expect(judge(request, response), describeRequest(request)).toEqual([]);
        });
      }),
      seeded(RUNS),
    );

    // The fuzzing reached the connector's own answers, not only Node's refusals.
    for (const status of ['200', '400', '404', '405']) expect(counts.get(status), `no ${status} among ${JSON.stringify([...counts])}`).toBeGreaterThan(10);

    const customer = await fetch(server.customerQueryUrl.replace('{refId}', '1111'));
    expect(customer.status).toBe(200);
    expect(await customer.json()).toStrictEqual(sampleCustomer);
    const labels = await fetch(server.labelsUrl);
    expect(await labels.json()).toStrictEqual(sampleLabels);
  });

  it('behind a base path and credentials: no 5xx, every refusal problem+json, and 401 for what lacks them', async () => {
    const counts = new Map<string, number>();
    // Most generated paths move under /cim; `token=x` and a valid Basic header appear at random too.
    const underCim = fuzzRequest.chain((request) =>
      fc.record({ prefixed: fc.boolean(), credentials: fc.constantFrom(null, 'Basic dTpw', 'Basic dTpx') }).map(({ prefixed, credentials }) => ({
        ...request,
        target: prefixed && request.target.startsWith('/') ? `/cim${request.target}` : request.target,
        headers: credentials === null ? request.headers : [...request.headers, ['Authorization', credentials] as [string, string]],
      })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(underCim, { minLength: BATCH, maxLength: BATCH }), async (requests) => {
        const responses = await Promise.all(requests.map((request) => sendRaw(guarded.port, request)));
        requests.forEach((request, index) => {
          const response = responses[index] ?? null;
          if (response !== null && !isNodeRefusal(response)) counts.set(String(response.status), (counts.get(String(response.status)) ?? 0) + 1);
          expect(judge(request, response), describeRequest(request)).toEqual([]);
        });
      }),
      seeded(RUNS / 2),
    );
    for (const status of ['200', '401', '404']) expect(counts.get(status), `no ${status} among ${JSON.stringify([...counts])}`).toBeGreaterThan(5);
    const seed = await fetch(`${guarded.customerQueryUrl.replace('{refId}', '1111')}&token=x`);
    expect(await seed.json()).toStrictEqual(sampleCustomer);
  });

  it.each([
    ['a request line of 20 KiB', `GET /customer?query=phone:${'1'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['a header of 20 KiB', `GET /label HTTP/1.1\r\nHost: x\r\nX-Big: ${'v'.repeat(20_000)}\r\n\r\n`, 431],
    ['a control character in the target', 'GET /customer?query=phone:1\u0001 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a method Node does not know', 'BREW /customer?query=phone:1111 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['no Host header', 'GET /customer?query=phone:1111 HTTP/1.1\r\n\r\n', 400],
  ])('answers %s, which Node refuses before the connector runs, with problem+json and Connection: close', async (_name, raw, status) => {
    const response = await sendRaw(server.port, Buffer.from(raw, 'latin1'));
    expect(response).toMatchObject({ status, headers: { 'content-type': 'application/problem+json; charset=utf-8', connection: 'close' } });
    expect(response !== null && isNodeRefusal(response)).toBe(true);
    expect((await fetch(server.labelsUrl)).status).toBe(200);
  });

  it.each([
    ['invalid percent-encoding', '/customer?query=phone:%E0%A4%A', 400],
    ['an encoded NUL', '/customer?query=phone:1%00', 400],
    ['the query twice', '/customer?query=phone:1111&query=phone:2222', 400],
    ['a 60-character number', `/customer?query=phone:${'1'.repeat(65)}`, 400],
    ['a path that only decodes to a route', '/%63ustomer?query=phone:1111', 404],
  ])('answers %s with a problem from the connector itself', async (_name, target, status) => {
    const response = await sendRaw(server.port, { method: 'GET', target, headers: [['Host', '127.0.0.1']] });
    expect(response?.status).toBe(status);
    expect(ProblemSchema.parse(JSON.parse(response?.body ?? ''))).toMatchObject({ status });
  });
});
