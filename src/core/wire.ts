import {
  type Customer,
  type CustomerQuery,
  CustomerSchema,
  type Label,
  validateCustomer,
  validateLabelList,
} from '../contract/index.js';
import type { Result } from '../contract/result.js';
import { compileRecordCheck } from '../repositories/record-check.js';
import { explainDates, withIsoDates } from './record-dates.js';
import type { CustomerRecord, CustomerRepository } from './repository.js';

const validatedRepositories = new WeakSet<CustomerRepository>();

/**
 * Marks a repository whose every record was validated against the contract when it was built
 * and which answers synchronously (the memory repository): the handlers then call it directly,
 * without timer, signal or per-request schema validation, and only pick the contract's fields.
 * Internal to the package; vendor repositories are always validated and timed.
 */
export function markValidated<R extends CustomerRepository>(repository: R): R {
  validatedRepositories.add(repository);
  return repository;
}

/**
 * Whether {@link markValidated} was applied to `repository`.
 */
export const isValidated = (repository: CustomerRepository): boolean => validatedRepositories.has(repository);

/**
 * `wrapper` marked as {@link markValidated} when `inner` is: for a wrapper that answers with
 * `inner`'s own records, synchronously when `inner` does, and never throws where `inner` does
 * not (counting, observing). Without it, each wrapper took its repository off the fast path.
 */
export const keepValidated = <R extends CustomerRepository>(inner: CustomerRepository, wrapper: R): R =>
  isValidated(inner) ? markValidated(wrapper) : wrapper;

/**
 * Exactly the contract's customer fields, in the seed's order. The object literal is checked by
 * the compiler against `Customer`, so a field added to the schema cannot be forgotten here.
 */
export const pickCustomer = (record: Customer): Customer => ({
  labels: record.labels,
  _id: record._id,
  phone2: record.phone2,
  updated_by: record.updated_by,
  last_name: record.last_name,
  phone3: record.phone3,
  phone4: record.phone4,
  phone5: record.phone5,
  first_name: record.first_name,
  created_by: record.created_by,
  email: record.email,
  phone1: record.phone1,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  __v: record.__v,
});

/**
 * Exactly the contract's label fields, in the seed's order.
 */
export const pickLabel = (record: Label): Label => ({
  _id: record._id,
  name: record.name,
  updated_by: record.updated_by,
  created_by: record.created_by,
  color_code: record.color_code,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  __v: record.__v,
});

/**
 * A customer from a repository as it may be sent: validated, then only the contract's fields.
 */
export function validateForWire(given: unknown): Result<Customer> {
  if (isWireReady(given)) return { ok: true, value: given as Customer };
  // Dates as drivers return them become the wire's ISO strings before the schema sees them.
  const record = withIsoDates(given);
  const checked = checkedCopy(record);
  if (checked !== undefined) return { ok: true, value: checked };
  // zod decides (the compiled check's `false` is never final): its fast path first, the slower
  // parse that quotes bad values only for a bad record.
  const fast = CustomerSchema.safeParse(record);
  if (fast.success) return { ok: true, value: pickCustomer(fast.data) };
  const result = validateCustomer(record);
  return result.ok ? { ok: true, value: pickCustomer(result.value) } : { ok: false, issues: explainDates(record, result.issues) };
}

/** The customer schema's checks compiled into one predicate (see record-check.ts); `undefined` where they cannot be. */
const isCustomer = compileRecordCheck(CustomerSchema);

/**
 * A good record's contract fields as a fresh object that the schema's compiled check accepts, or
 * `undefined` (zod then decides and describes). About 4,000 instructions a lookup cheaper than
 * zod's parse (bench/README.md), which copies the record and its labels before the fields are
 * picked from that copy again.
 *
 * The check runs on the copy, not on the record: each field (and each label) is read once, so
 * what is checked is exactly what is serialised, even from a getter or a proxy that would answer
 * differently the second time. The labels are copied for the same reason (and a packed array of
 * its own serialises faster than zod's).
 */
function checkedCopy(record: unknown): Customer | undefined {
  if (isCustomer === undefined || typeof record !== 'object' || record === null) return undefined;
  let copy: Customer;
  try {
    // A list is never a record, whatever fields it carries (`Array.isArray` throws for a revoked proxy: inside the try).
    if (Array.isArray(record)) return undefined;
    copy = pickCustomer(record as Customer);
    const labels: unknown = copy.labels;
    if (Array.isArray(labels)) {
      const own: string[] = [];
      for (let index = 0, length = labels.length; index < length; index++) own.push(labels[index] as string);
      copy.labels = own;
    }
  } catch {
    return undefined;
  }
  return isCustomer(copy) ? copy : undefined;
}

/**
 * A label list as it may be sent: picked when pre-validated, validated otherwise.
 */
export function wireLabels(records: unknown, trusted: boolean): Result<Label[]> {
  if (trusted || isWireReady(records)) return { ok: true, value: (records as readonly Label[]).map(pickLabel) };
  const dated = Array.isArray(records) ? records.map(withIsoDates) : records;
  const result = validateLabelList(dated);
  if (result.ok) return { ok: true, value: result.value.map(pickLabel) };
  return { ok: false, issues: explainDates(dated, result.issues) };
}

const wireReady = new WeakSet<object>();

/**
 * Whether `value` came from {@link readyCustomer} or {@link readyLabels}: validated once, reduced
 * to the contract's fields and frozen, so handlers send it as is.
 */
export const isWireReady = (value: unknown): boolean => typeof value === 'object' && value !== null && wireReady.has(value);

/**
 * A customer record as a cache keeps it: validated now instead of on every hit, only the
 * contract's fields, frozen. A record that breaks the contract is returned as given, so each
 * request still answers 502 with its issues.
 */
export function readyCustomer<T>(record: T): T {
  if (!validateForWire(record).ok) return record;
  // Picked from the record itself (the schema transforms nothing, dates aside), with a private copy of its labels.
  const value = pickCustomer(withIsoDates(record) as Customer);
  value.labels = [...value.labels];
  // Serialized once here rather than on every hit; frozen with its labels, so that body stays its own.
  readyBodies.set(value, JSON.stringify(value));
  Object.freeze(value.labels);
  Object.freeze(value);
  wireReady.add(value);
  return value as T;
}

const readyBodies = new WeakMap<object, string>();

/** The JSON body of a customer from {@link readyCustomer}, serialized when it was kept; `undefined` for any other value. */
export const readyCustomerBody = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null ? readyBodies.get(value) : undefined;

/**
 * A label list as a cache keeps it: validated now, only the contract's fields, frozen; a list
 * that breaks the contract is returned as given.
 */
export function readyLabels<T>(records: T): T {
  const result = wireLabels(records, false);
  if (!result.ok) return records;
  const value = Object.freeze(result.value.map((label) => Object.freeze(label)));
  wireReady.add(value);
  return value as T;
}

/** A validated repository's lookup by the parsed query alone (`phone`, `normalizedPhone`), without `phoneKeys`. */
export type PhoneLookup = (query: Pick<CustomerQuery, 'phone' | 'normalizedPhone'>) => CustomerRecord | null;

const phoneLookups = new WeakMap<CustomerRepository['findCustomerByPhone'], PhoneLookup>();

/**
 * Registers `lookup` as what `find` answers for any query, for a repository that never reads
 * `phoneKeys` (the memory repository): the handlers then call it with the parsed query and build
 * no query object per request, whose `phoneKeys` with a country is a getter V8 builds on its slow
 * path. Keyed by the function, so a repository whose method was replaced (a spy, a wrapper) is
 * called as usual. Internal to the package.
 */
export function withPhoneLookup<F extends CustomerRepository['findCustomerByPhone']>(find: F, lookup: PhoneLookup): F {
  phoneLookups.set(find, lookup);
  return find;
}

/** The lookup {@link withPhoneLookup} registered for a validated repository's method, or undefined. */
export const phoneLookupOf = (repository: CustomerRepository): PhoneLookup | undefined =>
  isValidated(repository) ? phoneLookups.get(repository.findCustomerByPhone) : undefined;
