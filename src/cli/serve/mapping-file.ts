import type { CountryCode } from '../../contract/phone-keys.js';
import { lacksDefaultCountry, parseSqlMapping, SqlMappingError, type SqlMapping } from '../../repositories/sql/mapping.js';
import { readJsonFile, UsageError } from '../usage.js';
import { SET_DEFAULT_COUNTRY } from './options.js';

/**
 * Reads and validates a `--mapping` file; a bad one is exit 1 with every bad key named.
 */
export async function readMappingFile(file: string): Promise<SqlMapping> {
  const json = await readJsonFile(file, '--mapping', (message) => new Error(message));
  try {
    return parseSqlMapping(json);
  } catch (error) {
    if (error instanceof SqlMappingError) throw new Error(`--mapping ${file}: ${error.message}`);
    throw error;
  }
}

/**
 * The default country a mapping with `customers.country` needs, when none is given: `serve`
 * stops at start on it (exit 2, before connecting) and `db check` reports it as a problem, so
 * that a `db check` that passes means `serve` starts. `advice` says how to set it.
 */
export function defaultCountryProblem(mapping: SqlMapping, defaultCountry: string | undefined, advice: string): string | undefined {
  if (!lacksDefaultCountry(mapping, defaultCountry)) return undefined;
  const column = JSON.stringify(mapping.customers.country);
  return `${column} is mapped, so the numbers of customers whose ${column} is empty are read in a default country, and none is set: ${advice}`;
}

/**
 * A mapped `customers.country` without `--default-country`, refused as the wrong option it is
 * (exit 2): `serve` checks it before opening the database, since no database state can fix it.
 */
export function refuseWithoutDefaultCountry(mapping: SqlMapping, file: string, defaultCountry: CountryCode | undefined): void {
  const country = defaultCountryProblem(mapping, defaultCountry, SET_DEFAULT_COUNTRY);
  if (country !== undefined) throw new UsageError(`--mapping ${file}: customers.country ${country}`);
}

/**
 * The `--mapping` file as `serve` takes it, checked without connecting: read and validated
 * ({@link readMappingFile}) and {@link refuseWithoutDefaultCountry}. `--print-config` runs it,
 * so that what it prints is a configuration `serve` starts with.
 */
export async function readServeMapping(file: string, defaultCountry: CountryCode | undefined): Promise<SqlMapping> {
  const mapping = await readMappingFile(file);
  refuseWithoutDefaultCountry(mapping, file, defaultCountry);
  return mapping;
}
