import * as z from 'zod';

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

/**
 * Validates a mapping (from a JSON file or code) and returns it typed, or throws a
 * {@link SqlMappingError} that names every bad key.
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
  throw new SqlMappingError(
    result.error.issues.map((issue) => ({ key: keyOf(issue.path) || '(mapping)', message: issue.message })),
  );
}
