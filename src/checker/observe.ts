import { parseJsonBody } from '../client/body.js';
import { exchange, type ExchangeResult } from '../client/exchange.js';
import { toCurl } from './curl.js';
import type { ResolvedOptions } from './options.js';
import type { CheckRequest } from './report.js';

/** One request the checker sent and what it learned from it. */
export interface Observation {
  /** Which response this is, for issues: `phone 1111`, `label list`, `POST customer URL`. */
  subject: string;
  result: ExchangeResult;
  /** The request as reports show it, with its curl command. */
  request: CheckRequest;
  /** The body parsed as JSON, when there was an answer and it is JSON. */
  json: { ok: true; value: unknown } | { ok: false };
}

/** What to send. */
export interface Probe {
  subject: string;
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
}

/** Sends probes with the run's headers, timeout and fetch, and reports progress. */
export interface Observer {
  /** Announces `count` more requests, so the progress total is right. */
  plan(count: number): void;
  send(probe: Probe): Promise<Observation>;
}

/** Makes the {@link Observer} of one run. */
export function createObserver(options: ResolvedOptions): Observer {
  let done = 0;
  let total = 0;
  return {
    plan(count) {
      total += count;
    },
    async send({ subject, url, method = 'GET', body }) {
      const headers = body === undefined ? options.headers : { 'content-type': 'application/json', ...options.headers };
      const sent = new URL(url).href;
      options.onProgress?.({ done, total: Math.max(total, done + 1), step: `${method} ${sent}` });
      const result = await exchange({
        url: sent,
        method,
        headers,
        timeoutMs: options.timeoutMs,
        ...(body === undefined ? {} : { body }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      done += 1;
      const curl = toCurl(
        {
          method,
          url: sent,
          secretHeaders: options.headers,
          ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
        },
        { showSecrets: options.showSecrets === true },
      );
      const answered = result.kind === 'response';
      const parsed = answered ? parseJsonBody(result.body) : undefined;
      return {
        subject,
        result,
        request: {
          subject,
          method,
          url: sent,
          status: answered ? result.status : null,
          durationMs: answered ? result.durationMs : null,
          curl,
        },
        json: parsed?.ok === true ? { ok: true, value: parsed.value } : { ok: false },
      };
    },
  };
}
