/**
 * The SQL mapping's `customers.country` column (issue 17): each row's national numbers read in
 * its own country, `defaultCountry` for a row with none. Written once, run on PGlite in
 * `npm test` and on real PostgreSQL and MariaDB in `npm run test:db`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlRepository, type SqlClient, type SqlRepository } from '../../src/repositories/sql/index.js';
import { createRunner } from '../../src/repositories/sql/client.js';
import { parseSqlMapping } from '../../src/repositories/sql/mapping.js';
import { phoneSample } from '../../src/repositories/sql/queries.js';
import { inspectSqlDatabase, sampleNationalWarning } from '../../src/repositories/sql/schema.js';
import { context, query } from './sql-repository-cases.js';

/** A database holding {@link COUNTRY_SCHEMA} (table names as given), a client on it, and its end. */
export interface CountryFixture {
  client: SqlClient;
  close(): Promise<void>;
}

/** Customers from several countries in one CRM whose default is Pakistan; plain SQL both engines take. */
export const COUNTRY_SCHEMA = [
  'CREATE TABLE contacts (id int PRIMARY KEY, mobile varchar(40), landline varchar(40), country varchar(8))',
  'CREATE TABLE tags (id int PRIMARY KEY, name varchar(40) NOT NULL)',
  `INSERT INTO contacts (id, mobile, landline, country) VALUES
    (1, '07911 123456', NULL, 'GB'),
    (2, NULL, '020 7946 0958', '+44'),
    (3, '0300 1234567', NULL, NULL),
    (4, '0321 7654321', NULL, ''),
    (5, '0333 1112222', NULL, 'gb'),
    (6, '050 123 4567', NULL, 'AE'),
    (7, '+49 151 12345678', NULL, 'DE'),
    (8, '0151 87654321', NULL, '49'),
    (9, '(55) 1234-5678', NULL, 'MX')`,
];

/** Numbers each spelling of which finds one customer: asked, the id found, what the case is. */
export const COUNTRY_FOUND: ReadonlyArray<readonly [string, string, string]> = [
  ['447911123456', '1', 'WhatsApp digits of a British mobile stored nationally with country GB'],
  ['+44 7911 123456', '1', 'the same, international'],
  ['442079460958', '2', 'a London landline on the second phone column, country +44'],
  ['923001234567', '3', 'a Pakistani number, country NULL: defaultCountry'],
  ['0300 1234567', '3', 'the same, asked nationally'],
  ['923217654321', '4', "an empty country: defaultCountry"],
  ['443331112222', '5', 'country in lower case'],
  ['971501234567', '6', 'country AE'],
  ['4915112345678', '7', 'a German mobile stored internationally'],
  ['4915187654321', '8', 'a German mobile stored nationally, country as the calling code 49'],
  ['5215512345678', '9', "Mexico's legacy WhatsApp form, stored nationally with country MX"],
];

/** Numbers that must find nobody, and why. */
export const COUNTRY_NOT_FOUND: ReadonlyArray<readonly [string, string]> = [
  ['923331112222', "a Pakistani reading of a British row's national digits"],
  ['+92 7911 123456', 'a British national number read as Pakistani'],
  ['447911123457', 'one digit off'],
  ['4915112345679', 'one digit off, German'],
];

/** The mapping of {@link COUNTRY_SCHEMA}. */
export const COUNTRY_MAPPING = { customers: { table: 'contacts', id: 'id', phones: ['mobile', 'landline'], country: 'country' }, labels: { table: 'tags', id: 'id', name: 'name' } };

export function describeCountryColumn(title: string, open: () => Promise<CountryFixture>): void {
  describe(title, () => {
    let db: CountryFixture;
    let repository: SqlRepository;
    beforeAll(async () => {
      db = await open();
      repository = createSqlRepository({ client: db.client, mapping: COUNTRY_MAPPING, defaultCountry: 'PK' });
    });
    afterAll(() => db?.close());

    it.each(COUNTRY_FOUND)('finds %s (id %s): %s', async (asked, id) => {
      expect((await repository.findCustomerByPhone(query(asked), context()))?._id).toBe(id);
    });

    it.each(COUNTRY_NOT_FOUND)('finds nothing for %s (%s)', async (asked) => {
      expect(await repository.findCustomerByPhone(query(asked), context())).toBeNull();
    });

    // serve's start-up warning about national numbers reads this sample: a row with its own
    // country is read in that country, so only rows without one may need --default-country.
    it("serve's national-number sample reads only the rows without their own country (NULL or empty)", async () => {
      const runner = createRunner(db.client);
      const rows = await runner.run(phoneSample(runner.dialect, parseSqlMapping(COUNTRY_MAPPING), 100).text, []);
      expect(rows.flatMap((row) => Object.values(row)).filter((phone) => phone !== null).sort()).toEqual(['0300 1234567', '0321 7654321']);
    });

    // db check's sample, read for the same warning: it counts what serve counts.
    it("db check's national-number warning counts only the rows without their own country (NULL or empty), as serve's does", async () => {
      const report = await inspectSqlDatabase({ client: db.client, mapping: COUNTRY_MAPPING, sampleSize: 100 });
      expect(report.sampledRows).toBe(9);
      expect(report.sampledPhoneRows).toBe(2);
      expect(report.sampledPhones.filter((phone) => phone !== '').sort()).toEqual(['0300 1234567', '0321 7654321']);
      expect(sampleNationalWarning(report, parseSqlMapping(COUNTRY_MAPPING), 'set it')).toMatch(
        /^2 of 2 phone numbers in the 2 of 9 sampled rows with no country in "country" of contacts look national \(such as 03\*{6}\d{4}: a trunk prefix 0 and no country code\) and no default country is set, .*: set it$/,
      );
    });

    it('needs defaultCountry: the country of rows whose column is empty', () => {
      expect(() => createSqlRepository({ client: db.client, mapping: COUNTRY_MAPPING })).toThrow(/customers\.country needs defaultCountry/);
    });
  });
}
