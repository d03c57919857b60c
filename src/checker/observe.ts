import type { Outcome } from '../contract/result.js';
import { parseJsonBody } from '../transport/body.js';
import { exchange, type ExchangeResult } from '../transport/exchange.js';
import { toCurl } from './curl.js';
import type { Endpoint, ResolvedOptions } from './options.js';
import type { CheckRequest } from './report.js';

/**
 * One request the checker sent and what it learned from it.
 */
export interface Observation {
  /** Which response this is, for issues: `phone 1111`, `label list`, `POST customer URL`. */
  subject: string;
  result: ExchangeResult;
  /** The request as reports show it, with its curl command. */
  request: CheckRequest;
  /** The body parsed as JSON, when there was an answer and it is JSON; held weakly, so read it once per use. */
  readonly json: Outcome<unknown, Record<never, never>>;
}

/**
 * What to send.
 */
export interface Probe {
  subject: string;
  /** Which URL `url` derives from: decides which query value stays visible. */
  endpoint: Endpoint;
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
}

/**
 * Sends probes with the run's headers, timeout and fetch, and reports progress.
 */
export interface Observer {
  /** Announces `count` more requests, so the progress total is right. */
  plan(count: number): void;
  send(probe: Probe): Promise<Observation>;
}

/**
 * Makes the {@link Observer} of one run.
 */
export function createObserver(options: ResolvedOptions): Observer {
  let done = 0;
  let total = 0;
  return {
    plan(count) {
      total += count;
    },
    async send({ subject, endpoint, url, method = 'GET', body }) {
      const headers = body === undefined ? options.headers : { 'content-type': 'application/json', ...options.headers };
      // As sent (spaces encoded, `+` kept), masked for anything a person or a CI log sees.
      const shown = options.redactUrl(URL.canParse(url) ? new URL(url).href : url, endpoint);
      options.onProgress?.({ done, total: Math.max(total, done + 1), step: `${method} ${shown}` });
      const result = await exchange({
        url,
        method,
        headers,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: options.maxBodyBytes,
        ...(body === undefined ? {} : { body }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      done += 1;
      const curl = toCurl(
        {
          method,
          url: shown,
          secretHeaders: options.headers,
          ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
        },
        { showSecrets: options.showSecrets === true },
      );
      const answered = result.kind === 'response';
      let parsed: WeakRef<Observation['json']> | undefined;
      return {
        subject,
        result,
        request: {
          subject,
          method,
          url: shown,
          status: answered ? result.status : null,
          durationMs: answered ? result.durationMs : null,
          curl,
        },
        // Held only weakly, parsed again when collected: a body of 200,000 `{}` parses to tens
        // of megabytes, and a run holds a dozen answers.
        get json() {
          const cached = parsed?.deref();
          if (cached !== undefined) return cached;
          const body = answered ? parseJsonBody(result.body) : undefined;
          const json = body?.ok === true ? { ok: true as const, value: body.value } : { ok: false as const };
          parsed = new WeakRef(json);
          return json;
        },
      };
    },
  };
}
