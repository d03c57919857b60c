// Internal: the contract's names in one import for the rest of src/. Not an entry, and not the
// public list: a name is public only if src/index.ts exports it (contractRegistry,
// toContractIssues and the like are here for the package's own use).
export { CustomerSchema, LenientCustomerSchema, customerFieldNames } from './customer.js';
export { LabelSchema, LabelListSchema, LenientLabelSchema, LenientLabelListSchema } from './label.js';
export { ProblemSchema } from './problem.js';
export {
  CustomerQuerySchema,
  CUSTOMER_QUERY_PATTERN,
  ParsedCustomerQuerySchema,
  parseCustomerQuery,
  customerQueryMessages,
  type CustomerQueryError,
} from './query.js';
export { normalizePhone, MAX_PHONE_LENGTH } from './phone.js';
export { phoneKeys, phoneKey, phoneReadings, isCountryCode, countryCodeProblem, type CountryCode } from './phone-keys.js';
export { recordCountry } from './phone-plans.js';
export { toContractIssues, toJsonPath, describeValue, type ContractIssue } from './issues.js';
export {
  validateCustomer,
  validateLabelList,
  type ValidationMode,
  type ValidateOptions,
  type StrictCustomer,
  type StrictLabelList,
  type LenientCustomer,
  type LenientLabelList,
} from './validate.js';
export type { Result } from './result.js';
export { sampleCustomer, sampleLabels } from './samples.js';
export { contractRegistry, type ContractMeta } from './registry.js';
export type { Customer, Label, Problem, CustomerQuery } from './types.js';
