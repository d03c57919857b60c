import { callRepository } from './call.js';
import { ifNoneMatchHits, strongEtag } from './etag.js';
import { readHeader } from './headers.js';
import type { ConnectorRequest, ConnectorResponse } from './http.js';
import { type HandlerOptions, resolveSettings, type Settings } from './options.js';
import { type Exchange, failedCall, invalidData, runRoute } from './pipeline.js';
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

async function serialize(repository: CustomerRepository, records: unknown) {
  const last = lastServed.get(repository);
  // A pre-validated repository (or withCache) hands out one frozen array until its data changes:
  // the same array as last time, trusted then, is still trusted, with no lookup per request.
  if (last !== undefined && last.records === records && last.trusted) return { ok: true as const, value: last };
  const trusted = isValidated(repository) || isWireReady(records);
  const labels = wireLabels(records, trusted);
  if (!labels.ok) return labels;
  const body = JSON.stringify(labels.value);
  const etag = last !== undefined && last.body === body ? last.etag : await strongEtag(body);
  const value: Serialized = { records, trusted, body, etag };
  lastServed.set(repository, value);
  return { ok: true as const, value };
}

/**
 * Answers `GET /label` for a request already routed here.
 *
 * @example
 * ```ts
 * const response = await answerLabels(repository, { url: '/label' }, settings, { route: 'label', phone: undefined });
 * ```
 */
export async function answerLabels(
  repository: CustomerRepository,
  request: ConnectorRequest,
  settings: Settings,
  exchange: Exchange,
): Promise<ConnectorResponse> {
  const outcome = await callRepository((context) => repository.listLabels(context), settings.timeoutMs);
  if (!outcome.ok) return failedCall(outcome, settings, exchange);
  const served = await serialize(repository, outcome.value);
  if (!served.ok) return invalidData(served.issues, 'a label list', settings, exchange);
  const { body, etag } = served.value;
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
 * lies or hangs. Never rejects.
 */
export function listLabels(
  repository: CustomerRepository,
  request: ConnectorRequest = { url: '/label' },
  options?: HandlerOptions,
): Promise<ConnectorResponse> {
  const settings = resolveSettings(options);
  return runRoute('label', request, settings, (exchange) => answerLabels(repository, request, settings, exchange));
}
