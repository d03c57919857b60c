import { describe, expect, it } from 'vitest';
import { envNames, isEnvOnly, keyOfFlag, serveOptionKeys } from '../../src/cli/serve/options.js';
import { CRM_ENV_VARS } from '../../src/crm/index.js';

describe('the PRC_CRM_* variables', () => {
  it('are all options of serve (so a check for unknown PRC_ variables knows them), and none is a flag', () => {
    const known = new Map(serveOptionKeys.flatMap((key) => envNames(key).map((name) => [name, key] as const)));
    for (const name of CRM_ENV_VARS) {
      expect(known.has(name), name).toBe(true);
      expect(isEnvOnly(known.get(name)!), name).toBe(true);
    }
    expect(keyOfFlag.get('crm')).toBe('crm');
  });
});
