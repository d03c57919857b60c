import { setTimeout as sleep } from 'node:timers/promises';
import { type CustomerRecord, type CustomerRepository, type LabelRecord, sampleCustomer, sampleLabels } from '../../src/index.js';

/**
 * A repository driven by the test: it counts its calls, can be slowed, failed or hung, and its
 * data can change. Every number is found (as the seed customer with that number as `phone1`)
 * except those in `missing`.
 */
export interface ScriptedRepository extends CustomerRepository {
  /** Calls received so far, per method. */
  readonly calls: { customers: number; labels: number };
  /** Each call waits this long before answering (real time). */
  delayMs: number;
  /** `'ok'` answers; `'fail'` rejects with an Error after the delay; `'hang'` never settles (ignores its signal). */
  mode: 'ok' | 'fail' | 'hang';
  /** The label list answered; replace it to see whether fresh data arrives. */
  labels: readonly LabelRecord[];
  /** Normalized numbers that no customer has. */
  readonly missing: Set<string>;
  /** How many calls saw their signal abort. */
  readonly aborted: { count: number };
  /** From now on calls wait (after counting) until the returned function is called: a slow CRM without timing. */
  hold(): () => void;
}

export function scriptedRepository(initial: Partial<Pick<ScriptedRepository, 'delayMs' | 'mode' | 'labels'>> = {}): ScriptedRepository {
  const calls = { customers: 0, labels: 0 };
  const aborted = { count: 0 };
  const script: ScriptedRepository = {
    calls,
    aborted,
    delayMs: initial.delayMs ?? 0,
    mode: initial.mode ?? 'ok',
    labels: initial.labels ?? sampleLabels,
    missing: new Set(),
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    async findCustomerByPhone(query, { signal }) {
      calls.customers += 1;
      await answer(signal);
      if (script.missing.has(query.normalizedPhone)) return null;
      return { ...sampleCustomer, phone1: query.normalizedPhone } as CustomerRecord;
    },
    async listLabels({ signal }) {
      calls.labels += 1;
      await answer(signal);
      return script.labels;
    },
  };
  let gate: Promise<void> | undefined;
  const answer = async (signal: AbortSignal) => {
    signal.addEventListener('abort', () => (aborted.count += 1), { once: true });
    await gate;
    const mode = script.mode;
    if (mode === 'hang') return new Promise<never>(() => {});
    if (script.delayMs > 0) await sleep(script.delayMs);
    if (mode === 'fail') throw new Error('CRM down (scripted)');
  };
  return script;
}

/** Labels different from the seed's, to tell a fresh list from a stale one. */
export const otherLabels: readonly LabelRecord[] = Object.freeze([{ ...sampleLabels[0]!, name: 'Renamed' }]);
