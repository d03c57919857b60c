import { createMemoryRepository, DataSetError, type MemoryDataSet } from '../../repositories/memory.js';
import { sampleDataSet } from '../../reference/sample-data.js';
import type { CustomerRepository } from '../../core/repository.js';
import { openDatabaseSource } from './database.js';
import { parseCustomerQuery } from '../../contract/query.js';
import type { ServeConfig } from './options.js';

/**
 * Where `serve` gets its customers and labels, and how to let go of them at shutdown (a
 * database pool's `end()`). `describe` is the banner's "(sample data: 7 customers, 5 labels)".
 */
export interface RepositorySource {
  repository: CustomerRepository;
  describe: string;
  /** A phone number that is in the data, for the banner's `Try: curl` line; none for a database. */
  samplePhone?: string;
  /** Called once at shutdown, after the last request; may be async. */
  close?: () => unknown;
}

/** Opens the repository a resolved configuration names: `--database`, `--data`, else the sample data. */
export type OpenRepository = (config: ServeConfig) => Promise<RepositorySource>;

export const openRepository: OpenRepository = async (config) => {
  if (config.database !== undefined) return openDatabaseSource({ ...config, database: config.database });
  // The streaming parser is loaded only for a --data file: the sample data starts without it.
  const file = config.data === undefined ? undefined : await (await import('./data-file.js')).readDataFile(config.data, (message) => new Error(message));
  const data = file?.data ?? sampleDataSet;
  let repository: CustomerRepository;
  try {
    repository = createMemoryRepository(data, { defaultCountry: config.defaultCountry });
  } catch (error) {
    if (file !== undefined && error instanceof DataSetError) throw new Error(`--data ${config.data}: ${located(error, file.locate).message}`);
    throw error;
  }
  const source = config.data ?? 'sample data';
  const samplePhone = tryablePhone(data);
  return {
    repository,
    describe: `${source}: ${data.customers?.length ?? 0} customers, ${data.labels?.length ?? 0} labels`,
    ...(samplePhone === undefined ? {} : { samplePhone }),
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
