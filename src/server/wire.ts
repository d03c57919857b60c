import {
  type ContractIssue,
  type Customer,
  type Label,
  validateCustomer,
  validateLabelList,
} from '../contract/index.js';
import type { CustomerRepository } from './repository.js';

const validatedRepositories = new WeakSet<CustomerRepository>();

/**
 * Marks a repository whose every record was validated against the contract when it was built
 * (the memory repository): the handlers then skip per-request schema validation for it and only
 * pick the contract's fields. Internal to the package; vendor repositories are always validated.
 */
export function markValidated<R extends CustomerRepository>(repository: R): R {
  validatedRepositories.add(repository);
  return repository;
}

/** Whether {@link markValidated} was applied to `repository`. */
export const isValidated = (repository: CustomerRepository): boolean => validatedRepositories.has(repository);

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

/** Exactly the contract's label fields, in the seed's order. */
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

/** The wire form of a value from a repository, or why it breaks the contract. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

/** A customer record as it may be sent: picked when pre-validated, validated otherwise. */
export function wireCustomer(record: unknown, trusted: boolean): WireResult<Customer> {
  if (trusted) return { ok: true, value: pickCustomer(record as Customer) };
  const result = validateCustomer(record);
  return result.ok ? { ok: true, value: pickCustomer(result.value) } : result;
}

/** A label list as it may be sent: picked when pre-validated, validated otherwise. */
export function wireLabels(records: unknown, trusted: boolean): WireResult<Label[]> {
  if (trusted) return { ok: true, value: (records as readonly Label[]).map(pickLabel) };
  const result = validateLabelList(records);
  return result.ok ? { ok: true, value: result.value.map(pickLabel) } : result;
}
