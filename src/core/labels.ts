import type { Result } from '../contract/result.js';
import { type Answer, answer, traceOf } from './answer.js';
import { callRepository } from './call.js';
import { ifNoneMatchHits, strongEtag } from './etag.js';
import { failedCall, invalidData } from './failures.js';
import { readHeader } from './headers.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import { type HandlerOptions, resolveSettings, type Settings } from './options.js';
import { handleRoute, singleRoute } from './pipeline.js';
import type { CustomerRepository } from './repository.js';
import { isValidated, isWireReady, wireLabels } from './wire.js';

/** The last label list served per repository: most lists never change between requests. */
interface Serialized {
  records: unknown;
  /** Whether `records` was pre-validated and frozen, so the same array can be sent again unchecked. */
  trusted: boolean;
  body: string;
  etag: string;
}

const lastServed = new WeakMap<CustomerRepository, Serialized>();

/**
 * The serialisation of a label array while it is being served, shared by every request that got
 * the same array: a coalesced burst (withCache's shared call hands one array to 1,000 waiters)
 * validates, serialises and hashes it once instead of once per waiter. A frozen wire-ready list
 * cannot change, so its entry lives as long as the array; any other array is shared only until its
 * serialisation settles, since a repository may hand out one array and change it in place later.
 */
const serializing = new WeakMap<object, Promise<Result<Serialized>>>();

function serialize(repository: CustomerRepository, records: unknown): Promise<Result<Serialized>> | Result<Serialized> {
  const last = lastServed.get(repository);
  // A pre-validated repository (or withCache) hands out one frozen array until its data changes:
  // the same array as last time, trusted then, is still trusted, with no lookup per request.
  if (last !== undefined && last.records === records && last.trusted) return { ok: true, value: last };
  if (typeof records !== 'object' || records === null) return serializeOnce(repository, records);
  const running = serializing.get(records);
  if (running !== undefined) return running;
  const started = serializeOnce(repository, records);
  serializing.set(records, started);
  if (!isWireReady(records)) {
    const forget = () => serializing.delete(records);
    started.then(forget, forget);
  }
  return started;
}

async function serializeOnce(repository: CustomerRepository, records: unknown): Promise<Result<Serialized>> {
  const trusted = isValidated(repository) || isWireReady(records);
  const labels = wireLabels(records, trusted);
  if (!labels.ok) return labels;
  const body = JSON.stringify(labels.value);
  const last = lastServed.get(repository);
  const etag = last !== undefined && last.body === body ? last.etag : await strongEtag(body);
  const value: Serialized = { records, trusted, body, etag };
  lastServed.set(repository, value);
  return { ok: true, value };
}

const LABEL = traceOf('label');

/**
 * The steps of `GET /label` for a request already routed here and let through: repository →
 * shape (validated, serialized, tagged) → 304 or 200.
 */
export async function answerLabels(repository: CustomerRepository, request: ConnectorRequest, settings: Settings): Promise<Answer> {
  const outcome = await callRepository((context) => repository.listLabels(context), settings.timeoutMs, (done) => done);
  if (!outcome.ok) return failedCall(outcome, settings, LABEL);
  const served = await serialize(repository, outcome.value);
  if (!served.ok) return invalidData(served.issues, 'a label list', settings, LABEL);
  return answer(labelsResponse(served.value, request, settings), LABEL);
}

function labelsResponse({ body, etag }: Serialized, request: ConnectorRequest, settings: Settings): ConnectorResponse {
  const caching = { etag, 'cache-control': settings.labelsCacheControl };
  if (ifNoneMatchHits(readHeader(request, 'if-none-match'), etag)) return { status: 304, headers: caching, body: null };
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...caching },
    body,
  };
}

/**
 * Answers `GET /label` with a framework-agnostic request and response: 200 with the label list
 * (exactly the contract's fields), a strong `ETag`, `304` for a matching `If-None-Match`, the
 * configured `Cache-Control`; 405 for other methods; 500/502/504 when the repository fails,
 * lies or hangs. `request` defaults to `GET /label`; its path is not looked at. Never rejects
 * (a bug is a 500 reported to `onError`); a wrong option throws at once, as `createConnector`
 * does.
 *
 * @example
 * ```ts
 * // A router that already routes: Express answers the path, the handler the rest.
 * import express from 'express';
 * import { createMemoryRepository, listLabels, sampleDataSet } from 'priority-routing-crm';
 * const repository = createMemoryRepository(sampleDataSet);
 * const app = express();
 * app.get('/crm/v2/label', async (req, res) => {
 *   const { status, headers, body } = await listLabels(repository, { method: req.method, url: req.originalUrl, headers: req.headers });
 *   res.status(status).set(headers).send(body ?? undefined);
 * });
 * // In a unit test of a repository: (await listLabels(repository)).status === 200
 * ```
 */
export function listLabels(
  repository: CustomerRepository,
  request: ConnectorRequest = { url: '/label' },
  options?: HandlerOptions,
): Promise<ConnectorResponse> {
  const settings = resolveSettings(options);
  return handleRoute(request, singleRoute('label', settings, (asked) => answerLabels(repository, asked, settings)));
}
