import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_QUERY_PATTERN, parseCustomerQuery } from '../../src/index.js';
import { customerQueryParameterSchema } from '../../src/openapi/schemas.js';
import { queryValue, seeded } from '../robustness/arbitraries.js';

// What a JSON Schema validator checks for the `query` parameter: the pattern and maxLength.
const { pattern, maxLength } = customerQueryParameterSchema() as { pattern: string; maxLength: number };
const plain = new RegExp(pattern);
const unicode = new RegExp(pattern, 'u');
const schemaAccepts = (query: string, regexp: RegExp = plain) => regexp.test(query) && [...query].length <= maxLength;

/** The characters a phone number may hold after its start, and control characters the parser refuses. */
const phoneCharacter = fc.constantFrom(...'0123456789', ' ', '-', '.', '(', ')', '/', '\u0000', '\n', '\u007f', '\u0085');
const leading = fc.constantFrom('', '', '+', ' ', '+ ', '  ');
const phoneLikeQuery = fc.oneof(
  fc.tuple(leading, fc.string({ unit: phoneCharacter, maxLength: 70 })).map(([start, rest]) => `phone:${start}${rest}`),
  fc.tuple(leading, fc.integer({ min: 60, max: 68 }).chain((n) => fc.string({ unit: phoneCharacter, minLength: n, maxLength: n })))
    .map(([start, rest]) => `phone:${start}${rest}`),
  fc.constantFrom('', 'phone', 'Phone:1', 'phone;1', ' phone:1', 'phone:1', 'email:1'),
);

/**
 * Runs Python's `re` (what Python JSON Schema validators use: `re.search`) over the inputs.
 * Fails, never skips, without python3: it is part of the machine the project builds on.
 */
function pythonSearch(source: string, inputs: readonly string[]): boolean[] {
  const script = 'import json, re, sys\np = re.compile(sys.argv[1])\nprint(json.dumps([p.search(s) is not None for s in json.load(sys.stdin)]))';
  const run = spawnSync('python3', ['-c', script, source], { input: JSON.stringify(inputs), encoding: 'utf8' });
  expect(run.error, 'python3 must be installed').toBeUndefined();
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as boolean[];
}

describe('CUSTOMER_QUERY_PATTERN', () => {
  it('is the pattern the OpenAPI document gives the query parameter, with its 70-character bound', () => {
    expect(pattern).toBe(CUSTOMER_QUERY_PATTERN);
    expect(maxLength).toBe('phone:'.length + 64);
  });

  it('uses only syntax every common engine reads the same way (no lookaround, no \\u escape, no backreference)', () => {
    expect(CUSTOMER_QUERY_PATTERN).not.toMatch(/\(\?[=!<]|\\u|\\[1-9]|\\[dDwWsS]/);
    expect(CUSTOMER_QUERY_PATTERN).toMatch(/^[\x20-\x7e]+$/);
  });

  it.each([
    'phone:1111',
    'phone:+923001234567',
    'phone: 923001234567',
    'phone:+92 (300) 123-4567',
    'phone:0300/123.45.67',
    `phone:${'1'.repeat(64)}`,
  ])('accepts %j, as the parser does', (query) => {
    expect(schemaAccepts(query)).toBe(true);
    expect(schemaAccepts(query, unicode)).toBe(true);
    expect(parseCustomerQuery(query).ok).toBe(true);
  });

  it.each([
    '',
    'phone:',
    'email:1111',
    'Phone:1111',
    'phone:+',
    'phone:() -./',
    `phone:${'1'.repeat(65)}`,
    'phone:1111\u0000',
    'phone:11\n11',
  ])('refuses %j, as the parser does', (query) => {
    expect(schemaAccepts(query)).toBe(false);
    expect(schemaAccepts(query, unicode)).toBe(false);
    expect(parseCustomerQuery(query).ok).toBe(false);
  });

  it.each([
    'phone:abc1111xyz',
    'phone:session-1111',
    'phone:1111\u2028',
    'phone:\u202e1111',
    'phone:1😀',
    'phone:\uff11\uff11',
    'phone:\u0661\u0662',
    'phone:1\ud800',
    'phone:_1',
    'phone:92+300',
    'phone: +92300',
    'phone:++92300',
  ])('refuses %j: not a phone number', (query) => {
    expect(schemaAccepts(query)).toBe(false);
    expect(schemaAccepts(query, unicode)).toBe(false);
  });

  it('agrees with parseCustomerQuery on phone-like input (separators, controls, lengths around 64)', () => {
    fc.assert(
      fc.property(phoneLikeQuery, (query) => {
        const parsed = parseCustomerQuery(query).ok;
        expect(schemaAccepts(query)).toBe(parsed);
        expect(schemaAccepts(query, unicode)).toBe(parsed);
      }),
      seeded(3000),
    );
  });

  it('accepts nothing the parser refuses, whatever the input', () => {
    fc.assert(
      fc.property(queryValue, (query) => {
        if (schemaAccepts(query) || schemaAccepts(query, unicode)) expect(parseCustomerQuery(query)).toMatchObject({ ok: true });
      }),
      seeded(3000),
    );
  });

  it('answers a long near-miss at once (no backtracking blow-up)', () => {
    // Timed loosely on purpose: a quadratic pattern takes seconds here, a linear one microseconds.
    const nearMiss = `phone:${'1 '.repeat(50_000)}x`;
    const started = performance.now();
    expect(plain.test(nearMiss)).toBe(false);
    expect(unicode.test(nearMiss)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('compiles in Python re and answers as ECMA-262 does, on fixed and generated input', () => {
    const inputs = [
      'phone:1111',
      'phone: 923001234567',
      'phone:+92 (300) 123-4567',
      'phone:abc1111',
      'phone:',
      'phone:+',
      'phone:1\u0000',
      'phone:\uff11',
      'phone:1\ud800',
      'xphone:1',
      ...fc.sample(queryValue, { numRuns: 2000, seed: 0x5eeb34c5 }),
      ...fc.sample(phoneLikeQuery, { numRuns: 2000, seed: 0x5eeb34c5 }),
    ];
    // Python's `$` also matches before one final newline; the connector refuses that newline.
    const comparable = inputs.filter((query) => !query.endsWith('\n'));
    const python = pythonSearch(CUSTOMER_QUERY_PATTERN, comparable);
    expect(python).toHaveLength(comparable.length);
    const disagreements = comparable.filter((query, index) => python[index] !== plain.test(query) || python[index] !== unicode.test(query));
    expect(disagreements).toEqual([]);
    expect(python.filter(Boolean).length).toBeGreaterThan(100);
    expect(pythonSearch(CUSTOMER_QUERY_PATTERN, ['phone:1\n'])).toEqual([true]);
  });
});
