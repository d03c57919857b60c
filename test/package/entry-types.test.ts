import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entries } from './entries.js';
import { unexportedTypes } from './unexported-types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsconfig = `${root}tsconfig.json`;

// A type a public export mentions must be importable from the entry that exports it, or a user
// cannot annotate the variable they pass or receive (issue 9, point 8).
describe('types mentioned by public exports', () => {
  it('are exported by the same entry, for every entry', () => {
    const files = Object.values(entries).map((file) => `${root}${file}`);
    const missing = unexportedTypes(files, `${root}src`, tsconfig);
    const byEntry = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, missing[`${root}${file}`]]));
    expect(byEntry).toEqual(Object.fromEntries(Object.keys(entries).map((name) => [name, []])));
  });

  it('finds an unexported type in a parameter, a return type, an extends clause, a property and an inferred type', () => {
    const file = `${root}test/package/fixtures/leaky-entry.ts`;
    const missing = unexportedTypes([file], `${root}test/package/fixtures`, tsconfig);
    // HiddenOptions also sits in a private member of Quiet, which is no part of the surface.
    expect(missing[file]).toEqual(['HiddenBase', 'HiddenError', 'HiddenOptions', 'HiddenResult']);
  });
});
