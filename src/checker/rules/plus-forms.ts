import type { Observed } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, describeOutcome, fromFindings, okJson, skipped, type Finding } from './common.js';

const FORM_NAMES = { raw: 'sent raw (+)', '%2B': 'encoded as %2B', space: 'with the + as a space (%20)' } as const;

const idOf = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { _id?: unknown })._id === 'string' ? (value as { _id: string })._id : undefined;

/**
 * `customer.plus-forms`: a `+` number finds the same customer in all three URL forms.
 */
export function plusForms(observed: Observed): CheckResult {
  if (observed.plusForms.length === 0) {
    return skipped('customer.plus-forms', 'no phone starts with +; give one (--phone +923001234567) to check how the connector reads it');
  }
  const findings: Finding[] = [];
  for (const { forms } of observed.plusForms) {
    // A form finds the customer when it answers 200; ids are compared where the bodies have one.
    const found = forms.map(({ observation }) => okJson(observation) !== undefined);
    const ids = forms.map(({ observation }) => idOf(okJson(observation)?.value));
    const expected = ids.find((id) => id !== undefined);
    forms.forEach(({ form, observation }, i) => {
      const { subject } = observation;
      const sent = FORM_NAMES[form];
      if (!found[i]) findings.push({ path: '$', subject, status: 'fail', message: `${sent}: expected the customer, ${describeOutcome(observation)}` });
      else if (ids[i] !== undefined && ids[i] !== expected) {
        findings.push({ path: '$._id', subject, status: 'fail', message: `${sent}: found customer ${JSON.stringify(ids[i])}, another form found ${JSON.stringify(expected)}` });
      }
    });
  }
  return fromFindings('customer.plus-forms', findings, observed.plusForms.flatMap(({ forms }) => forms.map((form) => form.observation)), {
    pass: `${count(observed.plusForms.length, 'number')} with + found raw, as %2B and with a space`,
    fail: (n) => `${count(n, 'form')} did not find the customer`,
  });
}
