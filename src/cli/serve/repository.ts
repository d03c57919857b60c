import { createMemoryRepository, DataSetError, type MemoryDataSet } from '../../repositories/memory.js';
import { countNationalNumbers, nationalNumbersWarning } from '../../repositories/national-numbers.js';
import { sampleDataSet } from '../../reference/sample-data.js';
import type { CustomerRepository } from '../../core/repository.js';
import { maskDatabaseUrl } from '../../repositories/sql/open.js';
import { connectOrWait } from './database-wait.js';
import type { ServeLogger } from './logging.js';
import { parseCustomerQuery } from '../../contract/query.js';
import { DEFAULT_DATABASE_WAIT_MS, type ServeConfig, SET_DEFAULT_COUNTRY } from './options.js';

/**
 * Where `serve` gets its customers and labels, and how to let go of them at shutdown (a
 * database pool's `end()`). `describe` is the banner's "(sample data: 7 customers, 5 labels)".
 */
export interface RepositorySource {
  repository: CustomerRepository;
  describe: string;
  /** A phone number that is in the data, for the banner's `Try: curl` line; none for a database. */
  samplePhone?: string;
  /** The embedded sample data (neither `--data` nor `--database`): warned about where others can reach it. */
  sampleData?: boolean;
  /** Called once at shutdown, after the last request; may be async. */
  close?: () => unknown;
  /** A database still being waited for (`--database-wait`): resolves with the error that ends the wait unconnected. */
  failure?: Promise<Error>;
  /** A database still being waited for: whether it is connected now. */
  connected?: () => boolean;
  /** What the operator should know before trusting the answers (national numbers with no default country), logged at start. */
  warnings?: readonly string[];
  /** Why a call of `repository` failed, for the log (a database: the driver's message, password redacted); else only the error's name is logged. */
  reason?: (error: unknown) => string;
  /** What `/readyz` asks instead of `repository` (a CRM source: ready once it has read the labels once). */
  readiness?: CustomerRepository;
}

/** Opens the repository a resolved configuration names: `--database`, `--data`, else the sample data. */
export type OpenRepository = (config: ServeConfig, log?: Pick<ServeLogger, 'info' | 'warn'>) => Promise<RepositorySource>;

export const openRepository: OpenRepository = async (config, log) => {
  const { database } = config;
  if (database !== undefined) {
    // A database that is down at start is waited for (serve listens, /readyz 503), as an orchestrator expects.
    // The SQL code (and its mapping schemas) is loaded only for a database: the sample data and
    // --data files start without it.
    return connectOrWait(async () => (await import('./database.js')).openDatabaseSource({ ...config, database }), {
      waitMs: config.databaseWait ?? DEFAULT_DATABASE_WAIT_MS,
      describe: maskDatabaseUrl(database),
      log,
    });
  }
  if (config.crm !== undefined) {
    const { openCrmRepository, readyOnce } = await import('./crm.js');
    const repository = await openCrmRepository({ ...config, crm: config.crm }, process.env);
    return { repository, describe: `CRM ${repository.profileName}`, readiness: readyOnce(repository), close: () => repository.close() };
  }
  // The streaming parser is loaded only for a --data file: the sample data starts without it.
  const file = config.data === undefined ? undefined : await (await import('./data-file.js')).readDataFile(config.data, (message) => new Error(message));
  // Not `??`: a file holding `null` is a data set the check below refuses, never the sample data.
  const data = file === undefined ? sampleDataSet : file.data;
  let repository: CustomerRepository;
  try {
    repository = createMemoryRepository(data, { defaultCountry: config.defaultCountry, countryField: config.countryField });
  } catch (error) {
    if (file !== undefined && error instanceof DataSetError) throw new Error(`--data ${config.data}: ${located(error, file.locate).message}`);
    throw error;
  }
  const source = config.data ?? 'sample data';
  const samplePhone = tryablePhone(data);
  // Every record: reading the numbers costs far less than the index the repository just built.
  const national =
    config.defaultCountry === undefined
      ? nationalNumbersWarning(countNationalNumbers(withoutOwnCountry(data.customers, config.countryField).flatMap((customer) => PHONE_FIELDS.map((field) => customer[field]))), `stored phone numbers in ${source}`, SET_DEFAULT_COUNTRY)
      : undefined;
  return {
    repository,
    describe: `${source}: ${data.customers?.length ?? 0} customers, ${data.labels?.length ?? 0} labels`,
    ...(samplePhone === undefined ? {} : { samplePhone }),
    ...(config.data === undefined ? { sampleData: true } : {}),
    ...(national === undefined ? {} : { warnings: [national] }),
  };
};

/** The same problems, each with the line of its record in front when the file is JSON Lines. */
function located(error: DataSetError, locate: (issue: DataSetError['issues'][number]) => string | undefined): DataSetError {
  return new DataSetError(error.issues.map((issue) => {
    const line = locate(issue);
    return line === undefined ? issue : { ...issue, message: `${issue.message} (${line})` };
  }));
}

const PHONE_FIELDS = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;

/** The first number in the data that a query can find: customers may keep theirs on phone2..phone5 only. */
function tryablePhone(data: MemoryDataSet): string | undefined {
  for (const customer of data.customers) {
    for (const field of PHONE_FIELDS) {
      const phone = customer[field];
      if (typeof phone === 'string' && phone !== '' && parseCustomerQuery(`phone:${phone}`).ok) return phone;
    }
  }
  return undefined;
}

/** The customers whose numbers are read in the default country: a record with its own country (`--country-field`) is read in that one, national spellings included. */
const withoutOwnCountry = (customers: MemoryDataSet['customers'], countryField: string | undefined): MemoryDataSet['customers'] =>
  countryField === undefined
    ? customers
    : customers.filter((customer) => {
        const country = (customer as unknown as Record<string, unknown>)[countryField];
        return country === undefined || country === null || (typeof country === 'string' && country.trim() === '');
      });
