import type { Customer, CustomerQuery, Label } from '../contract/index.js';

/**
 * A value, or a promise of it: repositories may answer synchronously or asynchronously.
 *
 * @example
 * ```ts
 * import { type LabelRecord, type MaybePromise } from 'priority-routing-crm';
 * const labels: MaybePromise<readonly LabelRecord[]> = db.labels.find({});
 * ```
 */
// PromiseLike with Promise's other members, optional (so any thenable still fits): when a record
// in a returned promise has a wrong field, TypeScript explains the error against the member of
// the union that shares the most property names with a Promise. With a bare PromiseLike (`then`
// only) that was a record's index signature (every name), and the message read "Promise<…> is
// missing the following properties: _id, … and 9 more" instead of naming the wrong field.
export type MaybePromise<T> = T | (PromiseLike<T> & { catch?: unknown; finally?: unknown; readonly [Symbol.toStringTag]?: unknown });

/**
 * What a repository is asked with, besides the query itself.
 *
 * @example
 * ```ts
 * import { type CustomerRepository } from 'priority-routing-crm';
 * const repository: CustomerRepository = {
 *   findCustomerByPhone: (query, { signal }) => db.customers.findOne({ phone: query.normalizedPhone }, { signal }),
 *   listLabels: ({ signal }) => db.labels.find({}, { signal }),
 * };
 * ```
 */
export interface RepositoryContext {
  /** Fires when the request is abandoned (the handler's `timeoutMs` ran out): stop work then. */
  signal: AbortSignal;
}

/**
 * `createdAt` and `updatedAt` as a repository may give them: the wire's ISO 8601 UTC string, or
 * a `Date` as database drivers return timestamps (sent as `2020-06-18T09:32:53.823Z`).
 *
 * @example
 * ```ts
 * import { type RecordTimestamp } from 'priority-routing-crm';
 * const { rows } = await pool.query<{ created_at: Date }>('SELECT created_at FROM customers LIMIT 1');
 * const stamp: RecordTimestamp | undefined = rows[0]?.created_at; // a Date from pg or mysql2
 * ```
 */
export type RecordTimestamp = string | Date;

/** A contract type with its timestamps as a repository may give them. */
export type WithRecordTimestamps<T> = Omit<T, 'createdAt' | 'updatedAt'> & { createdAt: RecordTimestamp; updatedAt: RecordTimestamp };

/**
 * A customer as a repository may return it: the contract's fields (timestamps as ISO strings or
 * `Date`s), plus anything else the CRM holds, in the vendor's own types: an
 * `interface CrmCustomer extends Customer { nationalId: string }`, a class that
 * `implements Customer`, or an object literal with more fields. Extra fields (a national id, an
 * internal note) are dropped before the response is written; missing or malformed contract
 * fields make the handler answer 502.
 *
 * @example
 * ```ts
 * import { type CustomerRecord, sampleCustomer } from 'priority-routing-crm';
 * const record: CustomerRecord = { ...sampleCustomer, nationalId: '42101-…', createdAt: new Date() }; // nationalId is never sent
 * ```
 */
// The second member lets object literals carry extra fields; the first accepts interfaces and
// classes, which have no index signature.
export type CustomerRecord = WithRecordTimestamps<Customer> | (WithRecordTimestamps<Customer> & Record<string, unknown>);

/**
 * A label as a repository may return it: the contract's fields (timestamps as ISO strings or
 * `Date`s) plus anything else, in the vendor's own types.
 *
 * @example
 * ```ts
 * import { type LabelRecord, sampleLabels } from 'priority-routing-crm';
 * const record: LabelRecord = { ...sampleLabels[0]!, internalCode: 'G1' }; // internalCode is never sent
 * ```
 */
export type LabelRecord = WithRecordTimestamps<Label> | (WithRecordTimestamps<Label> & Record<string, unknown>);

/**
 * What a CRM vendor implements over its own data: find a customer by phone, list the labels.
 *
 * @example
 * ```ts
 * import { type CustomerRepository } from 'priority-routing-crm';
 * const repository: CustomerRepository = {
 *   async findCustomerByPhone({ normalizedPhone }, { signal }) {
 *     return db.customers.findOne({ phoneDigits: normalizedPhone }, { signal }); // null when none
 *   },
 *   listLabels: ({ signal }) => db.labels.find({}, { signal }),
 * };
 * ```
 */
export interface CustomerRepository {
  /** The customer with this phone number on any of `phone1`…`phone5`, or `null`/`undefined` when there is none. */
  findCustomerByPhone(query: CustomerQuery, context: RepositoryContext): MaybePromise<CustomerRecord | null | undefined>;
  /** Every label the CRM knows (an empty array when there are none). */
  listLabels(context: RepositoryContext): MaybePromise<readonly LabelRecord[]>;
}
