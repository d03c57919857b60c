import {
  type ContractIssue,
  type CountryCode,
  countryCodeProblem,
  CustomerSchema,
  describeValue,
  isCountryCode,
  LabelSchema,
  normalizePhone,
  phoneReadings,
  recordCountry,
  toContractIssues,
  toJsonPath,
} from '../contract/index.js';
import type { CustomerQuery } from '../contract/index.js';
import { askedFirstReading, askedReadings } from '../contract/phone-keys.js';
import * as z from 'zod';
import type { CustomerRecord, CustomerRepository, LabelRecord } from '../core/repository.js';
import { explainDates, withIsoDates } from '../core/record-dates.js';
import { markValidated, type PhoneLookup, withPhoneLookup } from '../core/wire.js';
import { compileRecordCheck } from './record-check.js';

/**
 * The data a memory repository serves, as `serve --data file.json` reads it: customers and
 * labels in the contract's shapes. Records may carry more fields; they are never sent.
 *
 * @example
 * ```ts
 * import { type MemoryDataSet, sampleCustomer, sampleLabels } from 'priority-routing-crm';
 * const data: MemoryDataSet = { customers: [sampleCustomer], labels: [...sampleLabels] };
 * ```
 */
export interface MemoryDataSet {
  customers: readonly CustomerRecord[];
  labels: readonly LabelRecord[];
}

/**
 * Options of {@link createMemoryRepository}.
 */
export interface MemoryRepositoryOptions {
  /**
   * The country (ISO 3166-1 alpha-2, such as `'PK'`) whose national formats the data and the
   * chats use. With it, numbers are indexed under their E.164 digits (`phoneKey`, and every
   * further reading of digits that read two ways), so `0300-1234567`, `+92 300 1234567`,
   * `0092 300 1234567` and `923001234567` are one number; a number the country rules do not
   * accept keeps its digits. Without it, digits only.
   */
  defaultCountry?: CountryCode | undefined;
  /**
   * The record field that holds a customer's own country, for data with customers from several
   * countries: an ISO 3166-1 alpha-2 code (`'GB'`, either case) or a calling code (`'44'`,
   * `'+44'`). That customer's numbers are read in that country (`07911 123456` with `GB` is
   * `+44 7911 123456` whatever `defaultCountry` is); an empty or missing value falls back to
   * `defaultCountry`, and a value that names no country is a {@link DataSetError}.
   */
  countryField?: string | undefined;
}

/**
 * A {@link CustomerRepository} over data held in memory, with its size.
 *
 * @example
 * ```ts
 * import { type MemoryRepository, createMemoryRepository, sampleDataSet } from 'priority-routing-crm';
 * const repository: MemoryRepository = createMemoryRepository(sampleDataSet);
 * repository.customerCount; // 7
 * ```
 */
export interface MemoryRepository extends CustomerRepository {
  findCustomerByPhone(query: CustomerQuery): CustomerRecord | null;
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
 * import { DataSetError, createMemoryRepository } from 'priority-routing-crm';
 * import { readFile } from 'node:fs/promises';
 * const data = JSON.parse(await readFile('crm.json', 'utf8'));
 * try { createMemoryRepository(data); } catch (error) { if (error instanceof DataSetError) console.error(error.message); }
 * ```
 */
export class DataSetError extends Error {
  override name = 'DataSetError';
  /** Every problem found, with JSON paths such as `$.customers[3].createdAt`. */
  readonly issues: readonly ContractIssue[];
  constructor(issues: readonly ContractIssue[]) {
    const shown = issues.slice(0, MAX_LISTED).map((issue) => {
      const where = issue.path.replace(/^\$\.?/, '');
      return `  ${where === '' ? '' : `${where}: `}${issue.message}`;
    });
    const more = issues.length > MAX_LISTED ? [`  … and ${issues.length - MAX_LISTED} more`] : [];
    super([`invalid data set: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, ...shown, ...more].join('\n'));
    this.issues = issues;
  }
}

const MAX_LISTED = 20;
const PHONE_FIELDS = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;
const DIGITS_ONLY = /^\d+$/;
const isCustomer = compileRecordCheck(CustomerSchema) ?? ((record: unknown) => CustomerSchema.safeParse(record).success);

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

const LabelArraySchema = z.array(LabelSchema);

/** The second and later use of each label `_id`, in the data set's path style (`labels[0]`). */
function duplicateLabelIds(labels: readonly unknown[]): ContractIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: ContractIssue[] = [];
  labels.forEach((label, index) => {
    let id: unknown;
    try {
      id = (label as { _id?: unknown } | null)?._id;
    } catch {
      return;
    }
    if (typeof id !== 'string' || id === '') return;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else issues.push(issueAt(['labels', index, '_id'], `duplicate label id ${JSON.stringify(id)}: labels[${first}] has it too`));
  });
  return issues;
}

/** The digits-only key of a phone; most stored numbers are digits already, which skips the regex. */
const digitsKey = (phone: string) => (DIGITS_ONLY.test(phone) ? phone : normalizePhone(phone));

/** Every reading of a number, most likely first (see `phoneReadings`); the first is its key. */
type ReadingsOf = (phone: string) => readonly string[];
type KeyOf = (phone: string) => string;

/** The readings function: digits only, or the E.164 readings in a country. */
function readingsFunction(country: CountryCode | undefined): ReadingsOf {
  if (country === undefined) return (phone) => [digitsKey(phone)];
  if (!isCountryCode(country)) throw new RangeError(countryCodeProblem('defaultCountry', country));
  const options = { defaultCountry: country };
  return (phone) => phoneReadings(phone, options);
}

/**
 * The readings function for each record: the default's, or that of the country its
 * `countryField` names (one function per country, made once). `null` for a value that names no
 * country (reported, never guessed).
 */
function perRecord(defaultCountry: CountryCode | undefined, countryField: string | undefined): (record: CustomerRecord) => ReadingsOf | null {
  const fallback = readingsFunction(defaultCountry);
  if (countryField === undefined) return () => fallback;
  const byCountry = new Map<CountryCode, ReadingsOf>();
  // A data set holds few distinct values ('GB', 'gb', '44'…): each is read once.
  const byValue = new Map<unknown, ReadingsOf | null>();
  const resolve = (value: unknown): ReadingsOf | null => {
    const country = recordCountry(value);
    if (country === undefined || country === defaultCountry) return fallback;
    if (country === null) return null;
    let readings = byCountry.get(country);
    if (readings === undefined) byCountry.set(country, (readings = readingsFunction(country)));
    return readings;
  };
  return (record) => {
    const value = (record as unknown as Record<string, unknown>)[countryField];
    let readings = byValue.get(value);
    if (readings === undefined) {
      readings = resolve(value);
      if (typeof value === 'string' || typeof value === 'number' || value === undefined || value === null) byValue.set(value, readings);
    }
    return readings;
  };
}

/** Whether a phone field before `field` of the same customer has this key (one number on two fields). */
function repeatsOwnNumber(customer: CustomerRecord, field: number, key: string, keyOf: KeyOf): boolean {
  for (let earlier = 0; earlier < field; earlier++) {
    const phone = customer[PHONE_FIELDS[earlier] as (typeof PHONE_FIELDS)[number]];
    if (phone !== '' && keyOf(phone) === key) return true;
  }
  return false;
}

/** Every phone field that repeats another customer's number, naming the first owner. */
function sharedNumbers(records: readonly unknown[], readingsOf: (record: CustomerRecord) => ReadingsOf | null): ContractIssue[] {
  const owners = new Map<string, number>();
  const issues: ContractIssue[] = [];
  records.forEach((record, position) => {
    if (!isCustomer(record) && !CustomerSchema.safeParse(withIsoDates(record)).success) return;
    const readings = readingsOf(record as CustomerRecord);
    if (readings === null) return;
    for (const field of PHONE_FIELDS) {
      const phone = (record as CustomerRecord)[field];
      const key = phone === '' ? '' : (readings(phone)[0] as string);
      if (key === '') continue;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, position);
      else if (first !== position) {
        issues.push(issueAt(['customers', position, field], `the same number as customers[${first}]: a lookup would be ambiguous`));
      }
    }
  });
  return issues;
}

/**
 * The contract issues of `value` under `path`. A record whose getter throws (or a proxy that
 * does) is reported as unreadable at its path rather than letting its error, and whatever it
 * says, escape from the loader.
 */
function issuesOf(schema: z.ZodType, value: unknown, path: ReadonlyArray<string | number>): ContractIssue[] {
  try {
    const result = schema.safeParse(value, { reportInput: true });
    return result.success ? [] : prefixed(toContractIssues(result.error.issues), path);
  } catch {
    return [issueAt(path, 'could not be read: a property access threw')];
  }
}

/** How an asked number is looked up in the index: by its digits, or by its readings in the default country. */
function lookupIn(index: ReadonlyMap<string, CustomerRecord>, defaultCountry: CountryCode | undefined, countryField: string | undefined): PhoneLookup {
  if (defaultCountry === undefined && countryField === undefined) return (query) => index.get(query.normalizedPhone) ?? null;
  // Records with their own country (countryField) and no default: asked numbers are read as digits.
  if (defaultCountry === undefined) return (query) => index.get(digitsKey(query.phone)) ?? null;
  return (query) => {
    // The commonest spellings (`+92…`, WhatsApp's `92…`) are one Map get when their first
    // reading is cheap to tell and indexed.
    const first = askedFirstReading(query.phone, query.normalizedPhone, defaultCountry);
    const quick = first === undefined ? undefined : index.get(first);
    if (quick !== undefined) return quick;
    // Every reading of the asked number, most likely first: the first one indexed answers.
    for (const key of askedReadings(query.phone, query.normalizedPhone, defaultCountry)) {
      const found = index.get(key);
      if (found !== undefined) return found;
    }
    return null;
  };
}

/**
 * A repository over customers and labels held in memory: the reference connector's, and a quick
 * way to serve an export. Validates everything once, here (throwing a {@link DataSetError} that
 * names each bad record and field), and indexes every phone field (`phone1`…`phone5`) by its
 * digits, so a lookup is one `Map` get at 10 customers or at 1,000,000. Two customers sharing a
 * number is an error: the lookup would be ambiguous. With `defaultCountry`, the key is the
 * number's E.164 digits, so every spelling of a number finds its customer (and two spellings of
 * one number on two customers are a shared number).
 *
 * The records are kept as given, not copied: do not change them afterwards; build a new
 * repository instead. Fields beyond the contract stay in memory but are never sent.
 *
 * @example
 * ```ts
 * import { createConnector, createMemoryRepository, CustomerQuerySchema, sampleDataSet } from 'priority-routing-crm';
 * const repository = createMemoryRepository({ customers: sampleDataSet.customers, labels: sampleDataSet.labels });
 * const connector = createConnector({ repository });
 * const pakistan = createMemoryRepository(sampleDataSet, { defaultCountry: 'PK' });
 * pakistan.findCustomerByPhone(CustomerQuerySchema.parse('phone:0300-1234567')); // the customer stored as +92 300 1234567
 * ```
 */
export function createMemoryRepository(data: MemoryDataSet, options: MemoryRepositoryOptions = {}): MemoryRepository {
  const { defaultCountry, countryField } = options ?? {};
  if (countryField !== undefined && (typeof countryField !== 'string' || countryField === '')) {
    throw new TypeError(`countryField must be the name of a record field (a non-empty string), got ${describeValue(countryField)}`);
  }
  const readingsOf = perRecord(defaultCountry, countryField);
  // Without a country per record, one readings function for every record.
  const sameForAll = countryField === undefined ? readingsFunction(defaultCountry) : undefined;
  const issues: ContractIssue[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DataSetError([issueAt([], `expected { customers: [...], labels: [...] }, got ${describeValue(data)}`)]);
  }
  const customers: unknown = data.customers;
  const labels: unknown = data.labels;
  if (!Array.isArray(customers)) issues.push(issueAt(['customers'], 'expected an array of customers'));
  if (!Array.isArray(labels)) issues.push(issueAt(['labels'], 'expected an array of labels'));
  if (issues.length > 0) throw new DataSetError(issues);

  // Dates as drivers return them are kept as the wire's ISO strings (a copy of that record only).
  const labelRecords = (labels as readonly unknown[]).map(withIsoDates);
  // Each label on its own, then the ids across the list: the schema's own uniqueness check only
  // runs when every label is valid, and one run should report every problem.
  issues.push(...explainDates({ labels }, issuesOf(LabelArraySchema, labelRecords, ['labels'])), ...duplicateLabelIds(labelRecords));

  const records = customers as readonly unknown[];
  const index = new Map<string, CustomerRecord>();
  // Key and customer, flat: readings beyond the first, indexed once every first reading is in.
  const further: Array<string | CustomerRecord> = [];
  let shared = false;
  for (let position = 0; position < records.length; position++) {
    let record = records[position];
    // The compiled check allocates nothing; only a record it doubts pays for zod's parse, which
    // has the last word and quotes the bad values.
    if (!isCustomer(record)) {
      record = withIsoDates(record);
      const found = explainDates({ customers }, issuesOf(CustomerSchema, record, ['customers', position]));
      if (found.length > 0) {
        issues.push(...found);
        continue;
      }
    }
    // One `set` per number: a `set` that does not grow the Map met a number already indexed,
    // and only then (rarely) is the slower search for who shares it run.
    const customer = record as CustomerRecord;
    const readings = sameForAll ?? readingsOf(customer);
    if (readings === null) {
      const value = describeValue((customer as unknown as Record<string, unknown>)[countryField as string]);
      issues.push(issueAt(['customers', position, countryField as string], `expected an ISO 3166-1 alpha-2 country code (GB) or a calling code (44, +44), got ${value}`));
      continue;
    }
    for (let field = 0; field < PHONE_FIELDS.length; field++) {
      const phone = customer[PHONE_FIELDS[field] as (typeof PHONE_FIELDS)[number]];
      if (phone === '') continue;
      const all = readings(phone);
      const key = all[0] as string;
      if (key === '') continue;
      const size = index.size;
      index.set(key, customer);
      if (index.size === size && !repeatsOwnNumber(customer, field, key, (other) => readings(other)[0] as string)) shared = true;
      // Further readings (WhatsApp digits that also read as a long national number) find the
      // customer too, unless another customer's first reading is that number: set afterwards.
      for (let other = 1; other < all.length; other++) further.push(all[other] as string, customer);
    }
  }
  for (let at = 0; at < further.length; at += 2) {
    const key = further[at] as string;
    if (!index.has(key)) index.set(key, further[at + 1] as CustomerRecord);
  }
  if (shared) issues.push(...sharedNumbers(records, readingsOf));
  if (issues.length > 0) throw new DataSetError(issues);

  const labelList = Object.freeze(labelRecords as readonly LabelRecord[]);
  const lookup = lookupIn(index, defaultCountry, countryField);
  return markValidated({
    // `phoneKeys` is never read: the asked number is read in this repository's own country.
    findCustomerByPhone: withPhoneLookup((query: CustomerQuery) => lookup(query), lookup),
    listLabels: () => labelList,
    customerCount: (customers as readonly unknown[]).length,
    labelCount: labelList.length,
  });
}
