import type { FetchLike } from '../client/exchange.js';
import { checkDefinitions, type CheckId } from '../checker/checks.js';
import type { VerifyConnectorOptions } from '../checker/options.js';
import type { CheckReport, CheckResult } from '../checker/report.js';
import { issueLines, requestsToShow } from '../checker/reporters/select.js';
import { verifyConnector } from '../checker/verify.js';
import { fetchFromHandler, type InProcessHandler } from './handler-fetch.js';

type CommonOptions = Omit<VerifyConnectorOptions, 'customerQueryUrl' | 'labelsUrl' | 'fetch' | 'onProgress' | 'signal'>;

/** A connector reached over HTTP, by the URLs Hybrid Chat is configured with. */
export interface ConformanceUrlTarget extends CommonOptions {
  customerQueryUrl: string;
  labelsUrl: string;
  /** The `fetch` to use; global `fetch` by default. */
  fetch?: FetchLike;
}

/** A connector called in-process: no server, no port. */
export interface ConformanceHandlerTarget extends CommonOptions {
  /** `connector.handle`, `connector.fetch`, a Hono app's `app.fetch`, …. */
  handler: InProcessHandler;
  /** The base path the connector is mounted under (`/cim`); none by default. */
  basePath?: string;
}

/** What to check: URLs or an in-process handler, plus the phones and options of `verifyConnector`. */
export type ConformanceTarget = ConformanceUrlTarget | ConformanceHandlerTarget;

/** The bits of vitest's or jest's API the kit needs; both fit as they are. */
export interface TestApi {
  describe: (name: string, body: () => void) => unknown;
  it: ((name: string, body: () => Promise<void>, timeout?: number) => unknown) & {
    skip?: (name: string, body: () => Promise<void>, timeout?: number) => unknown;
  };
}

/** Options of {@link defineConnectorConformanceTests}. */
export interface ConformanceOptions extends Partial<TestApi> {
  /** The `describe` block's name; "priority-routing-crm conformance" by default. */
  name?: string;
  /** Fail the test of a check that only warns; `false` by default. */
  failOnWarn?: boolean;
  /** Time limit of each test case (the first one runs every request); 60 000 ms by default. */
  testTimeoutMs?: number;
}

const IN_PROCESS_ORIGIN = 'http://connector.test';

/**
 * A check that failed in a conformance test; the message has the findings and curl commands.
 *
 * @example
 * ```ts
 * try { await body(); } catch (error) { if (error instanceof ConformanceError) console.log(error.result.issues); }
 * ```
 */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
  /** The check's full result. */
  readonly result: CheckResult;
  constructor(result: CheckResult) {
    super([`${result.id}: ${result.detail}`, ...issueLines(result, 50).map((line) => `  ${line}`), ...requestsToShow(result).map((request) => `  ${request.curl}`)].join('\n'));
    this.result = result;
  }
}

function verifyOptions(target: ConformanceTarget): VerifyConnectorOptions {
  if ('handler' in target) {
    const { handler, basePath = '', ...rest } = target;
    const base = `${IN_PROCESS_ORIGIN}${basePath.replace(/\/+$/, '')}`;
    return { ...rest, customerQueryUrl: `${base}/customer?query=phone:{refId}`, labelsUrl: `${base}/label`, fetch: fetchFromHandler(handler) };
  }
  return target;
}

function statically(id: CheckId, target: ConformanceTarget): boolean {
  if (id === 'priority') return target.weights === undefined;
  if (id === 'customer.plus-forms') return !target.phones.some((phone) => phone.startsWith('+'));
  return false;
}

/**
 * Registers the checker's checks as test cases in the vendor's own suite (vitest or jest): one
 * `describe` block, one `it` per check, named by the check's id and title. The connector is
 * checked once, on the first test; each test then fails with the check's findings and curl
 * commands when its check failed. Pass `describe` and `it`, or run with test globals enabled.
 *
 * @example
 * ```ts
 * // connector.conformance.test.ts
 * import { describe, it } from 'vitest';
 * import { defineConnectorConformanceTests } from 'priority-routing-crm/testing';
 * import { connector } from '../src/connector.js';
 *
 * defineConnectorConformanceTests({ handler: connector.handle, phones: ['1111', '+923001234567'], weights: { Gold: 8 } }, { describe, it });
 * ```
 */
export function defineConnectorConformanceTests(target: ConformanceTarget, options: ConformanceOptions = {}): void {
  const globals = globalThis as Partial<TestApi>;
  const describe = options.describe ?? globals.describe;
  const it = options.it ?? globals.it;
  if (typeof describe !== 'function' || typeof it !== 'function') {
    throw new TypeError('defineConnectorConformanceTests: pass { describe, it } from vitest or jest, or enable test globals');
  }
  const verify = verifyOptions(target);
  let report: Promise<CheckReport> | undefined;
  const timeout = options.testTimeoutMs ?? 60_000;
  const selected = checkDefinitions.filter(({ id }) => (target.only ?? [id]).includes(id) && !(target.skip ?? []).includes(id));

  describe(options.name ?? 'priority-routing-crm conformance', () => {
    for (const { id, title } of selected) {
      const register = statically(id, target) && typeof it.skip === 'function' ? it.skip.bind(it) : it;
      register(
        `${id}: ${title}`,
        async () => {
          report ??= verifyConnector(verify);
          const result = (await report).checks.find((check) => check.id === id)!;
          if (result.status === 'fail' || (result.status === 'warn' && options.failOnWarn === true)) throw new ConformanceError(result);
        },
        timeout,
      );
    }
  });
}
