import type { Evaluate } from './profile.js';

type Fields = Map<string, { evaluate: Evaluate; expression: string }>;

/**
 * A label `fields` map whose `color_code` goes through the profile's `colorNames` first: for a CRM
 * whose colours are names (Pipedrive's `green`, `dark-gray`), each name (matched as written, else
 * in any case) becomes its `#RRGGBB`. A value the map does not name is left as the CRM gave it:
 * a `#RRGGBB` is kept, anything else gets the fallback palette's colour (mapping.ts).
 */
export function withColorNames(fields: Fields, colorNames: Readonly<Record<string, string>> | undefined): Fields {
  const color = fields.get('color_code');
  if (color === undefined || colorNames === undefined) return fields;
  const byName = new Map(Object.entries(colorNames));
  for (const [name, hex] of Object.entries(colorNames)) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), hex);
  const read = color.evaluate;
  fields.set('color_code', {
    expression: color.expression,
    evaluate: (result) => {
      const value = read(result);
      return typeof value === 'string' ? (byName.get(value) ?? byName.get(value.trim().toLowerCase()) ?? value) : value;
    },
  });
  return fields;
}
