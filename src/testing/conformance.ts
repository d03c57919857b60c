import type { FetchLike } from '../transport/exchange.js';
import { checkDefinitions, selectChecks, type CheckId } from '../checker/checks.js';
import { CheckOptionsError, type VerifyConnectorOptions } from '../checker/options.js';
import type { CheckReport, CheckResult } from '../checker/report.js';
import { escapedLines, escapeTerminal } from '../checker/reporters/escape.js';
import { issueLines, requestsToShow } from '../checker/reporters/select.js';
import { verifyConnector } from '../checker/verify.js';
import { fetchFromHandler, type InProcessHandler } from './handler-fetch.js';

/** The checker options every conformance target accepts (everything but where and how to send requests). */
export type ConformanceCommonOptions = Omit<VerifyConnectorOptions, 'customerQueryUrl' | 'labelsUrl' | 'fetch' | 'onProgress' | 'signal'>;

/**
 * A connector reached over HTTP, by the URLs Hybrid Chat is configured with.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { type ConformanceUrlTarget, defineConnectorConformanceTests } from 'priority-routing-crm/testing';
 * const target: ConformanceUrlTarget = {
 *   customerQueryUrl: 'http://127.0.0.1:3000/customer?query=phone:{refId}',
 *   labelsUrl: 'http://127.0.0.1:3000/label',
 *   phones: ['1111'],
 * };
 * defineConnectorConformanceTests(target, { describe, it });
 * ```
 */
export interface ConformanceUrlTarget extends ConformanceCommonOptions {
  customerQueryUrl: string;
  labelsUrl: string;
  /** The `fetch` to use; global `fetch` by default. */
  fetch?: FetchLike | undefined;
}

/**
 * A connector called in-process: no server, no port.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { createFetchHandler } from 'priority-routing-crm/fetch';
 * import { type ConformanceHandlerTarget, defineConnectorConformanceTests } from 'priority-routing-crm/testing';
 * const target: ConformanceHandlerTarget = { handler: createFetchHandler({ repository, basePath: '/cim' }), basePath: '/cim', phones: ['1111', '+923001234567'] };
 * defineConnectorConformanceTests(target, { describe, it });
 * ```
 */
export interface ConformanceHandlerTarget extends ConformanceCommonOptions {
  /** `connector.handle`, `connector.fetch`, a Hono app's `app.fetch`, …. */
  handler: InProcessHandler;
  /** The base path the connector is mounted under (`/cim`); none by default. */
  basePath?: string | undefined;
}

/**
 * What to check: URLs or an in-process handler, plus the phones and options of `verifyConnector`.
 *
 * @example
 * ```ts
 * import { type ConformanceTarget } from 'priority-routing-crm/testing';
 * const target: ConformanceTarget = process.env.CONNECTOR_URL
 *   ? { customerQueryUrl: `${process.env.CONNECTOR_URL}/customer?query=phone:{refId}`, labelsUrl: `${process.env.CONNECTOR_URL}/label`, phones: ['1111'] }
 *   : { handler: connector.handle, phones: ['1111'] };
 * ```
 */
export type ConformanceTarget = ConformanceUrlTarget | ConformanceHandlerTarget;

/**
 * A test body as the kit registers it. It declares no parameter, so that jest does not take one
 * for a `done` callback, but reads vitest's test context (`context.skip()`) when it gets one.
 *
 * @example
 * ```ts
 * import { type TestBody } from 'priority-routing-crm/testing';
 * const body: TestBody = async () => {};
 * ```
 */
export type TestBody = (...args: unknown[]) => Promise<void>;

/**
 * The bits of vitest's or jest's API the kit needs; both fit as they are.
 *
 * @example
 * ```ts
 * import { type TestApi } from 'priority-routing-crm/testing';
 * import { describe, it } from 'vitest'; // or: import { describe, it } from '@jest/globals';
 * const api: TestApi = { describe, it };
 * ```
 */
export interface TestApi {
  describe: (name: string, body: () => void) => unknown;
  it: ((name: string, body: TestBody, timeout?: number) => unknown) & {
    skip?: ((name: string, body: TestBody, timeout?: number) => unknown) | undefined;
  };
}

/**
 * Options of {@link defineConnectorConformanceTests}.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { defineConnectorConformanceTests } from 'priority-routing-crm/testing';
 * const target = { handler: connector.handle, phones: ['1111'] };
 * defineConnectorConformanceTests(target, { describe, it, name: 'CRM connector', failOnWarn: true, failOnSkip: true, testTimeoutMs: 30_000 });
 * ```
 */
export interface ConformanceOptions {
  /** The test runner's `describe`; the global one by default. */
  describe?: TestApi['describe'] | undefined;
  /** The test runner's `it`; the global one by default. */
  it?: TestApi['it'] | undefined;
  /** The `describe` block's name; "priority-routing-crm conformance" by default. */
  name?: string | undefined;
  /** Fail the test of a check that only warns; `false` by default. */
  failOnWarn?: boolean | undefined;
  /**
   * Fail the test of a check that skipped while running (say, no label list to read ids from);
   * `false` by default. Otherwise such a test is marked skipped where the runner can do that at
   * run time (vitest's `context.skip()`), and passes where it cannot (jest). Checks that cannot
   * run with the given options (`priority` without weights) are registered with `it.skip`.
   */
  failOnSkip?: boolean | undefined;
  /** Time limit of each test case (the first one runs every request); 60 000 ms by default. */
  testTimeoutMs?: number | undefined;
}

const IN_PROCESS_ORIGIN = 'http://connector.test';

/**
 * A check that failed in a conformance test; the message has the findings and curl commands.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { ConformanceError, defineConnectorConformanceTests, type TestBody } from 'priority-routing-crm/testing';
 * // Log a failed check's issues as data as well as in the message.
 * const logged = (name: string, body: TestBody) => it(name, async () => {
 *   try { await body(); } catch (error) { if (error instanceof ConformanceError) console.log(error.result.issues); throw error; }
 * });
 * defineConnectorConformanceTests({ handler: connector.handle, phones: ['1111'] }, { describe, it: logged });
 * ```
 */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
  /** The check's full result. */
  readonly result: CheckResult;
  constructor(result: CheckResult) {
    // The runner prints this on a terminal: a connector's control characters are shown escaped.
    const indented = [...issueLines(result, 50), ...requestsToShow(result).map((request) => request.curl)].map((line) => `  ${escapeTerminal(line)}`);
    super([...escapedLines(`${result.id}: ${result.detail}`), ...indented].join('\n'));
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
 * commands when its check failed. A check that skips at run time is marked skipped under
 * vitest and passes under jest, unless `failOnSkip`. Pass `describe` and `it`, or run with test
 * globals enabled. Throws `CheckOptionsError` when `only` and `skip` leave no check.
 *
 * @example
 * ```ts
 * // connector.conformance.test.ts
 * import { describe, it } from 'vitest';
 * import { defineConnectorConformanceTests } from 'priority-routing-crm/testing';
 * // `connector`: your createConnector({ repository }), e.g. imported from '../src/connector.js'.
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
  const selected = selectChecks(target);
  if (selected.size === 0) throw new CheckOptionsError('defineConnectorConformanceTests: only and skip leave no check to run');

  async function outcome(id: CheckId, context: unknown): Promise<void> {
    report ??= verifyConnector(verify);
    const result = (await report).checks.find((check) => check.id === id)!;
    const failed = result.status === 'fail' || (result.status === 'warn' && options.failOnWarn === true);
    if (failed || (result.status === 'skip' && options.failOnSkip === true)) throw new ConformanceError(result);
    if (result.status === 'skip') runtimeSkip(context)?.(result.detail);
  }

  describe(options.name ?? 'priority-routing-crm conformance', () => {
    for (const { id, title } of checkDefinitions.filter((check) => selected.has(check.id))) {
      const register = statically(id, target) && typeof it.skip === 'function' ? it.skip.bind(it) : it;
      register(
        `${id}: ${title}`,
        // No declared parameter (see TestBody): vitest's context arrives in `arguments`.
        async function body() {
          return outcome(id, arguments[0]);
        },
        timeout,
      );
    }
  });
}

/** vitest's `context.skip(note)`, when the runner passed a context that has it. */
function runtimeSkip(context: unknown): ((note: string) => void) | undefined {
  // vitest's context is a function object, so look at any object.
  const skip = (typeof context === 'object' && context !== null) || typeof context === 'function' ? (context as { skip?: unknown }).skip : undefined;
  return typeof skip === 'function' ? (note) => (skip as (note: string) => void)(note) : undefined;
}
