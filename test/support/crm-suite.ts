import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ConnectorErrorEvent, type CustomerRepository, createConnector } from '../../src/index.js';
import { connectorErrorLine } from '../../src/core/error-log.js';
import { createCrmRepository, type CrmProfileName, type CrmRepository } from '../../src/crm/index.js';
import type { FakeCrm } from './fake-crm.js';

/**
 * A fake CRM for the tests of one file: started over real loopback HTTP before them, `reset`
 * (faults and records forgotten, then `afterEach`) after each, closed at the end. What it returns
 * stands for the started fake in the tests' bodies (its getters and setters included).
 */
export function useFakeCrm<F extends FakeCrm>(start: () => Promise<F>, hooks: { afterEach?: (fake: F) => void } = {}): F {
  let started: F | undefined;
  const fake = () => {
    if (started === undefined) throw new Error('the fake CRM is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    started = await start();
  });
  afterAll(() => started?.close());
  afterEach(() => {
    fake().reset();
    hooks.afterEach?.(fake());
  });
  return new Proxy({} as F, {
    get: (_, key) => {
      const value: unknown = Reflect.get(fake(), key, fake());
      return typeof value === 'function' ? value.bind(fake()) : value;
    },
    set: (_, key, value) => Reflect.set(fake(), key, value, fake()),
    has: (_, key) => Reflect.has(fake(), key),
  });
}

/** What a suite may change of the repository it makes. */
export interface RepositoryChoice<Env> {
  /** A profile object (`{ extends: 'zoho', … }`) instead of the built-in one. */
  profile?: unknown;
  /** Variables laid over the fake's environment (`undefined` takes one away). */
  env?: Env;
  timeoutMs?: number;
  fetch?: typeof fetch;
  onWarning?: (message: string) => void;
}

/**
 * A built-in profile's suite against its vendor's fake: the fake (see {@link useFakeCrm}), a
 * repository of the profile with the fake's environment (`defaultCountry` PK), and a connector over
 * one whose error log lines are kept.
 */
export function crmSuite<F extends FakeCrm, Env extends Record<string, string | undefined>>(options: {
  start: () => Promise<F>;
  profile: CrmProfileName;
  env: (fake: F, override?: Env) => Record<string, string | undefined>;
  /** The repositories' `timeoutMs` unless a test gives one (default: the repository's 3000). */
  timeoutMs?: number;
  afterEach?: (fake: F) => void;
}) {
  const fake = useFakeCrm(options.start, options.afterEach === undefined ? {} : { afterEach: options.afterEach });
  const repositoryOf = (choice: RepositoryChoice<Env> = {}): CrmRepository => {
    const timeoutMs = choice.timeoutMs ?? options.timeoutMs;
    return createCrmRepository({
      profile: (choice.profile ?? options.profile) as CrmProfileName,
      defaultCountry: 'PK',
      env: options.env(fake, choice.env),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(choice.fetch === undefined ? {} : { fetch: choice.fetch }),
      ...(choice.onWarning === undefined ? {} : { onWarning: choice.onWarning }),
    });
  };
  return { fake, repositoryOf, connectorOf };
}

/** A connector over `repository` whose error events are kept; `lines()` is its log, one line each. */
export function connectorOf(repository: CustomerRepository, timeoutMs?: number) {
  const errors: ConnectorErrorEvent[] = [];
  const connector = createConnector({ repository, defaultCountry: 'PK', ...(timeoutMs === undefined ? {} : { timeoutMs }), onError: (event) => errors.push(event) });
  return { connector, errors, lines: () => errors.map(connectorErrorLine).join('\n') };
}

/** A signal no test aborts. */
export const signal = () => new AbortController().signal;

/** The customer request Hybrid Chat sends for `phone`. */
export const customer = (phone: string) => ({ url: `/customer?query=phone:${encodeURIComponent(phone)}` });
