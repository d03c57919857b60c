import type { Customer, CustomerRepository, Label } from '../../src/index.js';
import { seededRandom } from './stats.js';

const DATE = '2020-06-18T09:32:53.823Z';
const FIRST = 923_000_000_000;

/** The phone of customer `index` as stored: `+92…`, so its key differs from the stored text. */
export const phoneOf = (index: number) => `+${FIRST + index}`;

/** The Pakistani national form of a generated `+92…` phone: `+923000000042` → `03000000042`. */
export const nationalForm = (phone: string) => `0${phone.slice(3)}`;

/** A British mobile in national form, unique per generated phone: `+923000000042` → `07400000042`. */
export const britishForm = (phone: string) => `074${phone.slice(-8)}`;

/**
 * `count` contract-valid customers, cheaply: one object each with a unique `_id` and phone,
 * shared label arrays (none, one of `labels`, or three) and dates. Deterministic, so a child
 * process can rebuild the same set.
 */
export function generateCustomers(count: number, labels: readonly Label[]): Customer[] {
  const sets = labelSets(labels);
  const customers = new Array<Customer>(count);
  for (let index = 0; index < count; index++) customers[index] = customerAt(index, sets);
  return customers;
}

/** The label arrays customers share: none, one of `labels`, or three. */
export function labelSets(labels: readonly Label[]): string[][] {
  const ids = labels.map((label) => label._id);
  return [[], ...ids.map((id) => [id]), ids.slice(0, 3)];
}

/** Generated customer `index` (as in {@link generateCustomers}), one at a time for files too big to hold. */
export function customerAt(index: number, sets: readonly string[][]): Customer {
  return {
    labels: sets[index % sets.length] as string[],
    _id: index.toString(16).padStart(24, '0'),
    phone2: '',
    updated_by: '',
    last_name: 'Bench',
    phone3: '',
    phone4: '',
    phone5: '',
    first_name: `Customer${index}`,
    created_by: 'admin',
    email: '',
    phone1: phoneOf(index),
    createdAt: DATE,
    updatedAt: DATE,
    __v: 0,
  };
}

/**
 * `count` request URLs for existing customers picked at random (seeded) among `population`,
 * in the form Hybrid Chat sends: `phone:+92…` unencoded, so the `+` arrives as a space.
 */
export function customerUrls(population: number, count: number, seed = 42): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => `/customer?query=phone:${phoneOf(Math.floor(random() * population))}`);
}

/** The `Map` a hand-written server would keep: digits of `phone1` to the customer. */
export function baselineIndex(customers: readonly Customer[]): Map<string, Customer> {
  const index = new Map<string, Customer>();
  for (const customer of customers) index.set(customer.phone1.replace(/\D/g, ''), customer);
  return index;
}

/** What the baseline answers: the least a server must say. */
export interface BaselineResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const NOT_FOUND = { status: 404, headers: JSON_HEADERS, body: '{"status":404}' };
const BAD_REQUEST = { status: 400, headers: JSON_HEADERS, body: '{"status":400}' };

/**
 * The hand-written baseline of `GET /customer`: the minimum with the standard library.
 * `URLSearchParams` over the query string, strip `phone:`, digits only, a `Map` get,
 * `JSON.stringify`. No validation, no field picking, no hooks, no timeout.
 */
export function baselineLookup(index: ReadonlyMap<string, Customer>, url: string): BaselineResponse {
  const mark = url.indexOf('?');
  const query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1)).get('query');
  if (query === null || !query.startsWith('phone:')) return BAD_REQUEST;
  const customer = index.get(query.slice(6).replace(/\D/g, ''));
  if (customer === undefined) return NOT_FOUND;
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(customer) };
}

/**
 * {@link baselineLookup} with the `Map` behind a promise: what a hand-written server over an
 * asynchronous store (a database, a CRM) does at the least, to hold the connector's own work per
 * asynchronous lookup against. No validation, no field picking, no timeout.
 */
export async function asyncBaselineLookup(index: ReadonlyMap<string, Customer>, url: string): Promise<BaselineResponse> {
  const mark = url.indexOf('?');
  const query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1)).get('query');
  if (query === null || !query.startsWith('phone:')) return BAD_REQUEST;
  const customer = await Promise.resolve(index.get(query.slice(6).replace(/\D/g, '')));
  if (customer === undefined) return NOT_FOUND;
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(customer) };
}

/**
 * A repository over the same `Map` that answers in a promise, as every database and CRM
 * repository does: the connector times, checks and serialises its records as it would a
 * database's, so against {@link asyncBaselineLookup} this counts the connector's own work per
 * asynchronous lookup.
 */
export const asyncRepository = (index: ReadonlyMap<string, Customer>, labels: readonly Label[]): CustomerRepository => ({
  findCustomerByPhone: async (query) => index.get(query.normalizedPhone) ?? null,
  listLabels: async () => labels,
});
