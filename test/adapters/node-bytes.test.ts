// The node adapters' answers byte for byte (status line, every header in order, body), so that
// an optimisation of the write path (issue 21.2: the answer written in the same call, no promise
// per request) cannot change what Hybrid Chat receives. The expected bytes were read from the
// adapter before that change (commit fb9cd47); only the Date header's value is masked.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, createNodeHandler, createNodeMiddleware } from '../../src/adapters/node.js';
import type { CustomerRepository } from '../../src/core/repository.js';
import { type Listening, startNode } from '../support/listen.js';
import { sampleLabels } from '../../src/contract/samples.js';
import { referenceRepository } from './reference.js';

/** Sends `head` (the request line and headers, without the blank line) and reads every byte until the server closes. */
function exchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').replace(/^Date: .*$/m, 'Date: *')));
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

const ETAG = '"CNhU5tsDu4z-Hw6uM46o-w"';
const SEED_CUSTOMER =
  '{"labels":["5eeb3455de812695676383d2"],"_id":"5eeb34c5de8126e7596383d7","phone2":"","updated_by":"","last_name":"","phone3":"","phone4":"","phone5":"","first_name":"Gold","created_by":"admin","email":"","phone1":"1111","createdAt":"2020-06-18T09:32:53.823Z","updatedAt":"2020-06-18T09:32:53.823Z","__v":0}';
// The seed's five labels in the contract's field order: 982 bytes.
const SEED_LABELS = JSON.stringify(
  sampleLabels.map(({ _id, name, updated_by, created_by, color_code, createdAt, updatedAt, __v }) => ({ _id, name, updated_by, created_by, color_code, createdAt, updatedAt, __v })),
);
const TAIL = 'Date: *\r\nConnection: close\r\n\r\n';
const customerHead = (length: number) =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\ncontent-length: ${length}\r\n${TAIL}`;
const labelsHead = `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\netag: ${ETAG}\r\ncache-control: no-cache\r\ncontent-length: 982\r\n${TAIL}`;

const problem = (status: string, name: string, title: string, detail: string, extra = '') => {
  const body = JSON.stringify({ type: `tag:priority-routing-crm,2026:problem/${name}`, title, status: Number(status.slice(0, 3)), detail });
  return `HTTP/1.1 ${status}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n${extra}content-length: ${body.length}\r\n${TAIL}${body}`;
};

/** Each request (request line and headers) and the exact bytes the adapter sends back. */
const cases: ReadonlyArray<readonly [string, string, string]> = [
  ['a customer (200)', 'GET /customer?query=phone:1111 HTTP/1.1', customerHead(305) + SEED_CUSTOMER],
  ['a customer by HEAD', 'HEAD /customer?query=phone:%2B1111 HTTP/1.1', customerHead(305)],
  ['no such customer (404)', 'GET /customer?query=phone:404404 HTTP/1.1', problem('404 Not Found', 'customer-not-found', 'Customer not found', 'No customer has the phone number given in query.')],
  ['a query without phone: (400)', 'GET /customer?query=email:x HTTP/1.1', problem('400 Bad Request', 'invalid-query', 'Invalid customer query', 'Query must start with "phone:", such as phone:1111.')],
  ['an unknown path (404)', 'GET /nope HTTP/1.1', problem('404 Not Found', 'not-found', 'Not found', 'This connector answers GET /customer?query=phone:{number} and GET /label.')],
  ['another method (405)', 'DELETE /customer?query=phone:1111 HTTP/1.1', problem('405 Method Not Allowed', 'method-not-allowed', 'Method not allowed', 'Only GET and HEAD are supported.', 'allow: GET, HEAD\r\n')],
  ['the labels (200)', 'GET /label HTTP/1.1', labelsHead + SEED_LABELS],
  ['the labels again (304)', `GET /label HTTP/1.1\r\nIf-None-Match: ${ETAG}`, `HTTP/1.1 304 Not Modified\r\netag: ${ETAG}\r\ncache-control: no-cache\r\n${TAIL}`],
];

/** The memory repository behind async methods: the answer arrives later, through the promise path. */
const asynchronous = (inner: CustomerRepository): CustomerRepository => ({
  findCustomerByPhone: async (query, context) => inner.findCustomerByPhone(query, context),
  listLabels: async (context) => inner.listLabels(context),
});

const servers: ReadonlyArray<readonly [string, () => Promise<Listening>]> = [
  ['createNodeHandler', () => startNode(createNodeHandler({ repository: referenceRepository() }))],
  ['connector.node', () => startNode(createConnector({ repository: referenceRepository() }).node)],
  [
    'createNodeMiddleware (the rest: a 418)',
    () => {
      const middleware = createNodeMiddleware({ repository: referenceRepository() });
      return startNode((req, res) => middleware(req, res, () => res.writeHead(418).end()));
    },
  ],
  ['createNodeHandler over an async repository', () => startNode(createNodeHandler({ repository: asynchronous(referenceRepository()) }))],
];

describe.each(servers)('%s: the bytes on the wire', (_name, start) => {
  let server: Listening;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it.each(cases)('%s', async (_case, head, expected) => {
    const bytes = await exchange(server.port, head);
    // Middleware hands other paths on: its next() answers 418 here.
    const passedOn = _name.startsWith('createNodeMiddleware') && head.startsWith('GET /nope');
    expect(bytes).toBe(passedOn ? "HTTP/1.1 418 I'm a Teapot\r\nDate: *\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" : expected);
  });
});

describe('createNodeHandler over a connector whose handle is replaced later', () => {
  // The adapter looks the connector's internals up once, when made; it must still answer through
  // `connector.handle` once a caller has wrapped it, as it did when it called `handle` per request.
  it('answers through the handle the connector has now', async () => {
    const connector = createConnector({ repository: referenceRepository() });
    const server = await startNode(createNodeHandler(connector));
    try {
      const own = connector.handle;
      connector.handle = async (request) => {
        const response = await own(request);
        return { ...response, headers: { ...response.headers, 'x-wrapped': 'yes' } };
      };
      expect(await exchange(server.port, 'GET /customer?query=phone:1111 HTTP/1.1')).toContain('x-wrapped: yes\r\n');
      connector.handle = own;
      expect(await exchange(server.port, 'GET /customer?query=phone:1111 HTTP/1.1')).toBe(customerHead(305) + SEED_CUSTOMER);
    } finally {
      await server.close();
    }
  });
});
