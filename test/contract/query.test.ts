import { describe, expect, it } from 'vitest';
import { CUSTOMER_QUERY_PATTERN, CustomerQuerySchema, normalizePhone, parseCustomerQuery } from '../../src/index.js';

// The pattern with the schema's maxLength (70), as a JSON Schema validator applies them.
const pattern = { test: (query: string) => new RegExp(CUSTOMER_QUERY_PATTERN).test(query) && query.length <= 70 };

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
    ['phone:abc', 'no_digit', 'the phone number holds no digit'],
  ])('rejects %j', (query, reason, message) => {
    const result = CustomerQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ message, params: { reason } })]);
    expect(parseCustomerQuery(query)).toEqual({ ok: false, error: reason, message });
    expect(pattern.test(query)).toBe(false);
  });

  it('counts the 64-character limit in code points, as JSON Schema does', () => {
    expect(parseCustomerQuery(`phone:1${'😀'.repeat(63)}`).ok).toBe(true);
    expect(parseCustomerQuery(`phone:1${'😀'.repeat(64)}`)).toMatchObject({ ok: false, error: 'too_long' });
  });

  it('rejects what is not a string', () => {
    expect(CustomerQuerySchema.safeParse(['phone:1', 'phone:2']).success).toBe(false);
    expect(parseCustomerQuery(undefined)).toMatchObject({ ok: false, error: 'not_a_string' });
  });

  it('never echoes the number in its messages', () => {
    const result = parseCustomerQuery(`phone:${'9'.repeat(80)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain('999');
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
