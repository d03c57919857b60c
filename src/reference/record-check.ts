import type * as z from 'zod';

/**
 * Loading a million customers, zod's parse (which builds a copy of every record) costs more than
 * indexing them. This compiles an object schema's field checks into one plain predicate that
 * allocates nothing, read from the schema itself, so the two cannot drift apart.
 *
 * Only kinds whose rules are fully understood here are compiled: strings (with `min`, or the
 * `datetime` format's own pattern), arrays of those, safe integers with a lower bound. For any
 * other kind, check or option, {@link compileRecordCheck} gives up and callers use zod itself.
 * A `false` is never final: callers parse with zod to decide and to describe the problem.
 */

/** The zod internals read here (`schema._zod`): stable in zod 4, where they define every schema. */
interface Internals {
  def: {
    type: string;
    format?: string;
    coerce?: boolean;
    pattern?: RegExp;
    element?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    catchall?: unknown;
    checks?: ReadonlyArray<{ _zod: { def: { check: string; minimum?: number; value?: unknown; inclusive?: boolean } } }>;
  };
  pattern?: RegExp;
}

type Check = (value: unknown) => boolean;

const internals = (schema: z.ZodType) => (schema as unknown as { _zod: Internals })._zod;

function stringCheck(zod: Internals): Check | undefined {
  const { def } = zod;
  if (def.format !== undefined && def.format !== 'datetime') return undefined;
  const pattern = def.format === 'datetime' ? (def.pattern ?? zod.pattern) : undefined;
  if (def.format === 'datetime' && pattern === undefined) return undefined;
  let minimum = 0;
  for (const check of def.checks ?? []) {
    const rule = check._zod.def;
    if (rule.check !== 'min_length' || typeof rule.minimum !== 'number') return undefined;
    minimum = Math.max(minimum, rule.minimum);
  }
  return (value) => typeof value === 'string' && value.length >= minimum && (pattern === undefined || pattern.test(value));
}

function integerCheck(def: Internals['def']): Check | undefined {
  if (def.format !== 'safeint') return undefined;
  let minimum = Number.MIN_SAFE_INTEGER;
  for (const check of def.checks ?? []) {
    const rule = check._zod.def;
    if (rule.check !== 'greater_than' || typeof rule.value !== 'number') return undefined;
    minimum = Math.max(minimum, rule.inclusive === true ? rule.value : Math.floor(rule.value) + 1);
  }
  return (value) => Number.isSafeInteger(value) && (value as number) >= minimum;
}

function fieldCheck(schema: z.ZodType): Check | undefined {
  const zod = internals(schema);
  const { def } = zod;
  if (def.coerce === true) return undefined;
  if (def.type === 'string') return stringCheck(zod);
  if (def.type === 'number') return integerCheck(def);
  if (def.type === 'array' && def.element !== undefined && (def.checks ?? []).length === 0) {
    const element = fieldCheck(def.element);
    // A loop, not `every`: `every` skips the holes of a sparse array, which zod reads as undefined.
    return element === undefined ? undefined : (value) => {
      if (!Array.isArray(value)) return false;
      for (let index = 0; index < value.length; index++) if (!element(value[index])) return false;
      return true;
    };
  }
  return undefined;
}

/**
 * A predicate for a `z.object(...)` schema (unknown keys stripped, as `z.object` does) that is
 * true only for values the schema accepts; `undefined` when the schema holds anything it does
 * not fully understand. Values whose getters throw or proxies count as not accepted.
 *
 * @example
 * ```ts
 * const isCustomer = compileRecordCheck(CustomerSchema) ?? ((value) => CustomerSchema.safeParse(value).success);
 * if (!isCustomer(record)) report(CustomerSchema.safeParse(record, { reportInput: true }));
 * ```
 */
export function compileRecordCheck(schema: z.ZodType): Check | undefined {
  const { def } = internals(schema);
  if (def.type !== 'object' || def.shape === undefined || def.catchall !== undefined || (def.checks ?? []).length > 0) return undefined;
  const fields: Array<[string, Check]> = [];
  for (const [key, field] of Object.entries(def.shape)) {
    const check = fieldCheck(field);
    if (check === undefined) return undefined;
    fields.push([key, check]);
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    try {
      for (const [key, check] of fields) if (!check((value as Record<string, unknown>)[key])) return false;
      return true;
    } catch {
      return false;
    }
  };
}
