import {
  type ContractIssue,
  CustomerSchema,
  LabelListSchema,
  normalizePhone,
  toContractIssues,
  toJsonPath,
} from '../contract/index.js';
import type { CustomerRecord, CustomerRepository, LabelRecord, PhoneQuery } from '../server/repository.js';
import { markValidated } from '../server/wire.js';

/**
 * The data a memory repository serves, as `serve --data file.json` reads it: customers and
 * labels in the contract's shapes. Records may carry more fields; they are never sent.
 *
 * @example
 * ```ts
 * const data: MemoryDataSet = { customers: [sampleCustomer], labels: [...sampleLabels] };
 * ```
 */
export interface MemoryDataSet {
  customers: readonly CustomerRecord[];
  labels: readonly LabelRecord[];
}

/**
 * A {@link CustomerRepository} over data held in memory, with its size.
 *
 * @example
 * ```ts
 * const repository: MemoryRepository = createMemoryRepository(sampleDataSet);
 * repository.customerCount; // 7
 * ```
 */
export interface MemoryRepository extends CustomerRepository {
  findCustomerByPhone(query: PhoneQuery): CustomerRecord | null;
  listLabels(): readonly LabelRecord[];
  /** How many customers it holds. */
  readonly customerCount: number;
  /** How many labels it holds. */
  readonly labelCount: number;
}

/**
 * Thrown by {@link createMemoryRepository} for data that breaks the contract; the message names
 * each bad record and field (`customers[3].createdAt: expected …`), `issues` lists them all.
 *
 * @example
 * ```ts
 * try { createMemoryRepository(data); } catch (error) { if (error instanceof DataSetError) console.error(error.message); }
 * ```
 */
export class DataSetError extends Error {
  override name = 'DataSetError';
  /** Every problem found, with JSON paths such as `$.customers[3].createdAt`. */
  readonly issues: readonly ContractIssue[];
  constructor(issues: readonly ContractIssue[]) {
    const shown = issues.slice(0, MAX_LISTED).map((issue) => `  ${issue.path.replace(/^\$\.?/, '')}: ${issue.message}`);
    const more = issues.length > MAX_LISTED ? [`  … and ${issues.length - MAX_LISTED} more`] : [];
    super([`invalid data set: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, ...shown, ...more].join('\n'));
    this.issues = issues;
  }
}

const MAX_LISTED = 20;
const PHONE_FIELDS = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;
const DIGITS_ONLY = /^\d+$/;

const issueAt = (segments: ReadonlyArray<string | number>, message: string, code = 'custom'): ContractIssue => ({
  path: toJsonPath(segments),
  message,
  code,
  segments,
});

const prefixed = (issues: ContractIssue[], prefix: ReadonlyArray<string | number>): ContractIssue[] =>
  issues.map((issue) => {
    const segments = [...prefix, ...issue.segments];
    return { ...issue, segments, path: toJsonPath(segments) };
  });

/** The digits-only key of a phone; most stored numbers are digits already, which skips the regex. */
const keyOf = (phone: string) => (DIGITS_ONLY.test(phone) ? phone : normalizePhone(phone));

/**
 * A repository over customers and labels held in memory: the reference connector's, and a quick
 * way to serve an export. Validates everything once, here (throwing a {@link DataSetError} that
 * names each bad record and field), and indexes every phone field (`phone1`…`phone5`) by its
 * digits, so a lookup is one `Map` get at 10 customers or at 1,000,000. Two customers sharing a
 * number is an error: the lookup would be ambiguous.
 *
 * The records are kept as given, not copied: do not change them afterwards; build a new
 * repository instead. Fields beyond the contract stay in memory but are never sent.
 *
 * @example
 * ```ts
 * import { createConnector, createMemoryRepository } from 'priority-routing-crm';
 * const repository = createMemoryRepository({ customers: await loadCustomers(), labels: await loadLabels() });
 * const connector = createConnector({ repository });
 * ```
 */
export function createMemoryRepository(data: MemoryDataSet): MemoryRepository {
  const issues: ContractIssue[] = [];
  const customers: unknown = data?.customers;
  const labels: unknown = data?.labels;
  if (!Array.isArray(customers)) issues.push(issueAt(['customers'], 'expected an array of customers'));
  if (!Array.isArray(labels)) issues.push(issueAt(['labels'], 'expected an array of labels'));
  if (issues.length > 0) throw new DataSetError(issues);

  const labelCheck = LabelListSchema.safeParse(labels, { reportInput: true });
  if (!labelCheck.success) issues.push(...prefixed(toContractIssues(labelCheck.error.issues), ['labels']));

  const index = new Map<string, CustomerRecord>();
  (customers as readonly unknown[]).forEach((record, position) => {
    // Parsing without `reportInput` keeps zod on its fast path; only a bad record pays for a
    // second parse that quotes the bad values.
    if (!CustomerSchema.safeParse(record).success) {
      const check = CustomerSchema.safeParse(record, { reportInput: true });
      if (!check.success) issues.push(...prefixed(toContractIssues(check.error.issues), ['customers', position]));
      return;
    }
    const customer = record as CustomerRecord;
    for (const field of PHONE_FIELDS) {
      const phone = customer[field];
      if (phone === '') continue;
      const key = keyOf(phone);
      if (key === '') continue;
      const existing = index.get(key);
      if (existing === undefined) index.set(key, customer);
      else if (existing !== customer) {
        // Rare, so the first owner is searched for here rather than tracked for every phone.
        const first = (customers as readonly unknown[]).indexOf(existing);
        issues.push(issueAt(['customers', position, field], `the same number as customers[${first}]: a lookup would be ambiguous`));
      }
    }
  });
  if (issues.length > 0) throw new DataSetError(issues);

  const labelList = Object.freeze([...(labels as readonly LabelRecord[])]);
  return markValidated({
    findCustomerByPhone: (query: PhoneQuery) => index.get(query.normalizedPhone) ?? null,
    listLabels: () => labelList,
    customerCount: (customers as readonly unknown[]).length,
    labelCount: labelList.length,
  });
}
