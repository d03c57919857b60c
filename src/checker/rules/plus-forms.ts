import type { Observed } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, describeOutcome, fromFindings, skipped, type Finding } from './common.js';

const FORM_NAMES = { raw: 'sent raw (+)', '%2B': 'encoded as %2B', space: 'with the + as a space (%20)' } as const;

/**
 * `customer.plus-forms`: a `+` number finds the same customer in all three URL forms.
 */
export function plusForms(observed: Observed): CheckResult {
  if (observed.plusForms.length === 0) {
    return skipped('customer.plus-forms', 'no phone starts with +; give one (--phone +923001234567) to check how the connector reads it');
  }
  const findings: Finding[] = [];
  for (const { forms } of observed.plusForms) {
    // A form finds the customer when it answers 200 with JSON; ids are compared where the bodies have one.
    const expected = forms.find(({ id }) => id !== undefined)?.id;
    for (const { form, observation, found, id } of forms) {
      const { subject } = observation;
      const sent = FORM_NAMES[form];
      if (!found) findings.push({ path: '$', subject, status: 'fail', message: `${sent}: expected the customer, ${describeOutcome(observation)}` });
      else if (id !== undefined && id !== expected) {
        findings.push({ path: '$._id', subject, status: 'fail', message: `${sent}: found customer ${JSON.stringify(id)}, another form found ${JSON.stringify(expected)}` });
      }
    }
  }
  return fromFindings('customer.plus-forms', findings, observed.plusForms.flatMap(({ forms }) => forms.map((form) => form.observation)), {
    pass: `${count(observed.plusForms.length, 'number')} with + found raw, as %2B and with a space`,
    fail: (n) => `${count(n, 'form')} did not find the customer`,
  });
}

/** A body's `_id` when it is a string: what tells two forms' customers apart. */
export const idOf = (body: { value: unknown } | undefined): string | undefined => {
  const value = body?.value;
  return typeof value === 'object' && value !== null && typeof (value as { _id?: unknown })._id === 'string' ? (value as { _id: string })._id : undefined;
};
