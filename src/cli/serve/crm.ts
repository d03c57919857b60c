import { CRM_ENV_VARS } from '../../crm/env.js';
import { CrmProfileError, crmProfiles } from '../../crm/profile.js';
import { createCrmRepository, type CrmRepository } from '../../crm/repository.js';
import type { CustomerRepository, LabelRecord } from '../../core/repository.js';
import type { CountryCode } from '../../contract/phone-keys.js';
import { readJsonFile, UsageError } from '../usage.js';

/** The `serve`/`crm check` settings a CRM source reads (already validated by serve's option table). */
export interface CrmSettings {
  crm: string;
  defaultCountry?: CountryCode | undefined;
  crmToken?: string | undefined;
  crmClientId?: string | undefined;
  crmClientSecret?: string | undefined;
  crmRefreshToken?: string | undefined;
  crmBaseUrl?: string | undefined;
  crmTokenUrl?: string | undefined;
  crmLabelProperty?: string | undefined;
  crmTenantId?: string | undefined;
}

/** The built-in profiles' names, from the one list of them. */
const BUILT_IN = new Set(Object.keys(crmProfiles));
/** Each `PRC_CRM_*` variable and the setting that may give it instead (from `--config`). */
const SETTING_OF: Record<(typeof CRM_ENV_VARS)[number], keyof CrmSettings> = {
  PRC_CRM_TOKEN: 'crmToken',
  PRC_CRM_CLIENT_ID: 'crmClientId',
  PRC_CRM_CLIENT_SECRET: 'crmClientSecret',
  PRC_CRM_REFRESH_TOKEN: 'crmRefreshToken',
  PRC_CRM_BASE_URL: 'crmBaseUrl',
  PRC_CRM_TOKEN_URL: 'crmTokenUrl',
  PRC_CRM_LABEL_PROPERTY: 'crmLabelProperty',
  PRC_CRM_TENANT_ID: 'crmTenantId',
};

/**
 * The built-in profile `--crm` names, in any case (`Zoho`); `undefined` for a file's path. A bare
 * word that is neither (`sugarcrm`) is a usage error listing the built-ins, not "no such file".
 */
function builtIn(crm: string): string | undefined {
  const name = crm.trim().toLowerCase();
  if (BUILT_IN.has(name)) return name;
  if (!/[./\\]/.test(crm)) {
    throw new UsageError(`--crm ${crm} is not a built-in profile (${[...BUILT_IN].join(', ')}) nor a file: give one of those, or the path of a profile file such as ./my-crm.json (docs/crm.md)`);
  }
  return undefined;
}

/**
 * Opens the CRM repository `--crm` names: a built-in profile or a profile file, with the
 * `PRC_CRM_*` values resolved by serve's configuration (environment, else `--config`). A missing
 * variable or a bad profile is a usage error (exit 2) naming it; an unreadable file is exit 1.
 */
export async function openCrmRepository(settings: CrmSettings, env: NodeJS.ProcessEnv, timeoutMs = 3000): Promise<CrmRepository> {
  const profile = builtIn(settings.crm) ?? (await readJsonFile(settings.crm, '--crm', (message) => new Error(message)));
  const values: Record<string, string | undefined> = { ...env };
  for (const name of CRM_ENV_VARS) {
    const value = settings[SETTING_OF[name]];
    if (typeof value === 'string') values[name] = value;
  }
  try {
    return createCrmRepository({ profile: profile as 'zoho', defaultCountry: settings.defaultCountry, env: values, timeoutMs });
  } catch (error) {
    if (error instanceof CrmProfileError || error instanceof TypeError) throw new UsageError(`--crm ${settings.crm}: ${error.message}`);
    throw error;
  }
}

/**
 * What `/readyz` asks for a CRM source: ready once a token was obtained and the label list was
 * read once; from then on it does not spend the CRM's API budget on probes.
 */
export function readyOnce(repository: CustomerRepository): CustomerRepository {
  let ready: readonly LabelRecord[] | undefined;
  return {
    findCustomerByPhone: (query, context) => repository.findCustomerByPhone(query, context),
    listLabels: async (context) => {
      if (ready !== undefined) return ready;
      const labels = await repository.listLabels(context);
      ready = labels;
      return labels;
    },
  };
}
