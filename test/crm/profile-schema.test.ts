import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { crmProfiles } from '../../src/crm/index.js';
import { renderCrmProfileJsonSchema } from '../../src/crm/json-schema.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const committed = read('crm-profile.schema.json');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);

describe('crm-profile.schema.json', () => {
  it('is what the zod schema generates (npm run crm-schema)', () => {
    expect(committed).toBe(renderCrmProfileJsonSchema());
  });

  it('is shipped: package.json exports ./crm-profile.schema.json and lists it in files', () => {
    const manifest = JSON.parse(read('package.json')) as { exports: Record<string, unknown>; files: string[] };
    expect(manifest.exports['./crm-profile.schema.json']).toBe('./crm-profile.schema.json');
    expect(manifest.files).toContain('crm-profile.schema.json');
  });

  it.each([
    ['the built-in zoho profile', crmProfiles.zoho],
    ['the built-in hubspot profile', crmProfiles.hubspot],
    ['the built-in dataverse profile', crmProfiles.dataverse],
    ['the built-in salesforce profile', crmProfiles.salesforce],
    ['the built-in pipedrive profile', crmProfiles.pipedrive],
    ['examples/crm/in-house.json', JSON.parse(read('examples/crm/in-house.json')) as unknown],
    ['test/crm/profiles/chained-crm.json (a chained request)', JSON.parse(read('test/crm/profiles/chained-crm.json')) as unknown],
    ['test/crm/profiles/paged-crm.json (a paged label list)', JSON.parse(read('test/crm/profiles/paged-crm.json')) as unknown],
    ['a profile that extends a built-in with one key', { extends: 'hubspot', colors: { Gold: '#3cb44b' } }],
  ])('accepts %s', (_name, profile) => {
    expect(validate(profile), JSON.stringify(validate.errors)).toBe(true);
  });

  it('lets an editor flag a misspelt key and a wrong value', () => {
    expect(validate({ ...crmProfiles.zoho, mach: 'newest' })).toBe(false);
    expect(validate({ ...crmProfiles.zoho, match: 'latest' })).toBe(false);
    expect(validate({ extends: 'zoho', auth: { type: 'oauth3' } })).toBe(false);
  });
});
