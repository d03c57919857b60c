import type { Customer, Label } from './types.js';

const label = (_id: string, name: string, color_code: string, date: string): Label => ({
  _id,
  name,
  updated_by: '',
  created_by: 'admin',
  color_code,
  createdAt: date,
  updatedAt: date,
  __v: 0,
});

/**
 * The seed document's five labels, in its order. Note `"platinum "`: lower case with a trailing
 * space, as the seed has it, so it never matches a routing label named `Platinum`.
 *
 * @example
 * ```ts
 * import { sampleLabels } from 'priority-routing-crm';
 * sampleLabels.map((l) => l.name); // ['Gold', 'Silver', 'platinum ', 'Vip', 'Vvip']
 * ```
 */
export const sampleLabels: readonly Label[] = Object.freeze([
  label('5eeb3455de812695676383d2', 'Gold', '#3cb44b', '2020-06-18T09:31:01.328Z'),
  label('5eeb3460de8126013d6383d3', 'Silver', '#a9a9a9', '2020-06-18T09:31:12.990Z'),
  label('5eeb348dde81262a576383d4', 'platinum ', '#039be6', '2020-06-18T09:31:57.808Z'),
  label('5eeb3499de8126f6b26383d5', 'Vip', '#f032e6', '2020-06-18T09:32:09.385Z'),
  label('5eeb34a7de8126ea486383d6', 'Vvip', '#7c87ce', '2020-06-18T09:32:23.563Z'),
].map((entry) => Object.freeze(entry)));

/**
 * The seed document's sample customer: `Gold`, phone `1111`, carrying the Gold label.
 *
 * @example
 * ```ts
 * import { sampleCustomer } from 'priority-routing-crm';
 * sampleCustomer.labels; // ['5eeb3455de812695676383d2']
 * ```
 */
export const sampleCustomer: Readonly<Customer> = Object.freeze({
  labels: Object.freeze(['5eeb3455de812695676383d2']) as string[],
  _id: '5eeb34c5de8126e7596383d7',
  phone2: '',
  updated_by: '',
  last_name: '',
  phone3: '',
  phone4: '',
  phone5: '',
  first_name: 'Gold',
  created_by: 'admin',
  email: '',
  phone1: '1111',
  createdAt: '2020-06-18T09:32:53.823Z',
  updatedAt: '2020-06-18T09:32:53.823Z',
  __v: 0,
});
