import type { CustomerQuery } from '../../contract/index.js';
import { type CountryCode, countryCodeProblem, isCountryCode, phoneKeyGroups, phoneKeys } from '../../contract/phone-keys.js';
import { callingCodes, planOf } from '../../contract/phone-plans.js';
import type { CustomerRepository, RepositoryContext } from '../../core/repository.js';
import { createRunner, type SqlClient } from './client.js';
import type { SqlDialect } from './dialect.js';
import { parseSqlMapping, type SqlMapping } from './mapping.js';
import { bestMatch, type CountryKeys, countryLookup, customerLookup, labelList, lookupParams, toCustomer, toLabel } from './queries.js';
import { readDigitsColumns } from './catalog-indexes.js';

const GENERATED_COLUMNS_TTL_MS = 60_000;

/**
 * Options of {@link createSqlRepository}.
 *
 * @example
 * ```ts
 * import { type SqlRepositoryOptions } from 'priority-routing-crm/sql';
 * const options: SqlRepositoryOptions = { client: pool, mapping, defaultCountry: 'PK' };
 * ```
 */
export interface SqlRepositoryOptions {
  /** A `pg` Pool or Client, PGlite (anything with `query(text, params)` → `{ rows }`), or a `mysql2/promise` Pool. */
  client: SqlClient;
  /** Where the contract's fields are: a plain object of the `--mapping` file's shape, validated here. */
  mapping: unknown;
  /** The site's country (ISO 3166-1 alpha-2) for matching national and international spellings; see `phoneKeys`. Default: the connector's `defaultCountry`. */
  defaultCountry?: CountryCode | undefined;
  /** The dialect; by default detected from the client (`getConnection` → `mysql`, else `postgres`). */
  dialect?: SqlDialect | undefined;
}

/**
 * A {@link CustomerRepository} over a SQL database, with what it was built from.
 *
 * @example
 * ```ts
 * import { type SqlRepository, createSqlRepository } from 'priority-routing-crm/sql';
 * const repository: SqlRepository = createSqlRepository({ client: pool, mapping });
 * repository.dialect; // 'postgres'
 * ```
 */
export interface SqlRepository extends CustomerRepository {
  /** The dialect the repository writes. */
  readonly dialect: SqlDialect;
  /** The validated mapping. */
  readonly mapping: SqlMapping;
}

/**
 * A repository that reads customers and labels from PostgreSQL (or PGlite) or MySQL 8 /
 * MariaDB, over a client you already have. A lookup sends one `SELECT` that compares the digits
 * of each mapped phone column with the number's `phoneKeys` (an index lookup once the indexes
 * from `priority-routing-crm db indexes` exist); values are always bound parameters and names
 * from the mapping are checked and quoted. When the request's signal aborts, the statement is
 * cancelled on the server (`pg_cancel_backend` / `KILL QUERY` from a separate connection) and
 * the connection goes back to the pool once it has stopped.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createConnector } from 'priority-routing-crm';
 * import { createSqlRepository } from 'priority-routing-crm/sql';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const repository = createSqlRepository({
 *   client: pool,
 *   defaultCountry: 'PK',
 *   mapping: {
 *     customers: { table: 'crm.contacts', id: 'id', phones: ['mobile', 'phone'], firstName: 'first_name' },
 *     labels: { table: 'crm.tags', id: 'id', name: 'name', color: 'color' },
 *     customerLabels: { table: 'crm.contact_tags', customerId: 'contact_id', labelId: 'tag_id' },
 *   },
 * });
 * const connector = createConnector({ repository });
 * ```
 */
export function createSqlRepository(options: SqlRepositoryOptions): SqlRepository {
  const mapping = parseSqlMapping(options.mapping);
  const runner = createRunner(options.client, options.dialect);
  const { defaultCountry } = options;
  if (defaultCountry !== undefined && !isCountryCode(defaultCountry)) throw new RangeError(countryCodeProblem('defaultCountry', defaultCountry));
  const keyOptions = defaultCountry === undefined ? {} : { defaultCountry };
  if (mapping.customers.country !== undefined && defaultCountry === undefined) {
    throw new RangeError('a mapping with customers.country needs defaultCountry: the country of customers whose country column is empty');
  }
  // MariaDB's phone indexes are on generated columns (`db indexes`), which a query must name.
  // Which exist (generated columns whose expression is a phone column's digits) is read from the
  // catalog, again after a minute (so columns added while serving are used without a restart)
  // and after a failure to read it.
  let digitsColumns: Promise<ReadonlyMap<string, string>> | undefined;
  let readAt = 0;
  const generatedColumns = () => {
    if (digitsColumns === undefined || Date.now() - readAt > GENERATED_COLUMNS_TTL_MS) {
      readAt = Date.now();
      digitsColumns = readDigitsColumns(runner, mapping.customers.table, mapping.customers.phones).catch((error: unknown) => {
        digitsColumns = undefined;
        throw error;
      });
    }
    return digitsColumns;
  };
  // The statement's text depends only on how many keys there are and on the generated columns:
  // built once per key count (building it quotes every name, ~25 µs a lookup).
  const lookupTexts = new Map<number, string>();
  let textsFor: ReadonlyMap<string, string> | undefined;
  const lookupText = (count: number, generated: ReadonlyMap<string, string> | undefined) => {
    if (generated !== textsFor) {
      lookupTexts.clear();
      textsFor = generated;
    }
    let text = lookupTexts.get(count);
    if (text === undefined) {
      text = customerLookup(runner.dialect, mapping, Array.from({ length: count }, () => ''), generated).text;
      lookupTexts.set(count, text);
    }
    return text;
  };
  return {
    dialect: runner.dialect,
    mapping,
    findCustomerByPhone: async (query: CustomerQuery, { signal }: RepositoryContext) => {
      if (mapping.customers.country !== undefined) {
        const groups = phoneKeyGroups(query.phone, keyOptions, true);
        if (groups.all.every((key) => key === '')) return null;
        const generated = runner.dialect === 'mysql' ? await generatedColumns() : undefined;
        const { text, params } = countryLookup(runner.dialect, mapping, countryKeys(groups, defaultCountry as CountryCode), generated);
        return bestMatch((await runner.run(text, params, signal)).map(toCustomer), groups.all);
      }
      // Without a country of its own, the connector's (`query.phoneKeys`, set by its handlers) applies.
      const asked = defaultCountry === undefined && query.phoneKeys !== undefined ? query.phoneKeys : phoneKeys(query.phone, keyOptions);
      const keys = [...new Set(asked.filter((key) => key !== ''))];
      if (keys.length === 0) return null;
      const generated = runner.dialect === 'mysql' ? await generatedColumns() : undefined;
      const rows = await runner.run(lookupText(keys.length, generated), lookupParams(runner.dialect, mapping, keys), signal);
      return bestMatch(rows.map(toCustomer), keys);
    },
    listLabels: async ({ signal }: RepositoryContext) => {
      const { text, params } = labelList(runner.dialect, mapping);
      return (await runner.run(text, params, signal)).map(toLabel);
    },
  };
}

/** The values a country column may hold for a calling code: its countries' ISO codes, the code, `+` and the code. */
function countryValues(callingCode: string): string[] {
  return [...(callingCodes[callingCode] ?? []), callingCode, `+${callingCode}`];
}

/** {@link CountryKeys} from the asked number's key groups; the default country's national keys also match rows with no country. */
function countryKeys(groups: ReturnType<typeof phoneKeyGroups>, defaultCountry: CountryCode): CountryKeys {
  const home = planOf(defaultCountry).callingCode;
  return {
    international: groups.international.filter((key) => key !== ''),
    national: [...groups.national].map(([callingCode, keys]) => ({ keys, countries: countryValues(callingCode), home: callingCode === home })),
  };
}
