import { createMemoryRepository, sampleDataSet } from '../../src/reference/index.js';
import type { CustomerRepository } from '../../src/server/repository.js';

/** A fresh repository over the reference data set, which the contract cases expect. */
export const referenceRepository = (): CustomerRepository => createMemoryRepository(sampleDataSet);
