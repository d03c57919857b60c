import { createMemoryRepository } from '../../src/repositories/index.js';
import { sampleDataSet } from '../../src/reference/sample-data.js';
import type { CustomerRepository } from '../../src/core/repository.js';

/** A fresh repository over the reference data set, which the contract cases expect. */
export const referenceRepository = (): CustomerRepository => createMemoryRepository(sampleDataSet);
