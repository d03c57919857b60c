/**
 * priority-routing-crm/crm: customers and labels from a SaaS or in-house REST CRM, described by
 * a declarative profile (built in: Zoho CRM, HubSpot, Dynamics 365 / Dataverse, Salesforce and Pipedrive). The profile's JSON Schema ships as
 * `priority-routing-crm/crm-profile.schema.json`.
 *
 * @packageDocumentation
 */
export { createCrmRepository, type CrmRepository, type CrmRepositoryOptions, type CrmTokenInfo } from './repository.js';
export { crmProfiles, CrmProfileError, type CrmProfileName } from './profile.js';
export { CrmProfileSchema, type CrmProfile, type CrmProfileInput, type CrmProfileOverride } from './schema.js';
export { CrmResponseError, CrmRateLimitError } from './errors.js';
export { labelPalette, paletteColor } from './mapping.js';
/** The environment variables the built-in profiles and `serve --crm` read. */
export { CRM_ENV_VARS } from './env.js';
export { CircuitOpenError } from '../repositories/circuit-open-error.js';
export type { FetchLike } from '../transport/exchange.js';
export type { ContractIssue } from '../contract/issues.js';
export type * from '../core/repository.js';
export type { Customer, Label, CustomerQuery } from '../contract/types.js';
