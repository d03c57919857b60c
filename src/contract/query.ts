import * as z from 'zod';
import { MAX_PHONE_LENGTH, normalizePhone } from './phone.js';
import { documented } from './registry.js';
import type { Result } from './result.js';
import type { CustomerQuery } from './types.js';

const PREFIX = 'phone:';
const CONTROL_CHARACTER = /\p{Cc}/u;

// The characters before the first digit exclude digits, so the first digit is where the third
// part starts: a backtracking engine answers any input, even a long near-miss, in linear time.
/**
 * The accepted `query` values as a regular expression, for the OpenAPI document and other
 * tools: `phone:`, then a number made of digits, one leading `+` (or the space form decoding
 * turns it into), spaces and `- . ( ) /`, with at least one digit. The limit of 64 characters
 * is the schema's `maxLength` (70 with `phone:`), not part of the pattern.
 *
 * It compiles with the same meaning in ECMA-262 (with or without the `u` flag), Python `re` and
 * Rust `regex`, which JSON Schema validators use: no lookaround, no backreference, no escape,
 * ASCII only. (Python's `$` also matches before one final newline, so a validator built on it
 * accepts `phone:1` followed by a newline, which the connector refuses.)
 *
 * @example
 * ```ts
 * import { CUSTOMER_QUERY_PATTERN } from 'priority-routing-crm';
 * const pattern = new RegExp(CUSTOMER_QUERY_PATTERN, 'u');
 * pattern.test('phone:+92 (300) 123-4567'); // true
 * pattern.test('phone:abc1111'); // false: not a phone number
 * ```
 */
export const CUSTOMER_QUERY_PATTERN = `^${PREFIX}[ +]?[ ()./-]*[0-9][ ()./0-9-]*$`;

// The length limit counts code points, as JSON Schema's maxLength and a `u`-flag pattern do.
// UTF-16 length is an upper bound on it, so the exact count runs only for long input.
function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}
const DIGIT = /\d/;
/**
 * What a phone number may hold: ASCII digits, one leading `+`, spaces and `- . ( ) /`. Anything
 * else (`abc1111xyz`, `session-1111`, bidi or line-separator characters) is not a number, and
 * must not find a customer by the digits it happens to contain.
 */
const PHONE_CHARACTERS = /^\+?[0-9 ()./-]*$/;

/**
 * Why a `query` value was refused: the `code` of the issue {@link parseCustomerQuery} returns;
 * each maps to a sentence in {@link customerQueryMessages}.
 */
export type CustomerQueryError =
  | 'not_a_string'
  | 'wrong_prefix'
  | 'empty'
  | 'too_long'
  | 'control_character'
  | 'not_a_phone_number'
  | 'no_digit';

/**
 * The sentence for each {@link CustomerQueryError}, safe to show a client (it never echoes the input).
 */
export const customerQueryMessages: Readonly<Record<CustomerQueryError, string>> = {
  not_a_string: 'query must be a single string such as phone:1111',
  wrong_prefix: 'query must start with "phone:", such as phone:1111',
  empty: 'the phone number after "phone:" is empty',
  too_long: `the phone number after "phone:" is longer than ${MAX_PHONE_LENGTH} characters`,
  control_character: 'the phone number holds a control character',
  not_a_phone_number: 'the value after "phone:" is not a phone number: only digits, a leading +, spaces and - . ( ) / may appear',
  no_digit: 'the phone number holds no digit',
};

/**
 * What a `query=phone:{refId}` value parses to; {@link CustomerQuery} is inferred from it.
 */
export const ParsedCustomerQuerySchema = z.object({
  /**
   * The number as received, with a leading `+` restored where form-decoding turned it into a
   * space (`phone: 923001234567` → `+923001234567`).
   */
  phone: z.string(),
  /** The number reduced to its digits (`+92 300-1234567` → `923001234567`): the lookup key. */
  normalizedPhone: z.string(),
  /**
   * Set by the connector's handlers: every digit spelling this number may be stored under,
   * E.164 digits first (see `phoneKeys`), for the connector's `defaultCountry`; just
   * `[normalizedPhone]` without one. Absent when the query was parsed outside a handler.
   */
  phoneKeys: z.array(z.string()).readonly().optional(),
});

type ParsedQuery = z.output<typeof ParsedCustomerQuerySchema>;

// A refused query is one issue about the whole value (`$`): the code is the reason, the message
// the sentence the connector's 400 detail uses.
const refuse = (error: CustomerQueryError): Result<CustomerQuery> => ({
  ok: false,
  issues: [{ path: '$', message: customerQueryMessages[error], code: error, segments: [] }],
});

/**
 * Parses the decoded `query` value of `GET /customer?query=phone:{refId}` without throwing.
 * A plain function for the request path; {@link CustomerQuerySchema} wraps it for zod users.
 *
 * Hybrid Chat puts `refId` into its URL template unencoded, so `+923001234567` arrives as
 * `phone:+923001234567`, which form-decoding turns into `phone: 923001234567`. A leading
 * space is therefore read back as `+`. `%2B` decodes to `+` before this sees it.
 * A number holds only ASCII digits, a leading `+`, spaces and `- . ( ) /`: anything else is
 * `not_a_phone_number`, so `phone:session-1111` never finds the customer `1111`.
 *
 * A refused value is one issue at `$` whose `code` says why: `not_a_string`, `wrong_prefix`,
 * `empty`, `too_long`, `control_character`, `not_a_phone_number` or `no_digit`; its `message`
 * is the sentence behind the connector's 400 `detail`.
 *
 * @example
 * ```ts
 * import { parseCustomerQuery } from 'priority-routing-crm';
 * parseCustomerQuery('phone: 923001234567');
 * // { ok: true, value: { phone: '+923001234567', normalizedPhone: '923001234567' } }
 * parseCustomerQuery('email:x'); // { ok: false, issues: [{ path: '$', code: 'wrong_prefix', message: '…', segments: [] }] }
 * ```
 */
export function parseCustomerQuery(query: unknown): Result<CustomerQuery> {
  if (typeof query !== 'string') return refuse('not_a_string');
  if (!query.startsWith(PREFIX)) return refuse('wrong_prefix');
  let phone = query.slice(PREFIX.length);
  if (phone.length === 0) return refuse('empty');
  if (phone.length > MAX_PHONE_LENGTH && codePointLength(phone) > MAX_PHONE_LENGTH) return refuse('too_long');
  if (CONTROL_CHARACTER.test(phone)) return refuse('control_character');
  if (phone.charCodeAt(0) === 32) phone = `+${phone.slice(1)}`;
  if (!PHONE_CHARACTERS.test(phone)) return refuse('not_a_phone_number');
  if (!DIGIT.test(phone)) return refuse('no_digit');
  return { ok: true, value: { phone, normalizedPhone: normalizePhone(phone) } };
}

/**
 * The `query` parameter of `GET /customer`: parses `phone:{refId}` (already URL-decoded) into
 * the phone number and its digits-only form. Rejects another prefix, an empty number, one
 * longer than 64 characters, one with a control character, one with a character other than
 * digits, a leading `+`, spaces and `- . ( ) /`, or with no digit at all.
 *
 * @example
 * ```ts
 * import { CustomerQuerySchema } from 'priority-routing-crm';
 * CustomerQuerySchema.parse('phone:+923001234567'); // { phone: '+923001234567', normalizedPhone: '923001234567' }
 * CustomerQuerySchema.safeParse('email:x').success; // false
 * ```
 */
export const CustomerQuerySchema = documented(
  z
    .string()
    .transform((query, ctx): ParsedQuery => {
      const result = parseCustomerQuery(query);
      if (result.ok) return result.value;
      for (const issue of result.issues) ctx.issues.push({ code: 'custom', message: issue.message, input: query, params: { reason: issue.code } });
      return z.NEVER;
    })
    .pipe(ParsedCustomerQuerySchema),
  {
    description:
      'phone: followed by the phone number, which Hybrid Chat puts in unencoded. A leading + may arrive as a space (form decoding) or as %2B; all forms find the same customer.',
    examples: ['phone:1111', 'phone:+923001234567'],
    pattern: CUSTOMER_QUERY_PATTERN,
    maxLength: PREFIX.length + MAX_PHONE_LENGTH,
  },
);
