/**
 * Writes crm-profile.schema.json from the zod schema of a CRM profile (`npm run crm-schema`).
 * test/crm/profile-schema.test.ts fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCrmProfileJsonSchema } from '../src/crm/json-schema.js';

const target = fileURLToPath(new URL('../crm-profile.schema.json', import.meta.url));
writeFileSync(target, renderCrmProfileJsonSchema());
console.log(`wrote ${target}`);
