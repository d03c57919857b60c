// An option given as `undefined` means "use the default", exactly like leaving it out: strict
// consumers (exactOptionalPropertyTypes) pass `process.env.X` or `cfg.timeout` straight through.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  createConnector,
  createConnectorClient,
  createMemoryRepository,
  phoneKeys,
  queryTokenAuth,
  sampleDataSet,
  samplePhones,
  validateCustomer,
  withCache,
  withCircuitBreaker,
  type ConnectorRequest,
  type CustomerRepository,
} from '../../src/index.js';
import { createNodeHandler, startReferenceServer, type ReferenceServer } from '../../src/adapters/node.js';
import { createOpenApiDocument } from '../../src/openapi/index.js';
import { createSqlRepository } from '../../src/repositories/sql/index.js';
import { formatTextReport, verifyConnector } from '../../src/testing/index.js';
import { listen, type Listening } from '../support/listen.js';
import { openPgliteCrm } from '../support/pglite.js';
import { context, query } from '../support/sql-repository-cases.js';

const repository = createMemoryRepository(sampleDataSet);
const u = undefined;

const requests: ConnectorRequest[] = [
  { url: `/customer?query=phone:${samplePhones.gold}` },
  { url: '/customer?query=phone:0000000' },
  { url: '/customer?query=nonsense' },
  { url: '/label' },
  { url: '/label', method: 'HEAD' },
  { url: '/elsewhere' },
];

async function answers(handle: (request: ConnectorRequest) => Promise<unknown>, list = requests): Promise<unknown[]> {
  const out = [];
  for (const request of list) out.push(await handle(request));
  return out;
}

describe('createConnector', () => {
  it('answers with every option undefined exactly as with none', async () => {
    const plain = createConnector({ repository });
    const undefinedOptions = createConnector({
      repository,
      basePath: u,
      timeoutMs: u,
      authenticate: u,
      onError: u,
      onResponse: u,
      labelsCacheControl: u,
      maskPhone: u,
      defaultCountry: u,
    });
    expect(undefinedOptions.paths).toEqual(plain.paths);
    expect(await answers(undefinedOptions.handle)).toEqual(await answers(plain.handle));
  });

  it('reads a request whose method and headers are undefined as a GET without headers', async () => {
    const connector = createConnector({ repository });
    const withUndefined = requests.filter((request) => request.method === undefined).map((request) => ({ ...request, method: u, headers: u }));
    expect(await answers(connector.handle, withUndefined)).toEqual(await answers(connector.handle, requests.filter((request) => request.method === undefined)));
  });

  it('auth helpers use their default parameter, header and realm for undefined', async () => {
    const pairs = [
      [queryTokenAuth({ token: 't', param: u }), queryTokenAuth({ token: 't' }), { url: '/label?token=t' }],
      [apiKeyAuth({ key: 'k', header: u }), apiKeyAuth({ key: 'k' }), { url: '/label', headers: { 'x-api-key': 'k' } }],
      [bearerAuth({ token: 't', realm: u }), bearerAuth({ token: 't' }), { url: '/label', headers: { authorization: 'Bearer t' } }],
      [basicAuth({ username: 'u', password: 'p', realm: u }), basicAuth({ username: 'u', password: 'p' }), { url: '/label', headers: { authorization: `Basic ${btoa('u:p')}` } }],
    ] as const;
    for (const [withUndefined, plain, allowed] of pairs) {
      const list = [allowed, { url: '/label' }];
      const expected = await answers(createConnector({ repository, authenticate: plain }).handle, list);
      expect(expected.map((answer) => (answer as { status: number }).status)).toEqual([200, 401]);
      expect(await answers(createConnector({ repository, authenticate: withUndefined }).handle, list)).toEqual(expected);
    }
  });

  it('createNodeHandler takes the same undefined options', async () => {
    const server = await listen(createServer(createNodeHandler({ repository, basePath: u, timeoutMs: u, labelsCacheControl: u })));
    try {
      const response = await fetch(`${server.origin}/label`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    } finally {
      await server.close();
    }
  });
});

describe('startReferenceServer and createConnectorClient', () => {
  let reference: ReferenceServer;
  beforeAll(async () => {
    reference = await startReferenceServer({ port: 0, host: u, basePath: u, data: u, repository: u, timeoutMs: u });
  });
  afterAll(() => reference.close());

  it('the reference server listens on 127.0.0.1 with the sample data', () => {
    expect(reference.labelsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/label$/);
  });

  it('the client looks up as with no options', async () => {
    const urls = { customerQueryUrl: reference.customerQueryUrl, labelsUrl: reference.labelsUrl };
    const plain = createConnectorClient(urls);
    const client = createConnectorClient({ ...urls, fetch: u, timeoutMs: u, maxBodyBytes: u, mode: u, headers: u, showSecrets: u });
    const strip = (result: object) => ({ ...result, response: { ...(result as { response: object }).response, durationMs: 0 } });
    const got = await client.lookupCustomer(samplePhones.gold, { signal: u });
    expect(got).toMatchObject({ ok: true, kind: 'found' });
    expect(strip(got)).toEqual(strip(await plain.lookupCustomer(samplePhones.gold)));
    expect(strip(await client.listLabels({ signal: u }))).toEqual(strip(await plain.listLabels()));
  });

  it('verifyConnector runs the same checks, and formatTextReport formats the same', async () => {
    const base = { customerQueryUrl: reference.customerQueryUrl, labelsUrl: reference.labelsUrl, phones: [samplePhones.gold] };
    const plain = await verifyConnector(base);
    const report = await verifyConnector({
      ...base,
      headers: u,
      timeoutMs: u,
      maxBodyBytes: u,
      budgetMs: u,
      mode: u,
      weights: u,
      only: u,
      skip: u,
      fetch: u,
      showSecrets: u,
      signal: u,
      onProgress: u,
    });
    const outcome = (r: typeof plain) => r.checks.map((check) => [check.id, check.status]);
    expect(outcome(report)).toEqual(outcome(plain));
    expect(formatTextReport(report, { style: u, maxIssues: u })).toBe(formatTextReport(report));
  });
});

describe('repositories', () => {
  it('withCache uses its default TTLs for undefined', async () => {
    let calls = 0;
    const counted: CustomerRepository = {
      findCustomerByPhone: (q) => repository.findCustomerByPhone(q),
      listLabels: () => {
        calls += 1;
        return repository.listLabels();
      },
    };
    const cached = withCache(counted, {
      labelsTtlMs: u,
      staleIfErrorMs: u,
      customersTtlMs: u,
      maxCustomers: u,
      notFoundTtlMs: u,
      timeoutMs: u,
      onError: u,
      onEvent: u,
    });
    const first = await cached.listLabels(context());
    expect(await cached.listLabels(context())).toEqual(first);
    // The default labelsTtlMs (30 s) keeps the list: one call to the repository.
    expect(calls).toBe(1);
  });

  it('withCircuitBreaker opens after the default 5 failures for undefined', async () => {
    let calls = 0;
    const failing: CustomerRepository = {
      findCustomerByPhone: () => {
        calls += 1;
        throw new Error('down');
      },
      listLabels: () => [],
    };
    const breaker = withCircuitBreaker(failing, { failureThreshold: u, cooldownMs: u, onStateChange: u });
    const errors: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      errors.push(await (async () => breaker.findCustomerByPhone(query('1111'), context()))().then(() => 'ok', (error: Error) => error.name));
    }
    expect(calls).toBe(5);
    expect(errors).toEqual(['Error', 'Error', 'Error', 'Error', 'Error', 'CircuitOpenError', 'CircuitOpenError']);
  });

  it('createMemoryRepository and phoneKeys take defaultCountry undefined as no country', async () => {
    const memory = createMemoryRepository(sampleDataSet, { defaultCountry: u });
    expect(await memory.findCustomerByPhone(query(samplePhones.gold))).toEqual(await repository.findCustomerByPhone(query(samplePhones.gold)));
    expect(phoneKeys('0300 1234567', { defaultCountry: u })).toEqual(phoneKeys('0300 1234567'));
    expect(validateCustomer({}, { mode: u })).toEqual(validateCustomer({}));
  });

  it('createSqlRepository over PGlite with defaultCountry and dialect undefined', async () => {
    const crm = await openPgliteCrm();
    try {
      const plain = createSqlRepository({ client: crm.pool(), mapping: crm.mapping });
      const sql = createSqlRepository({ client: crm.pool(), mapping: crm.mapping, defaultCountry: u, dialect: u });
      const found = await sql.findCustomerByPhone(query('923001234567'), context());
      expect(found).toMatchObject({ _id: '1' });
      expect(found).toEqual(await plain.findCustomerByPhone(query('923001234567'), context()));
      expect(await sql.listLabels(context())).toEqual(await plain.listLabels(context()));
    } finally {
      await crm.close();
    }
  });
});

describe('createOpenApiDocument', () => {
  it('gives the default document for undefined server and security', () => {
    expect(createOpenApiDocument({ serverUrl: u, serverDescription: u, security: u })).toEqual(createOpenApiDocument());
  });
});
