import type { Observation } from './observe.js';

/**
 * A `+` number's three URL forms, as sent.
 */
export interface PlusForms {
  phone: string;
  /** `+…` raw (Hybrid Chat's own form), `%2B…` and `%20…` (the `+` already turned into a space). */
  forms: Array<{ form: 'raw' | '%2B' | 'space'; observation: Observation }>;
}

/**
 * Everything the checker sent and got in one run; the rules read it and send nothing.
 */
export interface Observed {
  labels: Observation;
  customers: Array<{ phone: string; observation: Observation }>;
  /** The made-up numbers asked for, the last one decisive (earlier ones found a real customer). */
  unknown: Observation[];
  malformed: Observation | undefined;
  missing: Observation | undefined;
  post: Observation[];
  plusForms: PlusForms[];
}
