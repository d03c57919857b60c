/**
 * Every environment variable of a CRM source: the built-in profiles read them, `serve --crm` and
 * `crm check` pass them on, and `serve` knows them as its own (an unknown `PRC_*` is refused).
 * Credentials only ever come from here or from `--config`, never from flags.
 *
 * @example
 * ```ts
 * import { CRM_ENV_VARS } from 'priority-routing-crm/crm';
 * CRM_ENV_VARS.includes('PRC_CRM_TOKEN'); // true
 * ```
 */
export const CRM_ENV_VARS = Object.freeze([
  'PRC_CRM_TOKEN',
  'PRC_CRM_CLIENT_ID',
  'PRC_CRM_CLIENT_SECRET',
  'PRC_CRM_REFRESH_TOKEN',
  'PRC_CRM_BASE_URL',
  'PRC_CRM_TOKEN_URL',
  'PRC_CRM_LABEL_PROPERTY',
  'PRC_CRM_TENANT_ID',
] as const);

/** The ones that are credentials: masked wherever a value is shown. */
export const CRM_SECRET_ENV_VARS: ReadonlySet<string> = new Set(['PRC_CRM_TOKEN', 'PRC_CRM_CLIENT_SECRET', 'PRC_CRM_REFRESH_TOKEN']);
