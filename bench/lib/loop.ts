import type { ConnectorRequest } from '../../src/index.js';
import { customerUrls } from './customers.js';

/** An answer to a request, sync or async: both are awaited the same way. */
export type Answer = (request: ConnectorRequest) => unknown;

const REQUEST_COUNT = 1 << 16;

/** 65,536 prepared `GET /customer` requests for random existing phones among `population`. */
export function prepareRequests(population: number, seed?: number): ConnectorRequest[] {
  return customerUrls(population, REQUEST_COUNT, seed).map((url) => ({ method: 'GET', url, headers: { host: '127.0.0.1' } }));
}

/**
 * Nanoseconds per request for `count` requests answered one after another, each awaited (an
 * awaited sync value costs a microtask too, so async and sync answers are measured alike).
 */
export async function nsPerRequest(answer: Answer, requests: readonly ConnectorRequest[], count: number): Promise<number> {
  const mask = requests.length - 1;
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) await answer(requests[index & mask] as ConnectorRequest);
  return Number(process.hrtime.bigint() - start) / count;
}
