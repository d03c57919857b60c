import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_QUERY_PATTERN, CustomerQuerySchema, normalizePhone, parseCustomerQuery } from '../../src/index.js';
import { MAX_PHONE_LENGTH } from '../../src/contract/phone.js';
import { customerQueryMessages } from '../../src/contract/query.js';

const pattern = new RegExp(CUSTOMER_QUERY_PATTERN);

describe('CustomerQuerySchema', () => {
  it.each([
    ['phone:1111', '1111', '1111'],
    ['phone:+923001234567', '+923001234567', '923001234567'],
    // `phone:%2B923001234567` once URL-decoded:
    [decodeURIComponent('phone:%2B923001234567'), '+923001234567', '923001234567'],
    // `phone:+923001234567` form-decoded (the + became a space):
    [new URLSearchParams('query=phone:+923001234567').get('query')!, '+923001234567', '923001234567'],
    ['phone: 923001234567', '+923001234567', '923001234567'],
    ['phone:+92 300-1234567', '+92 300-1234567', '923001234567'],
    [`phone:${'1'.repeat(64)}`, '1'.repeat(64), '1'.repeat(64)],
  ])('parses %j', (query, phone, normalizedPhone) => {
    expect(CustomerQuerySchema.parse(query)).toEqual({ phone, normalizedPhone });
    expect(pattern.test(query)).toBe(true);
  });

  it.each([
    ['email:x', 'wrong_prefix', 'query must start with "phone:", such as phone:1111'],
    ['Phone:1111', 'wrong_prefix', 'query must start with "phone:", such as phone:1111'],
    ['phone:', 'empty', 'the phone number after "phone:" is empty'],
    [`phone:${'1'.repeat(65)}`, 'too_long', 'the phone number after "phone:" is longer than 64 characters'],
    ['phone:1111\u0000', 'control_character', 'the phone number holds a control character'],
    ['phone:11\n11', 'control_character', 'the phone number holds a control character'],
    ['phone:-()', 'no_digit', 'the phone number holds no digit'],
  ])('rejects %j', (query, reason, message) => {
    const result = CustomerQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ message, params: { reason } })]);
    expect(parseCustomerQuery(query)).toEqual({ ok: false, issues: [{ path: '$', code: reason, message, segments: [] }] });
    // As the OpenAPI document states it: the pattern, and maxLength for the length.
    expect(pattern.test(query) && [...query].length <= 'phone:'.length + MAX_PHONE_LENGTH).toBe(false);
  });

  it('counts the 64-character limit in code points, as JSON Schema does', () => {
    expect(parseCustomerQuery(`phone:1${'😀'.repeat(63)}`)).toMatchObject({ ok: false, issues: [{ code: 'not_a_phone_number' }] });
    expect(parseCustomerQuery(`phone:1${'😀'.repeat(64)}`)).toMatchObject({ ok: false, issues: [{ code: 'too_long' }] });
  });

  it.each([
    'phone:abc',
    'phone:abc1111xyz',
    'phone:session-1111',
    'phone:1111\u2028',
    'phone:\u202e1111',
    'phone:92+300',
    'phone: +92300',
    'phone:\uff11\uff11',
    'phone:1111;',
  ])('refuses %j: not a phone number', (query) => {
    const message = customerQueryMessages.not_a_phone_number;
    expect(message).toContain('not a phone number');
    expect(parseCustomerQuery(query)).toEqual({ ok: false, issues: [{ path: '$', code: 'not_a_phone_number', message, segments: [] }] });
    expect(CustomerQuerySchema.safeParse(query).error?.issues).toEqual([expect.objectContaining({ message, params: { reason: 'not_a_phone_number' } })]);
  });

  it.each(['phone:+92 (300) 123-4567', 'phone:0300/123.45.67', 'phone:  92 300', 'phone:+ 92'])('accepts %j: digits, a leading +, spaces and - . ( ) /', (query) => {
    expect(parseCustomerQuery(query).ok).toBe(true);
  });

  it('rejects what is not a string', () => {
    expect(CustomerQuerySchema.safeParse(['phone:1', 'phone:2']).success).toBe(false);
    expect(parseCustomerQuery(undefined)).toEqual({
      ok: false,
      issues: [{ path: '$', code: 'not_a_string', message: 'query must be a single string such as phone:1111', segments: [] }],
    });
  });

  it('never echoes the number in its messages', () => {
    const result = parseCustomerQuery(`phone:${'9'.repeat(80)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).not.toContain('999');
  });
});

describe('normalizePhone', () => {
  it('keeps digits only, so spellings of one number agree', () => {
    expect(normalizePhone('+92 300-1234567')).toBe('923001234567');
    expect(normalizePhone('(92) 300 1234567')).toBe('923001234567');
    expect(normalizePhone('923001234567')).toBe('923001234567');
    expect(normalizePhone(normalizePhone('+92 (300) 123'))).toBe(normalizePhone('+92 (300) 123'));
  });
});

describe('parseCustomerQuery documentation', () => {
  it('lists exactly the codes a refused query can carry (the type that listed them is internal)', () => {
    const source = readFileSync(new URL('../../src/contract/query.ts', import.meta.url), 'utf8');
    const doc = source.slice(0, source.indexOf('export function parseCustomerQuery'));
    const listed = /A refused value is one issue at `\$` whose `code` says why: ([^;]+);/.exec(doc.slice(doc.lastIndexOf('/**')))?.[1];
    const codes = [...(listed ?? '').matchAll(/`(\w+)`/g)].map((match) => match[1]);
    expect(codes.sort()).toEqual(Object.keys(customerQueryMessages).sort());
  });
});
