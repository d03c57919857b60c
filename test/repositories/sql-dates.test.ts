/**
 * The SQL repository's dates: the shortcut for the form databases write (`toIsoDate` writing a
 * UTC stamp from its own digits) gives exactly what parsing it gives, for every string near that
 * form, valid or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsedIsoDate, toIsoDate } from '../../src/repositories/sql/values.js';

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
// Fields a little past their ranges too (month 13, day 32, hour 24, second 60), and years with few or many digits.
const stamp = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), fc.constantFrom('0', '999', '10000', '+002020', '-000001')),
    two(13),
    two(32),
    fc.constantFrom('T', ' ', 't', '  ', ''),
    two(25),
    two(61),
    fc.option(two(61), { nil: undefined }),
    fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    fc.constantFrom('', 'Z', 'z', '+00:00', '+00', '+0000', '-00:00', '+05:30', '-08:00', ' BC', 'Z ', '+00:00:00'),
  )
  .map(([year, month, day, separator, hour, minute, second, fraction, zone]) => {
    const time = `${hour}:${minute}${second === undefined ? '' : `:${second}`}${fraction === undefined ? '' : `.${fraction}`}`;
    return `${year}-${month}-${day}${separator}${time}${zone}`;
  });

describe('toIsoDate', () => {
  it('gives what parsing gives, for stamps valid and not', () => {
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string({ maxLength: 40 })), (text) => {
        expect(toIsoDate(text)).toBe(parsedIsoDate(text.trim()));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2020-06-18T09:32:53.823+00:00', '2020-06-18T09:32:53.823Z'],
    ['2020-06-18T09:32:53.82+00:00', '2020-06-18T09:32:53.820Z'],
    ['2020-06-18T09:32:53+00:00', '2020-06-18T09:32:53.000Z'],
    ['2020-06-18T09:32:53.823456', '2020-06-18T09:32:53.823Z'],
    ['2020-06-18 09:32:53.823', '2020-06-18T09:32:53.823Z'],
    ['2020-02-29 00:00:00', '2020-02-29T00:00:00.000Z'],
    // Moved on by Date.parse, as they always were: the shortcut leaves them to it.
    ['2021-02-29 00:00:00', '2021-03-01T00:00:00.000Z'],
    ['2100-02-29T00:00:00Z', '2100-03-01T00:00:00.000Z'],
    ['2020-06-18T09:32:53.823+05:30', '2020-06-18T04:02:53.823Z'],
    ['not a date', 'not a date'],
  ])('%s → %s', (text, iso) => {
    expect(toIsoDate(text)).toBe(iso);
    expect(toIsoDate(` ${text} `)).toBe(iso);
  });
});
