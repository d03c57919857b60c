import { ProblemSchema, type Problem } from '../contract/index.js';
import type { Outcome } from '../contract/result.js';
import { parseJsonBody } from '../transport/body.js';
import { exchange, type ExchangeResult } from '../transport/exchange.js';
import { toCurl } from './curl.js';
import type { Endpoint, ResolvedOptions } from './options.js';
import type { CheckRequest } from './report.js';

/**
 * What the checker read from a body when it arrived. The body itself is not kept: a run may send
 * any number of phones, each answer up to `maxBodyBytes`, and 1 MiB of nested arrays parses to
 * 30 MB; what the checks need from it is a few facts, and these.
 */
export interface BodyFacts {
  /** Whether the body parsed as JSON. */
  json: boolean;
  /** Whether it was empty or only white space. */
  empty: boolean;
  /** For an error answer (4xx, 5xx), the RFC 9457 problem it is, with its texts masked and cut to {@link MAX_PROBLEM_TEXT} characters. */
  problem: Problem | undefined;
  /** For an error answer, whether it shows a stack frame. */
  stackTrace: boolean;
}

/**
 * One request the checker sent and what it learned from it: small, whatever the body was.
 */
export interface Observation {
  /** Which response this is, for issues: `phone 1111`, `label list`, `POST customer URL`. */
  subject: string;
  /** The outcome, a response's `body` released (`""`): read {@link body} instead. */
  result: ExchangeResult;
  /** The request as reports show it, with its curl command. */
  request: CheckRequest;
  body: BodyFacts;
}

/**
 * An observation and its body parsed as JSON, for the caller to judge at once and let go.
 */
export interface Received {
  observation: Observation;
  json: Outcome<unknown, Record<never, never>>;
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
  send(probe: Probe): Promise<Received>;
}

/** The longest problem title or detail kept; a connector may send a megabyte of it. */
export const MAX_PROBLEM_TEXT = 500;

// A Node.js frame "at fn (/app/x.js:1:2)" or a JVM frame "at com.x.Y.z(Y.java:12)".
const STACK_FRAME = /\bat (?:[\w$.<>[\] ]+ \()?(?:file:|node:|\/|[A-Za-z]:\\)[^\s)]*:\d+:\d+|\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)/;

// Masked before it is cut, so that no part of a secret survives the cut unmasked.
const cut = (text: string, redact: (text: string) => string) => {
  const masked = redact(text);
  return masked.length > MAX_PROBLEM_TEXT ? `${masked.slice(0, MAX_PROBLEM_TEXT)}…` : masked;
};

function problemOf(value: unknown, redact: (text: string) => string): Problem | undefined {
  const problem = ProblemSchema.safeParse(value);
  if (!problem.success) return undefined;
  const { type, title, status, detail } = problem.data;
  return { type: cut(type, redact), title: cut(title, redact), status, detail: cut(detail, redact) };
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
      const text = answered ? result.body : '';
      const parsed = answered ? parseJsonBody(text) : undefined;
      const json = parsed?.ok === true ? { ok: true as const, value: parsed.value } : { ok: false as const };
      const error = answered && result.status >= 400;
      return {
        json,
        observation: {
          subject,
          result: answered ? { ...result, body: '' } : result,
          request: { subject, method, url: shown, status: answered ? result.status : null, durationMs: answered ? result.durationMs : null, curl },
          body: {
            json: json.ok,
            empty: text.trim() === '',
            problem: error && json.ok ? problemOf(json.value, options.redactText) : undefined,
            stackTrace: error && STACK_FRAME.test(text),
          },
        },
      };
    },
  };
}
