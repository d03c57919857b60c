import * as z from 'zod';
import { CrmProfileSchema } from './schema.js';

/** A copy of a JSON Schema with no `required` anywhere: what a profile that `extends` a built-in may leave out. */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'required').map(([key, value]) => [key, withoutRequired(value)]));
}

/**
 * The JSON Schema of a profile file (`crm-profile.schema.json`), generated from
 * {@link CrmProfileSchema} with zod's `z.toJSONSchema`: a file with `"extends"` may leave out any
 * key, since the built-in fills it in; one without must give every required key.
 */
export function crmProfileJsonSchema(): Record<string, unknown> {
  const { $schema, $defs, ...full } = z.toJSONSchema(CrmProfileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema,
    $id: 'https://unpkg.com/priority-routing-crm/crm-profile.schema.json',
    title: 'priority-routing-crm CRM profile',
    ...($defs === undefined ? {} : { $defs }),
    if: { required: ['extends'] },
    then: withoutRequired(full),
    else: full,
  };
}

/** The file's text, as committed. */
export const renderCrmProfileJsonSchema = () => `${JSON.stringify(crmProfileJsonSchema(), null, 2)}\n`;
