export { createMemoryRepository, DataSetError, type MemoryDataSet, type MemoryRepository } from './memory.js';
export { sampleDataSet, samplePhones } from './sample-data.js';
