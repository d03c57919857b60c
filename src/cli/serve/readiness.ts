import { isThenable } from '../../core/call.js';
import type { CustomerRepository, LabelRecord, MaybePromise } from '../../core/repository.js';
import { problemDetails } from '../../core/problems.js';
import { keepValidated } from '../../core/wire.js';

/** Why the repository check failed: a key of the `notReady` problem's fixed sentences. */
export type RepositoryCause = 'timeout' | 'notAList' | 'failed';

/** Ready, or not with the sentence the `/readyz` 503 gives as its detail (and the log line). */
export type ReadinessState = { ready: true } | { ready: false; detail: string };

/**
 * Something else that keeps `/readyz` at 503, such as a database not connected yet: returns the
 * sentence saying why (a fixed sentence: the probe's answer is public), or `undefined` when it
 * has no objection.
 */
export type NotReadyProvider = () => string | undefined;

/** `serve`'s readiness: what `/readyz` answers, from state, never a repository call per probe. */
export interface Readiness {
  /**
   * The state now. Ready when the last label read (a request's or a check's) succeeded within
   * `intervalMs`; past that, every probe waits for one shared check (at most one running at a
   * time, bounded by `timeoutMs`). Logs each change of state once.
   */
  state(): Promise<ReadinessState>;
  /** Wraps the repository the connector reads, so that its label reads count as checks. */
  observe(repository: CustomerRepository): CustomerRepository;
  /** Adds a reason to be not ready; checked on each probe before the repository. */
  addProvider(provider: NotReadyProvider): void;
  /** From now on `/readyz` answers 503 "shutting down". */
  stop(): void;
}

export interface ReadinessOptions {
  /** The repository a check asks (`listLabels`): the source itself, past cache and breaker. */
  repository: CustomerRepository;
  /** How long one check may take. */
  timeoutMs: number;
  /** How long a label read's outcome stands before a probe triggers a new check. */
  intervalMs: number;
  /** Called once per change of state: not ready (with why), then ready again. */
  onChange?: ((state: ReadinessState) => void) | undefined;
}

/** How long the outcome of a label read stands for `/readyz` (documented in docs/serve.md). */
export const READINESS_INTERVAL_MS = 5000;

type Outcome = { at: number; cause: RepositoryCause | undefined };

/** `listLabels` within the timeout, or why not. */
async function checkLabels(repository: CustomerRepository, timeoutMs: number): Promise<RepositoryCause | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RepositoryCause>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, timeoutMs);
  });
  const answer = (async () => {
    const labels = await repository.listLabels({ signal: controller.signal });
    return Array.isArray(labels) ? undefined : ('notAList' as const);
  })().catch(() => 'failed' as const);
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness that costs the repository at most one call per `intervalMs` however many probes
 * arrive (an unauthenticated `/readyz` must not be a way to load the database), and never one
 * while the connector's own label reads keep succeeding.
 */
export function createReadiness(options: ReadinessOptions): Readiness {
  const { repository, timeoutMs, intervalMs, onChange } = options;
  const providers: NotReadyProvider[] = [];
  let stopping = false;
  let last: Outcome | undefined;
  let running: Promise<Outcome> | undefined;
  // Ready is what a fresh process assumes: the first failure is the first change worth a line.
  let reported: string | undefined;

  const record = (cause: RepositoryCause | undefined): Outcome => (last = { at: Date.now(), cause });
  const check = () => {
    running ??= checkLabels(repository, timeoutMs)
      .then(record)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const report = (state: ReadinessState): ReadinessState => {
    const now = state.ready ? undefined : state.detail;
    if (now !== reported) {
      reported = now;
      try {
        onChange?.(state);
      } catch {
        // A hook observes; it never changes the probe's answer.
      }
    }
    return state;
  };

  return {
    async state() {
      if (stopping) return { ready: false, detail: problemDetails.notReady('shuttingDown') };
      for (const provider of providers) {
        const detail = provider();
        if (detail !== undefined) return report({ ready: false, detail });
      }
      const outcome = last !== undefined && Date.now() - last.at < intervalMs ? last : await check();
      return report(outcome.cause === undefined ? { ready: true } : { ready: false, detail: problemDetails.notReady(outcome.cause) });
    },
    // A pre-validated repository stays one: its reads are synchronous and never throw.
    observe: (observed) => keepValidated(observed, {
      findCustomerByPhone: (query, context) => observed.findCustomerByPhone(query, context),
      listLabels: (context) => {
        const succeeded = (labels: readonly LabelRecord[]) => {
          record(Array.isArray(labels) ? undefined : 'notAList');
          return labels;
        };
        const failed = (error: unknown): never => {
          // A read the caller abandoned (its timeout) says the repository was slow, not that it failed.
          record(context.signal.aborted ? 'timeout' : 'failed');
          throw error;
        };
        let labels: MaybePromise<readonly LabelRecord[]>;
        try {
          labels = observed.listLabels(context);
        } catch (error) {
          return failed(error);
        }
        // A list answered synchronously (memory data) stays synchronous: no promise per request.
        return isThenable(labels) ? Promise.resolve(labels).then(succeeded, failed) : succeeded(labels);
      },
    }),
    addProvider: (provider) => void providers.push(provider),
    stop: () => {
      stopping = true;
    },
  };
}
