import * as z from 'zod';
import type { SchemaObject } from 'openapi3-ts/oas31';
import { contractRegistry, CustomerQuerySchema } from '../contract/index.js';

const COMPONENT_REF = (id: string) => `#/components/schemas/${id}`;

// Keywords that belong to a standalone JSON Schema document, not to a schema embedded in OpenAPI:
// the dialect is set once by `jsonSchemaDialect`, and zod's `$id` carries a fragment, which a
// 2020-12 `$id` must not.
function embedded(schema: Record<string, unknown>): SchemaObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest as SchemaObject;
}

/**
 * The contract's component schemas (`Customer`, `Label`, `LabelList`, `Problem`), converted by
 * zod 4 from the same zod schemas the validators use. `io: 'input'` describes what a connector
 * may send: fields beyond the contract are allowed.
 */
export function componentSchemas(): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(contractRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: contractRegistry,
    uri: COMPONENT_REF,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, embedded(schema)]));
}

/**
 * The `query` parameter's schema, from {@link CustomerQuerySchema}.
 */
export function customerQueryParameterSchema(): SchemaObject {
  return embedded(z.toJSONSchema(CustomerQuerySchema, { target: 'draft-2020-12', io: 'input', metadata: contractRegistry }));
}

/**
 * `{ $ref }` to a component schema.
 */
export const schemaRef = (id: 'Customer' | 'Label' | 'LabelList' | 'Problem') => ({ $ref: COMPONENT_REF(id) });
