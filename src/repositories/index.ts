// Public: src/index.ts re-exports all of this (`export *`), so every name here is in the root
// entry and a semver promise. Keep internal helpers out of this file.
export {
  createMemoryRepository,
  DataSetError,
  type MemoryDataSet,
  type MemoryRepository,
  type MemoryRepositoryOptions,
} from './memory.js';
export { withCache, type CacheOptions, type CacheErrorEvent, type CacheEvent, type CacheRecoverEvent } from './cache.js';
export { withCircuitBreaker, type CircuitBreakerOperation, type CircuitBreakerOptions, type CircuitBreakerState } from './breaker.js';
export { CircuitOpenError } from './circuit-open-error.js';
