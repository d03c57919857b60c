export {
  createMemoryRepository,
  DataSetError,
  type MemoryDataSet,
  type MemoryRepository,
  type MemoryRepositoryOptions,
} from './memory.js';
export { withCache, type CacheOptions, type CacheErrorEvent, type CacheEvent } from './cache.js';
export { withCircuitBreaker, type CircuitBreakerOptions, type CircuitBreakerState } from './breaker.js';
export { CircuitOpenError } from './circuit-open-error.js';
