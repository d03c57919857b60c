import { describe, expect, it } from 'vitest';
import { entries, type EntryName, loadEntry } from './entries.js';

/**
 * An exported object is shared by every importer in the process: if one of them could change it,
 * the package's behaviour would change for all (what the removed `contractRegistry` allowed for
 * the OpenAPI document). So every exported plain object or array is frozen all the way down.
 * Functions, classes, RegExps and zod schemas are not data and are left out.
 */

const isData = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !(value instanceof RegExp) && !('_zod' in value);

/** The paths (`a.b[0]`) under `value` of objects or arrays that are not frozen. */
function unfrozen(value: object, path: string, seen = new Set<object>()): string[] {
  if (seen.has(value)) return [];
  seen.add(value);
  const own = Object.isFrozen(value) ? [] : [path];
  return own.concat(
    Object.entries(value).flatMap(([key, child]) => (isData(child) ? unfrozen(child, `${path}.${key}`, seen) : [])),
  );
}

describe('exported data', () => {
  it.each(Object.keys(entries) as EntryName[])('of %s is frozen all the way down', async (entry) => {
    const exported = Object.entries(await loadEntry(entry)).filter(([, value]) => isData(value));
    expect(exported.flatMap(([name, value]) => unfrozen(value as object, name))).toEqual([]);
  });

  it('cannot change what createOpenApiDocument builds, nor can a document it returned', async () => {
    const { createOpenApiDocument, openApiDocument } = await import('../../src/openapi/index.js');
    const pristine = JSON.stringify(createOpenApiDocument({ serverUrl: 'https://crm.example/cim' }));

    expect(() => {
      openApiDocument.paths!['/customer']!.get!.operationId = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error read-only at the top level: TypeScript refuses the likeliest edit before it throws
      openApiDocument.servers = [{ url: 'https://crm.example/cim' }];
    }).toThrow(TypeError);
    const returned = createOpenApiDocument();
    returned.paths!['/customer']!.get!.operationId = 'mine'; // a document the caller asked for is the caller's to edit
    returned.components!.responses!['NotFound'] = { description: 'mine' };

    expect(JSON.stringify(createOpenApiDocument({ serverUrl: 'https://crm.example/cim' }))).toBe(pristine);
    expect(openApiDocument.paths!['/customer']!.get!.operationId).toBe('lookupCustomer');
  });
});
