import { deepFreeze } from '../contract/deep-freeze.js';

/**
 * The groups the text report shows checks in, in this order.
 *
 * @example
 * ```ts
 * import { checkGroups } from 'priority-routing-crm/testing';
 * checkGroups[0]; // 'Label list'
 * ```
 */
export const checkGroups = deepFreeze(['Label list', 'Customer', 'Label names', 'Error handling', 'Priority'] as const);

/**
 * A group of checks in the report.
 *
 * @example
 * ```ts
 * import { type CheckGroup } from 'priority-routing-crm/testing';
 * const group: CheckGroup = 'Error handling';
 * ```
 */
export type CheckGroup = (typeof checkGroups)[number];

/**
 * One entry of the fixed list of checks.
 *
 * @example
 * ```ts
 * import { type CheckDefinition, type CheckGroup, checkDefinitions } from 'priority-routing-crm/testing';
 * const byGroup = (group: CheckGroup): CheckDefinition[] => checkDefinitions.filter((check) => check.group === group);
 * ```
 */
export interface CheckDefinition {
  /** Stable id, used by `--only`/`--skip` and in every report. */
  id: string;
  /** What the check demands, in a few words. */
  title: string;
  group: CheckGroup;
  /** What it sends, what passes, what fails and what only warns. */
  description: string;
}

/**
 * The fixed, documented list of checks that `verifyConnector` and `priority-routing-crm check`
 * run, in the order they report them.
 *
 * @example
 * ```ts
 * import { checkDefinitions } from 'priority-routing-crm/testing';
 * for (const check of checkDefinitions) console.log(check.id, '-', check.title);
 * ```
 */
export const checkDefinitions = deepFreeze([
  {
    id: 'labels.status',
    title: 'The label list answers 200 with JSON in time',
    group: 'Label list',
    description:
      'GET the label URL: fails unless 200 with a JSON content type (lenient mode: a wrong content type only warns); warns above the time budget.',
  },
  {
    id: 'labels.schema',
    title: 'The label list conforms to the contract',
    group: 'Label list',
    description: 'An array of labels with every contract field well-formed (lenient mode: `_id` and `name`). Each violation as a JSON path and a sentence.',
  },
  {
    id: 'labels.unique-ids',
    title: 'Label ids are unique',
    group: 'Label list',
    description: 'Fails when two labels share an `_id`: Hybrid Chat would turn that id into only one of the names.',
  },
  {
    id: 'customer.status',
    title: 'Each given phone finds its customer: 200 with JSON in time',
    group: 'Customer',
    description:
      'GET the customer URL for every --phone: fails unless 200 with a JSON content type (lenient mode: a wrong content type only warns); warns above the time budget, when the number is only on phone2…phone5 while phone1 is empty (Hybrid Chat reads phone1), and for a --phone in a national spelling Hybrid Chat never sends (0300-1234567: with --default-country, naming the number it would send).',
  },
  {
    id: 'customer.schema',
    title: 'Each customer conforms to the contract',
    group: 'Customer',
    description:
      'Exactly one customer object (not an array, not wrapped) with every contract field well-formed (lenient mode: `_id`, `labels`, `phone1`).',
  },
  {
    id: 'customer.label-ids-exist',
    title: "Every label id on a customer is in the label list",
    group: 'Customer',
    description: 'Fails for an id the label list does not have, and for an entry that is not a string (an object is no id): Hybrid Chat cannot name it, so it adds nothing to the priority.',
  },
  {
    id: 'customer.plus-forms',
    title: 'A number with a leading + is found in all its URL forms',
    group: 'Customer',
    description:
      'For each --phone starting with +: sent raw, as %2B and with the + turned into a space (%20), it must find the same customer. Skipped when no --phone starts with +.',
  },
  {
    id: 'labels.name-whitespace',
    title: 'No label name has leading or trailing white space',
    group: 'Label names',
    description: 'Warns: Hybrid Chat matches names exactly, so "platinum " never matches a routing label "platinum".',
  },
  {
    id: 'labels.name-case-duplicates',
    title: 'No two label names differ only by case',
    group: 'Label names',
    description: 'Warns: "Gold" and "gold" are different labels to Hybrid Chat, and only one can match the routing label.',
  },
  {
    id: 'customer.unknown-number-404',
    title: 'An unknown number gets 404',
    group: 'Error handling',
    description:
      'Asks for a number the checker makes up (random digits, retried if it happens to exist): fails on 200, 5xx or any other status than 404. A 503 with Retry-After (circuit breaker open) only warns, here and in the other error checks.',
  },
  {
    id: 'customer.malformed-query-400',
    title: 'A malformed query gets 400',
    group: 'Error handling',
    description: 'Sends query=email:x: fails on 2xx or 5xx, warns on another 4xx.',
  },
  {
    id: 'customer.missing-query-400',
    title: 'A missing query gets 400',
    group: 'Error handling',
    description: 'Sends the customer URL without its query parameter: fails on 2xx or 5xx, warns on another 4xx.',
  },
  {
    id: 'method.post-405',
    title: 'POST gets 405 with an Allow header',
    group: 'Error handling',
    description: 'POSTs to both URLs: fails on 2xx or 5xx, warns on another 4xx or when the Allow header is missing.',
  },
  {
    id: 'errors.problem-json',
    title: 'Error bodies are problem+json',
    group: 'Error handling',
    description:
      'Every error the checks above provoked: warns unless application/problem+json with type, title, status (equal to the HTTP status) and detail, and without a stack trace; warns for a 503 without Retry-After.',
  },
  {
    id: 'priority',
    title: 'The priority each phone would get',
    group: 'Priority',
    description:
      'With weights (--weights Gold=8,Vip=10): the priority Hybrid Chat would give each --phone, and why. Warns for label ids not in the list and names that differ from a weight only by case or white space. Skipped without weights.',
  },
] as const satisfies readonly CheckDefinition[]);

/**
 * The id of one of the {@link checkDefinitions}.
 *
 * @example
 * ```ts
 * import { type CheckId, verifyConnector } from 'priority-routing-crm/testing';
 * const skip: CheckId[] = ['method.post-405', 'priority'];
 * await verifyConnector({ ...options, skip });
 * ```
 */
export type CheckId = (typeof checkDefinitions)[number]['id'];

/**
 * Every check id, in report order.
 *
 * @example
 * ```ts
 * import { checkIds } from 'priority-routing-crm/testing';
 * checkIds.includes('customer.schema'); // true
 * ```
 */
export const checkIds = deepFreeze(checkDefinitions.map((check) => check.id) as readonly CheckId[] as readonly [CheckId, ...CheckId[]]);

/**
 * Whether `id` names a check, for validating `--only`/`--skip` lists.
 *
 * @example
 * ```ts
 * import { isCheckId } from 'priority-routing-crm/testing';
 * isCheckId('customer.schema'); // true
 * isCheckId('customer.shcema'); // false
 * ```
 */
export function isCheckId(id: string): id is CheckId {
  return (checkIds as readonly string[]).includes(id);
}

/**
 * The checks that `only` and `skip` leave, in report order: `only` (all by default) minus `skip`.
 *
 * @example
 * ```ts
 * import { selectChecks } from 'priority-routing-crm/testing';
 * selectChecks({ only: ['labels.status', 'customer.schema'], skip: ['customer.schema'] }); // Set { 'labels.status' }
 * ```
 */
export function selectChecks(selection: { only?: readonly CheckId[] | undefined; skip?: readonly CheckId[] | undefined }): Set<CheckId> {
  const skip = new Set(selection.skip ?? []);
  return new Set(checkIds.filter((id) => (selection.only ?? checkIds).includes(id) && !skip.has(id)));
}
