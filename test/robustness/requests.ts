import fc from 'fast-check';
import type { RawRequest } from '../support/raw-http.js';
import { anyText } from './arbitraries.js';

/** Node's default `--max-http-header-size`: a request line plus headers beyond it get Node's own 431. */
const NODE_HEADER_LIMIT = 16 * 1024;

/** Methods llhttp parses (the connector answers them: 200 for GET/HEAD, 405 for the rest). */
const parsedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'M-SEARCH', 'QUERY'];
/** Methods llhttp refuses with its own bare 400 before any handler runs. */
const unparsedMethods = ['get', 'BREW', 'G3T', 'X'.repeat(40)];

const path = fc.oneof(
  { weight: 6, arbitrary: fc.constant('/customer') },
  { weight: 1, arbitrary: fc.constant('/label') },
  { weight: 2, arbitrary: fc.constantFrom('/', '', '/customer/', '/label/', '//customer', '/CUSTOMER', '/cim/customer', '/customer;x', '/%63ustomer', '/customer%00', '/..%2Fcustomer', '*') },
);

/** Percent-encoding, right and wrong, of the characters a phone number query may hold. */
const encodedPiece = fc.oneof(
  fc.constantFrom('%2B', '%2b', '+', '%20', '%', '%2', '%G1', '%zz', '%E0%A4%A', '%FF', '%C0%AF', '%00', '%0A', '%7F', '%ED%A0%80', '%F0%9F%98%80', '%3A', '%26', '%3D', '&', '=', '#', '?'),
  fc.stringMatching(/^[0-9]{1,6}$/),
  fc.string({ unit: fc.constantFrom(...'phone:+ -().abcxyz/'.split('')), maxLength: 6 }),
  anyText(4).map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))),
);

const queryValue = fc.oneof(
  fc.array(encodedPiece, { maxLength: 8 }).map((pieces) => `phone:${pieces.join('')}`),
  fc.array(encodedPiece, { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.constantFrom('phone:1111', 'phone:+923001234567', 'phone:%2B923001234567', 'phone:2222', 'phone:'),
  fc.integer({ min: 60, max: 70 }).map((length) => `phone:${'1'.repeat(length)}`),
);

const queryString = fc.oneof(
  queryValue.map((value) => `query=${value}`),
  fc.array(queryValue, { minLength: 2, maxLength: 4 }).map((values) => values.map((value) => `query=${value}`).join('&')),
  fc.tuple(queryValue, fc.constantFrom('token=x', 'a=1', '', '&&', 'query', 'QUERY=phone:1111', '%71uery=phone:1111', 'q%75ery=phone:1')).map(
    ([value, other]) => `${other}&query=${value}`,
  ),
  fc.constantFrom('', 'query', 'query=', '=', '&', 'query=phone:1111#frag', 'query=phone:1111&query=phone:1111'),
);

const target = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(path, queryString).map(([path, query]) => `${path}?${query}`) },
  { weight: 1, arbitrary: path },
  { weight: 1, arbitrary: queryString.map((query) => `http://127.0.0.1/customer?${query}`) },
  // Very long URLs: under Node's header limit they reach the connector (400 for a long number), above it Node answers 431.
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((length) => `/customer?query=phone:${'9'.repeat(length)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4000 }).map((count) => `/customer?${'a=1&'.repeat(count)}query=phone:1111`) },
  // Bytes no client should send in a request target: spaces, controls, non-ASCII.
  { weight: 1, arbitrary: anyText(12).map((text) => `/customer?query=phone:${text}`) },
);

/** Headers that change how Node reads the request itself (a body, an upgrade, a 417): not fuzzed here. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'expect', 'upgrade', 'connection']);

const headerName = fc.oneof(
  fc.constantFrom('Accept', 'If-None-Match', 'Authorization', 'X-Api-Key', 'Cookie', 'User-Agent', 'Accept-Encoding', 'X-Forwarded-For', 'Content-Type', 'Range'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/).filter((name) => !FRAMING.has(name.toLowerCase())),
);
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });
const headerValue = fc.oneof(
  fc.constantFrom('*/*', '"abc"', 'W/"x", *', '*', 'Basic !!!', 'Bearer ', `Basic ${'QQ=='.repeat(50)}`, 'gzip, br', 'bytes=0-1', 'application/json'),
  printable,
  fc.integer({ min: 1_000, max: 8_000 }).map((length) => 'v'.repeat(length)),
);
const oddHeader = fc.oneof(
  fc.tuple(fc.constantFrom('Bad Name', 'X-\u00e9', 'X(Y)', ''), printable),
  fc.tuple(headerName, fc.string({ unit: fc.integer({ min: 0x00, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 20 })),
  fc.tuple(headerName, fc.integer({ min: 8_000, max: 20_000 }).map((length) => 'v'.repeat(length))),
  fc.constant(['Host', 'example.com'] as const),
);

/** Mostly headers any client may send; one in eight requests also carries one Node may refuse. */
const headers = fc
  .tuple(
    fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
    fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: oddHeader }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant<Array<[string, string]>>([['Host', '127.0.0.1']]) },
      { weight: 1, arbitrary: fc.constantFrom<Array<[string, string]>>([['host', 'localhost:1']], [['HOST', '']]) },
    ),
  )
  .map(([usual, odd, host]) => [...host, ...usual, ...(odd === null ? [] : [odd])]);

/** A generated request, byte for byte, for the fuzzing test. */
export const fuzzRequest: fc.Arbitrary<RawRequest> = fc.record({
  method: fc.oneof(
    { weight: 8, arbitrary: fc.constant('GET') },
    { weight: 2, arbitrary: fc.constant('HEAD') },
    { weight: 3, arbitrary: fc.constantFrom(...parsedMethods) },
    { weight: 1, arbitrary: fc.constantFrom(...unparsedMethods) },
  ),
  target,
  headers,
});

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^(\/|http:\/\/)[\x21-\x7e]*$/;

/**
 * Whether Node's HTTP parser may refuse this request itself (a bare 400 or 431, or closing the
 * socket) before the connector sees it: a method it does not parse, a target with spaces,
 * controls or non-ASCII bytes, a bad header, no single `Host`, or a head beyond 16 KiB.
 */
export function nodeMayRefuse(request: RawRequest): boolean {
  const head = request.target.length + request.headers.reduce((size, [name, value]) => size + name.length + value.length + 4, 0);
  const hosts = request.headers.filter(([name]) => name.toLowerCase() === 'host').length;
  return (
    !parsedMethods.includes(request.method) ||
    !TARGET.test(request.target) ||
    request.headers.some(([name, value]) => !TOKEN.test(name) || !FIELD_VALUE.test(value)) ||
    hosts !== 1 ||
    head > NODE_HEADER_LIMIT - 512
  );
}
