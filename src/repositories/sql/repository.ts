import type { CustomerQuery } from '../../contract/index.js';
import { type CountryCode, countryCodeProblem, isCountryCode, phoneKeyGroups, phoneKeys } from '../../contract/phone-keys.js';
import { callingCodes, planOf } from '../../contract/phone-plans.js';
import { abortWatchOf } from '../../core/call.js';
import type { CustomerRepository, RepositoryContext } from '../../core/repository.js';
import { createRunner, type SqlClient } from './client.js';
import type { SqlDialect } from './dialect.js';
import { lacksDefaultCountry, parseSqlMapping, type SqlMapping } from './mapping.js';
import { bestMatch, type CountryKeys, countryLookup, customerLookup, labelList, lookupParams, toCustomer, toLabel } from './queries.js';
import { readDigitsColumns } from './catalog-indexes.js';
import { phoneKeysTableOf, readPhoneKeysState } from './phone-keys.js';

const CATALOG_TTL_MS = 60_000;

/** What the catalog says the lookup can use: MariaDB's generated digits columns, the phone-key table. */
interface LookupCatalog {
  digitsColumns: ReadonlyMap<string, string> | undefined;
  phoneKeysTable: string | undefined;
}

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
  /**
   * How lookups find customers, read from the catalog (again after a minute): `phone keys in
   * <table>` when `db indexes --phone-keys` built the phone-key table for this mapping, else
   * `phone columns`. For the start-up log.
   */
  describeLookup(): Promise<string>;
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
  if (lacksDefaultCountry(mapping, defaultCountry)) {
    throw new RangeError('a mapping with customers.country needs defaultCountry: the country of customers whose country column is empty');
  }
  // What the lookup can use is read from the catalog, again after a minute (so indexes added
  // while serving are used without a restart) and after a failure to read it: MariaDB's phone
  // indexes are on generated columns (`db indexes`), which a query must name; the phone-key
  // table (`db indexes --phone-keys`) on both engines, when it was built for this mapping.
  let catalog: Promise<LookupCatalog> | undefined;
  let readAt = 0;
  const readCatalog = async (): Promise<LookupCatalog> => {
    const [digitsColumns, phoneKeys] = await Promise.all([
      runner.dialect === 'mysql' ? readDigitsColumns(runner, mapping.customers.table, mapping.customers.phones) : undefined,
      readPhoneKeysState(runner, mapping),
    ]);
    return { digitsColumns, phoneKeysTable: phoneKeys === 'ready' ? phoneKeysTableOf(mapping) : undefined };
  };
  const lookupCatalog = () => {
    if (catalog === undefined || Date.now() - readAt > CATALOG_TTL_MS) {
      readAt = Date.now();
      catalog = readCatalog().catch((error: unknown) => {
        catalog = undefined;
        throw error;
      });
    }
    return catalog;
  };
  // The statement's text depends only on how many keys there are and on the catalog: built once
  // per key count (building it quotes every name, ~25 µs a lookup).
  const lookupTexts = new Map<number, string>();
  let textsFor: LookupCatalog | undefined;
  const lookupText = (count: number, found: LookupCatalog) => {
    if (found !== textsFor) {
      lookupTexts.clear();
      textsFor = found;
    }
    let text = lookupTexts.get(count);
    if (text === undefined) {
      text = customerLookup(runner.dialect, mapping, Array.from({ length: count }, () => ''), found.digitsColumns, found.phoneKeysTable).text;
      lookupTexts.set(count, text);
    }
    return text;
  };
  const labels = labelList(runner.dialect, mapping);
  return {
    dialect: runner.dialect,
    mapping,
    findCustomerByPhone: async (query: CustomerQuery, context: RepositoryContext) => {
      // The connector's abort of this call without an AbortSignal of its own (~20 µs a lookup).
      const signal = abortWatchOf(context);
      if (mapping.customers.country !== undefined) {
        const groups = phoneKeyGroups(query.phone, keyOptions, true);
        if (groups.all.every((key) => key === '')) return null;
        const found = await lookupCatalog();
        const { text, params } = countryLookup(runner.dialect, mapping, countryKeys(groups, defaultCountry as CountryCode), found.digitsColumns, found.phoneKeysTable);
        return bestMatch((await runner.run(text, params, signal)).map(toCustomer), groups.all);
      }
      // Without a country of its own, the connector's (`query.phoneKeys`, set by its handlers) applies.
      const asked = defaultCountry === undefined && query.phoneKeys !== undefined ? query.phoneKeys : phoneKeys(query.phone, keyOptions);
      const keys = distinctKeys(asked);
      if (keys.length === 0) return null;
      const found = await lookupCatalog();
      const rows = await runner.run(lookupText(keys.length, found), lookupParams(runner.dialect, mapping, keys, found.phoneKeysTable), signal, true);
      return bestMatch(rows.map(toCustomer), keys);
    },
    // Prepared like the lookup (a named pg statement, mysql2's execute), though it has no values.
    listLabels: async (context: RepositoryContext) => (await runner.run(labels.text, labels.params, abortWatchOf(context), true)).map(toLabel),
    describeLookup: async () => {
      const { phoneKeysTable } = await lookupCatalog();
      return phoneKeysTable === undefined ? 'phone columns' : `phone keys in ${phoneKeysTable}`;
    },
  };
}

/** The non-empty keys, each once, in their order: a lookup has one to a few, so a loop, not a Set. */
function distinctKeys(keys: readonly string[]): string[] {
  const distinct: string[] = [];
  for (const key of keys) if (key !== '' && !distinct.includes(key)) distinct.push(key);
  return distinct;
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
