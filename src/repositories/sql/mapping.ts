import * as z from 'zod';
import { closestName } from '../../core/suggest.js';

// Identifiers are checked, not escaped: a name that passes can be quoted on both engines without
// any character needing an escape, so nothing from the mapping can end a quoted name early.
const NAME = '[A-Za-z_][A-Za-z0-9_$]{0,62}';
const COLUMN_NAME = new RegExp(`^${NAME}$`);
const TABLE_NAME = new RegExp(`^${NAME}(?:\\.${NAME})?$`);

const column = z
  .string({ error: 'expected a column name (a string)' })
  .regex(COLUMN_NAME, { error: 'expected a column name: letters, digits, _ and $, not starting with a digit, at most 63 characters' });
const table = z
  .string({ error: 'expected a table name (a string)' })
  .regex(TABLE_NAME, { error: 'expected a table or view name, optionally schema-qualified (crm.contacts): letters, digits, _ and $ in each part' });

const audit = {
  createdAt: column.optional(),
  updatedAt: column.optional(),
  createdBy: column.optional(),
  updatedBy: column.optional(),
  version: column.optional(),
};

/**
 * Where the contract's fields live in a SQL database: the `--mapping` JSON file of
 * `serve --database` and `db …`, and the `mapping` option of `createSqlRepository`. Keys not
 * listed are refused, so a misspelt key is named instead of silently ignored. Optional fields
 * with no column are sent as the contract's empty values (`""`, `0`, the Unix epoch, and
 * {@link DEFAULT_LABEL_COLOR} for a label's colour).
 *
 * @example
 * ```ts
 * import { SqlMappingSchema } from 'priority-routing-crm/sql';
 * const mapping = SqlMappingSchema.parse({
 *   customers: { table: 'crm.contacts', id: 'id', phones: ['mobile', 'phone'], labelIds: 'tag_ids' },
 *   labels: { table: 'crm.tags', id: 'id', name: 'name', color: 'color' },
 * });
 * ```
 */
export const SqlMappingSchema = z
  .strictObject({
    customers: z.strictObject({
      table,
      id: column,
      phones: z.array(column).min(1, { error: 'list 1 to 5 phone columns' }).max(5, { error: 'list 1 to 5 phone columns (phone1…phone5)' }),
      firstName: column.optional(),
      lastName: column.optional(),
      email: column.optional(),
      labelIds: column.optional(),
      /** Each customer's own country (ISO 3166-1 alpha-2 such as `GB`, or a calling code such as `44`): its national numbers are read there; empty or NULL means `defaultCountry`. */
      country: column.optional(),
      ...audit,
    }),
    labels: z.strictObject({
      table,
      id: column,
      name: column,
      color: column.optional(),
      ...audit,
    }),
    customerLabels: z.strictObject({ table, customerId: column, labelId: column }).optional(),
  })
  .superRefine((mapping, context) => {
    if (mapping.customerLabels !== undefined && mapping.customers.labelIds !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['customers', 'labelIds'],
        message: 'give either customers.labelIds (an array column) or customerLabels (a join table), not both',
      });
    }
  });

/**
 * A validated mapping (see {@link SqlMappingSchema}).
 *
 * @example
 * ```ts
 * import type { SqlMapping } from 'priority-routing-crm/sql';
 * const mapping: SqlMapping = { customers: { table: 'contacts', id: 'id', phones: ['mobile'] }, labels: { table: 'tags', id: 'id', name: 'name' } };
 * ```
 */
export type SqlMapping = z.infer<typeof SqlMappingSchema>;

/**
 * Whether a repository over `mapping` lacks the country it needs: with `customers.country`, the
 * national numbers of a row whose column is empty are read in `defaultCountry`, so one must be
 * given. The one condition behind `createSqlRepository`'s RangeError, `serve --database`'s start
 * check (exit 2) and `db check`'s problem.
 */
export const lacksDefaultCountry = (mapping: SqlMapping, defaultCountry: string | undefined): boolean =>
  mapping.customers.country !== undefined && defaultCountry === undefined;

/**
 * Thrown for a mapping that breaks {@link SqlMappingSchema}: each line names the key
 * (`customers.phones[2]: expected a column name …`).
 *
 * @example
 * ```ts
 * import { parseSqlMapping, SqlMappingError } from 'priority-routing-crm/sql';
 * const json: unknown = JSON.parse(process.env.CRM_MAPPING ?? '{}');
 * try { parseSqlMapping(json); } catch (error) { if (error instanceof SqlMappingError) console.error(error.message); }
 * ```
 */
export class SqlMappingError extends Error {
  override name = 'SqlMappingError';
  /** One entry per problem: the key as a dotted path, and what is wrong with it. */
  readonly problems: ReadonlyArray<{ key: string; message: string }>;
  constructor(problems: ReadonlyArray<{ key: string; message: string }>) {
    super(['invalid mapping:', ...problems.map(({ key, message }) => `  ${key}: ${message}`)].join('\n'));
    this.problems = problems;
  }
}

const keyOf = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>((key, part) => (typeof part === 'number' ? `${key}[${part}]` : key === '' ? String(part) : `${key}.${String(part)}`), '');

/** What to write for a required section or key that is missing, by its dotted key. */
const MISSING: Readonly<Record<string, string>> = {
  customers: '"customers": { "table": "crm.contacts", "id": "id", "phones": ["mobile", "phone"] } (the table or view of the customers, its id column and 1 to 5 phone columns)',
  labels: '"labels": { "table": "crm.tags", "id": "id", "name": "name" } (the table or view of the labels, its id and name columns)',
  'customers.table': '"table": "<table or view>", such as "crm.contacts" (where the customers are)',
  'customers.id': '"id": "<column>" (the column of the customer\'s id)',
  'customers.phones': '"phones": ["<column>", …] (1 to 5 columns of phone numbers)',
  'labels.table': '"table": "<table or view>", such as "crm.tags" (where the labels are)',
  'labels.id': '"id": "<column>" (the column of the label\'s id)',
  'labels.name': '"name": "<column>" (the column of the label\'s name)',
  'customerLabels.table': '"table": "<table or view>" (the join table between customers and labels)',
  'customerLabels.customerId': '"customerId": "<column>" (the join table\'s customer id column)',
  'customerLabels.labelId': '"labelId": "<column>" (the join table\'s label id column)',
};

/** The keys an object of the mapping may have, at `path` (the root, or one section). */
function knownKeys(path: ReadonlyArray<PropertyKey>): string[] {
  const shape = SqlMappingSchema.shape as Record<string, { shape?: Record<string, unknown>; unwrap?: () => { shape?: Record<string, unknown> } }>;
  if (path.length === 0) return Object.keys(shape);
  const section = shape[String(path[0])];
  return Object.keys(section?.shape ?? section?.unwrap?.().shape ?? {});
}

const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((inner, part) => (typeof inner === 'object' && inner !== null ? (inner as Record<PropertyKey, unknown>)[part] : undefined), value);

/** One zod issue as problems in the mapping's words: an unknown key with the key it may have meant, a missing one with what to write. */
function problemsOf(issue: z.core.$ZodIssue, value: unknown): Array<{ key: string; message: string }> {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((name) => {
      const meant = closestName(name, known, { maxDistance: 2 });
      return {
        key: keyOf([...issue.path, name]),
        message: meant === undefined ? `unknown key; expected one of ${known.join(', ')}` : `unknown key; did you mean "${meant}"?`,
      };
    });
  }
  const key = keyOf(issue.path) || '(mapping)';
  if (issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined) {
    const what = MISSING[key];
    if (what !== undefined) return [{ key, message: `missing: add ${what}` }];
  }
  if (issue.path.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return [{ key, message: 'expected an object with "customers" and "labels" (and optionally "customerLabels"); see docs/sql.md' }];
  }
  return [{ key, message: issue.message }];
}

/**
 * Validates a mapping (from a JSON file or code) and returns it typed, or throws a
 * {@link SqlMappingError} that names every bad key: a missing section or key with what to write,
 * an unknown key with the known key it may have meant (`first_name` → `firstName`).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { parseSqlMapping } from 'priority-routing-crm/sql';
 * const mapping = parseSqlMapping(JSON.parse(await readFile('mapping.json', 'utf8')));
 * ```
 */
export function parseSqlMapping(value: unknown): SqlMapping {
  const result = SqlMappingSchema.safeParse(value);
  if (result.success) return result.data;
  throw new SqlMappingError(result.error.issues.flatMap((issue) => problemsOf(issue, value)));
}
