import * as z from 'zod';

/**
 * What the contract records about a schema for documentation (the OpenAPI document reads it).
 */
export interface ContractMeta {
  /** Component name in the OpenAPI document; only the top-level schemas have one. */
  id?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
  /** JSON Schema `pattern`, where the zod schema's own checks cannot be converted (a transform). */
  pattern?: string;
  /** JSON Schema `maxLength`, likewise. */
  maxLength?: number;
}

/**
 * The registry that holds the contract's documentation metadata.
 *
 * A private registry rather than zod's global one: the package may be loaded twice (ESM and
 * CJS) into one process, and the ids `Customer`, `Label`, `Problem` must never collide with a
 * user's own schemas of the same name.
 */
export const contractRegistry = z.registry<ContractMeta>();

/**
 * Registers `meta` for `schema` in {@link contractRegistry} and returns the same schema.
 */
export function documented<S extends z.ZodType>(schema: S, meta: ContractMeta): S {
  contractRegistry.add(schema, meta);
  return schema;
}
