import type { CustomerRepository } from '../../core/repository.js';
import { CircuitOpenError } from '../../repositories/circuit-open-error.js';
import type { ServeLogger } from './logging.js';

/**
 * The database could not be reached (refused, timed out, no such host yet, starting up): worth
 * retrying while `serve --database-wait` lasts. Other failures (a wrong password, no such
 * database, a mapping that does not match) are not.
 */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

/** A repository opened from the database, and how to let go of it. */
export interface OpenedSource {
  repository: CustomerRepository;
  describe: string;
  close(): Promise<void>;
  /** Why a call of `repository` failed, for the log: the driver's message, password redacted. */
  reason?(error: unknown): string;
}

/** What `serve` runs on while it waits: answers 503 until connected, and says so if it gives up. */
export interface WaitingSource extends OpenedSource {
  /** Resolves (never rejects) with the error that ends the wait unconnected; stays pending otherwise. */
  failure?: Promise<Error>;
  /** Whether the database is connected yet (absent: it was at once). */
  connected?: () => boolean;
}

const notConnected = () => {
  throw new CircuitOpenError(1);
};

/**
 * `repository` behind a gate that fails fast (503, `Retry-After: 1`) until `connected()`: put
 * around the cache and breaker, so that calls during the wait neither count as CRM failures
 * (the breaker would still be open for its cooldown once connected) nor log label refreshes.
 */
export function untilConnected(repository: CustomerRepository, connected: (() => boolean) | undefined): CustomerRepository {
  if (connected === undefined) return repository;
  return {
    findCustomerByPhone: (query, context) => (connected() ? repository.findCustomerByPhone(query, context) : notConnected()),
    listLabels: (context) => (connected() ? repository.listLabels(context) : notConnected()),
  };
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

/**
 * Connects with `connect`; when the database cannot be reached ({@link DatabaseUnreachableError})
 * and `waitMs` > 0, returns at once a source that is not connected yet, so that `serve` listens,
 * `/healthz` answers and `/readyz` (and every lookup) answers 503, while `connect` is retried in
 * the background with doubling delays (0.5 s up to 5 s), each try logged. Once it connects the
 * repository is switched in; when `waitMs` has passed or a failure retrying cannot fix comes
 * (a wrong password, a mapping that does not match), `failure` resolves with the error and
 * `serve` stops with exit 1. `waitMs` 0 is the old behaviour: the first error is thrown.
 */
export async function connectOrWait(
  connect: () => Promise<OpenedSource>,
  options: { waitMs: number; describe: string; log?: Pick<ServeLogger, 'info' | 'warn'> | undefined },
): Promise<WaitingSource> {
  const started = Date.now();
  let lastError: DatabaseUnreachableError;
  try {
    return await connect();
  } catch (error) {
    if (!(error instanceof DatabaseUnreachableError) || options.waitMs === 0) throw error;
    lastError = error;
  }
  let current: CustomerRepository | undefined;
  let opened: OpenedSource | undefined;
  let closed = false;
  let wake = () => {};
  // Until connected, every call fails fast as a shielded CRM does: 503 with Retry-After.
  const repository: CustomerRepository = {
    findCustomerByPhone: (query, context) => (current === undefined ? notConnected() : current.findCustomerByPhone(query, context)),
    listLabels: (context) => (current === undefined ? notConnected() : current.listLabels(context)),
  };
  const logTry = (attempt: number, error: Error, nextInMs: number) =>
    options.log?.warn(`database not reachable (try ${attempt}), /readyz answers 503; next try in ${nextInMs} ms`, {
      reason: error.message,
      waitedMs: Date.now() - started,
      databaseWaitMs: options.waitMs,
    });

  const failure = (async (): Promise<Error> => {
    let delay = FIRST_DELAY_MS;
    for (let attempt = 1; ; attempt++) {
      const left = options.waitMs - (Date.now() - started);
      if (left <= 0) return new Error(`${lastError.message} (still unreachable after --database-wait ${options.waitMs} ms)`);
      const next = Math.min(delay, left);
      logTry(attempt, lastError, next);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, next);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      if (closed) return new Promise<never>(() => {});
      try {
        const source = await connect();
        if (closed) {
          await source.close().catch(() => {});
          return new Promise<never>(() => {});
        }
        opened = source;
        current = source.repository;
        options.log?.info('database connected', { source: source.describe, attempts: attempt + 1, waitedMs: Date.now() - started });
        return new Promise<never>(() => {});
      } catch (error) {
        if (!(error instanceof DatabaseUnreachableError)) return error instanceof Error ? error : new Error(String(error));
        lastError = error;
      }
    }
  })();
  return {
    repository,
    describe: `${options.describe}, not connected yet: retrying for up to ${options.waitMs} ms, as --database-wait allows`,
    failure,
    connected: () => current !== undefined,
    // Calls reach the repository (and fail) only once connected: `opened` says why.
    reason: (error) => opened?.reason?.(error) ?? (error instanceof Error ? error.name : typeof error),
    close: async () => {
      closed = true;
      wake();
      await opened?.close();
    },
  };
}
