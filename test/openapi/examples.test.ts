import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/openapi/index.js';
import {
  bearerAuth,
  createMemoryRepository,
  problemTypes,
  sampleDataSet,
  type ConnectorOptions,
  type CustomerRepository,
  type ProblemName,
} from '../../src/index.js';
import { circuitOpenResponse, probeProblems, transportProblems } from '../../src/core/problems.js';
import { serveConnector } from '../support/serve-connector.js';
import { listen } from '../support/listen.js';
import { takeStderr } from '../support/quiet-stderr.js';

const document = openApiDocument as any;
const memory = createMemoryRepository(sampleDataSet);
const failing = (customer: () => unknown): CustomerRepository => ({
  findCustomerByPhone: customer as CustomerRepository['findCustomerByPhone'],
  listLabels: () => memory.listLabels(),
});

type DocumentedProblem = Exclude<ProblemName, (typeof transportProblems)[number] | (typeof probeProblems)[number]>;

/** How to make a real connector send each documented problem, over HTTP on 127.0.0.1. */
const recipes: Record<DocumentedProblem, { options: ConnectorOptions; path: string; init?: RequestInit }> = {
  invalidQuery: { options: { repository: memory }, path: '/customer?query=email:x' },
  unauthorized: { options: { repository: memory, authenticate: bearerAuth({ token: 'secret' }) }, path: '/label' },
  customerNotFound: { options: { repository: memory }, path: '/customer?query=phone:999999' },
  notFound: { options: { repository: memory }, path: '/labels' },
  methodNotAllowed: { options: { repository: memory }, path: '/label', init: { method: 'POST' } },
  internalError: {
    options: { repository: memory, authenticate: () => { throw new Error('auth backend down'); } },
    path: '/customer?query=phone:1111',
  },
  crmFailure: { options: { repository: failing(() => { throw new Error('db down'); }) }, path: '/customer?query=phone:1111' },
  invalidCrmData: { options: { repository: failing(() => ({ first_name: 'no id' })) }, path: '/customer?query=phone:1111' },
  // The default timeout, 3000 ms, is what the example shows.
  crmTimeout: { options: { repository: failing(() => new Promise(() => {})) }, path: '/customer?query=phone:1111' },
  // Served by the connector's own 503 builder until the circuit breaker (issue 12) produces it.
  circuitOpen: { options: { repository: memory }, path: '/' },
};

const closers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(closers.map((close) => close())));

async function serveCircuitOpen(): Promise<string> {
  const response = circuitOpenResponse(10);
  const server = createServer((_request, reply) => reply.writeHead(response.status, response.headers).end(response.body));
  const { origin, close } = await listen(server);
  closers.push(close);
  return origin;
}

async function realResponse(problem: DocumentedProblem): Promise<Response> {
  const { options, path, init } = recipes[problem];
  if (problem === 'circuitOpen') return fetch(`${await serveCircuitOpen()}${path}`);
  const server = await serveConnector(options);
  closers.push(() => server.close());
  return server.get(path, init);
}

const documented = Object.entries<any>(document.components.responses).flatMap(([name, response]) =>
  Object.entries<any>(response.content['application/problem+json'].examples).map(([problem, example]) => ({
    name,
    problem: problem as DocumentedProblem,
    example: example.value,
    headers: Object.keys(response.headers ?? {}),
  })),
);

describe('the OpenAPI problem examples', () => {
  it('show every problem type the connector\'s routes send, each once', () => {
    const routeProblems = Object.keys(problemTypes).filter((name) => ![...transportProblems, ...probeProblems].includes(name as never));
    expect(documented.map(({ problem }) => problem).sort()).toEqual(routeProblems.sort());
  });

  it.each(documented)('$name / $problem is exactly the body a real connector sends', async ({ problem, example, headers }) => {
    const response = await realResponse(problem);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual(example);
    expect(response.status).toBe(example.status);
    for (const header of headers) expect(response.headers.get(header), header).not.toBeNull();
    // A 5xx of the connector's own is one line of its default error log (stderr); a 4xx and the breaker's 503 are none.
    const logged = example.status >= 500 && problem !== 'circuitOpen' ? [expect.stringMatching(new RegExp(`^priority-routing-crm: ${example.status} `))] : [];
    expect(takeStderr()).toStrictEqual(logged);
  }, 10_000);

  it('document the 503 with Retry-After on both operations', () => {
    for (const path of ['/customer', '/label']) {
      expect(document.paths[path].get.responses['503']).toEqual({ $ref: '#/components/responses/ServiceUnavailable' });
      expect(document.paths[path].head.responses['503'].headers['Retry-After']).toMatchObject({ required: true });
    }
    expect(document.components.responses.ServiceUnavailable.headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 1 });
  });
});

describe('problem details', () => {
  it('are never written in place: every problemResponse call in src takes its detail from the table', () => {
    const src = new URL('../../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const inPlace = files.flatMap((file) =>
      readFileSync(new URL(file, src), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/)/.test(line) && /problemResponse\(\s*'\w+',\s*['"`]/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(inPlace).toEqual([]);
  });
});
