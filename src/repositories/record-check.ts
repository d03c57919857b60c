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
 *
 * The rules become a plan, and the plan a predicate: straight-line code with named property
 * reads where the runtime allows `new Function` (as zod's own fast path does), which is about
 * four times faster on a million records than the fallback, a loop over per-field closures.
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

/** What one field must be, as far as this module understands zod's rules. */
type Plan =
  | { kind: 'string'; minimum: number; pattern: RegExp | undefined }
  | { kind: 'integer'; minimum: number }
  | { kind: 'array'; element: Plan };

const internals = (schema: z.ZodType) => (schema as unknown as { _zod: Internals })._zod;

function stringPlan(zod: Internals): Plan | undefined {
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
  return { kind: 'string', minimum, pattern };
}

function integerPlan(def: Internals['def']): Plan | undefined {
  if (def.format !== 'safeint') return undefined;
  let minimum = Number.MIN_SAFE_INTEGER;
  for (const check of def.checks ?? []) {
    const rule = check._zod.def;
    if (rule.check !== 'greater_than' || typeof rule.value !== 'number') return undefined;
    minimum = Math.max(minimum, rule.inclusive === true ? rule.value : Math.floor(rule.value) + 1);
  }
  return { kind: 'integer', minimum };
}

function planOf(schema: z.ZodType): Plan | undefined {
  const zod = internals(schema);
  const { def } = zod;
  if (def.coerce === true) return undefined;
  if (def.type === 'string') return stringPlan(zod);
  if (def.type === 'number') return integerPlan(def);
  if (def.type === 'array' && def.element !== undefined && (def.checks ?? []).length === 0) {
    const element = planOf(def.element);
    return element === undefined ? undefined : { kind: 'array', element };
  }
  return undefined;
}

/** Every element passes; a loop, not `every`, which skips holes that zod reads as `undefined`. */
function all(values: readonly unknown[], check: Check): boolean {
  for (let index = 0; index < values.length; index++) if (!check(values[index])) return false;
  return true;
}

/** The fallback: one closure per field. */
function closureOf(plan: Plan): Check {
  switch (plan.kind) {
    case 'string': {
      const { minimum, pattern } = plan;
      return (value) => typeof value === 'string' && value.length >= minimum && (pattern === undefined || pattern.test(value));
    }
    case 'integer': {
      const { minimum } = plan;
      return (value) => Number.isSafeInteger(value) && (value as number) >= minimum;
    }
    case 'array': {
      const element = closureOf(plan.element);
      return (value) => Array.isArray(value) && all(value, element);
    }
  }
}

/** JavaScript source for `plan` applied to the variable `v`; regexes and element checks are passed in, never inlined. */
function sourceOf(plan: Plan, refs: unknown[]): string {
  const ref = (value: unknown) => `refs[${refs.push(value) - 1}]`;
  switch (plan.kind) {
    case 'string':
      return `typeof v === "string" && v.length >= ${plan.minimum}${plan.pattern === undefined ? '' : ` && ${ref(plan.pattern)}.test(v)`}`;
    case 'integer':
      return `Number.isSafeInteger(v) && v >= ${plan.minimum}`;
    case 'array':
      return `Array.isArray(v) && ${ref(all)}(v, ${ref(closureOf(plan.element))})`;
  }
}

const NOT_A_RECORD = 'if (typeof r !== "object" || r === null || Array.isArray(r)) return false;';

/** Straight-line code for the whole record, or `undefined` where `new Function` is not allowed (a CSP, some workers). */
function generated(fields: ReadonlyArray<[string, Plan]>): Check | undefined {
  const refs: unknown[] = [];
  const lines = fields.map(([key, plan]) => `v = r[${JSON.stringify(key)}]; if (!(${sourceOf(plan, refs)})) return false;`);
  const source = `return function isRecord(r) { ${NOT_A_RECORD} try { let v; ${lines.join(' ')} return true; } catch { return false; } };`;
  try {
    return (new Function('refs', source) as (refs: unknown[]) => Check)(refs);
  } catch {
    return undefined;
  }
}

/**
 * A predicate for a `z.object(...)` schema (unknown keys stripped, as `z.object` does) that is
 * true only for values the schema accepts; `undefined` when the schema holds anything it does
 * not fully understand. Values whose getters throw or proxies count as not accepted.
 * `generate: false` skips the generated code (for tests of the fallback).
 */
export function compileRecordCheck(schema: z.ZodType, { generate = true }: { generate?: boolean } = {}): Check | undefined {
  const { def } = internals(schema);
  if (def.type !== 'object' || def.shape === undefined || def.catchall !== undefined || (def.checks ?? []).length > 0) return undefined;
  const fields: Array<[string, Plan]> = [];
  for (const [key, field] of Object.entries(def.shape)) {
    const plan = planOf(field);
    if (plan === undefined) return undefined;
    fields.push([key, plan]);
  }
  const fast = generate ? generated(fields) : undefined;
  if (fast !== undefined) return fast;
  const checks = fields.map(([key, plan]): [string, Check] => [key, closureOf(plan)]);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    try {
      for (const [key, check] of checks) if (!check((value as Record<string, unknown>)[key])) return false;
      return true;
    } catch {
      return false;
    }
  };
}
