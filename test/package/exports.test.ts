import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries, type EntryName, loadEntry } from './entries.js';

/**
 * Every runtime export of every entry, by name. Each is a semver promise: adding one to an entry
 * is a deliberate change made here too, and removing one is a breaking change for the CHANGELOG.
 */
const runtimeExports: Record<EntryName, readonly string[]> = {
  'priority-routing-crm': [
    'CUSTOMER_QUERY_PATTERN',
    'CircuitOpenError',
    'CustomerQuerySchema',
    'CustomerSchema',
    'DEFAULT_MAX_BODY_BYTES',
    'DataSetError',
    'LabelListSchema',
    'LabelSchema',
    'LenientCustomerSchema',
    'LenientLabelListSchema',
    'LenientLabelSchema',
    'MAX_PRIORITY',
    'MIN_PRIORITY',
    'ProblemSchema',
    'REF_ID_PLACEHOLDER',
    'anyAuth',
    'apiKeyAuth',
    'assertPriorityWeights',
    'basicAuth',
    'bearerAuth',
    'createConnector',
    'createConnectorClient',
    'createMemoryRepository',
    'fillCustomerUrl',
    'isCountryCode',
    'listLabels',
    'lookupCustomer',
    'maskPhone',
    'normalizePhone',
    'parseCustomerQuery',
    'phoneKey',
    'phoneKeys',
    'problemTypes',
    'queryTokenAuth',
    'redactUrl',
    'resolvePriority',
    'sampleCustomer',
    'sampleDataSet',
    'sampleLabels',
    'samplePhones',
    'validateCustomer',
    'validateLabelList',
    'withCache',
    'withCircuitBreaker',
  ],
  'priority-routing-crm/node': [
    'createConnector',
    'createKoaMiddleware',
    'createNodeHandler',
    'createNodeMiddleware',
    'fastifyConnector',
    'handleClientError',
    'startReferenceServer',
  ],
  'priority-routing-crm/fetch': [
    'createConnector',
    'createFetchHandler',
    'createRouteHandlers',
  ],
  'priority-routing-crm/sql': [
    'DEFAULT_LABEL_COLOR',
    'SqlMappingError',
    'SqlMappingSchema',
    'checkSqlDatabase',
    'createSqlRepository',
    'maskDatabaseUrl',
    'openSqlDatabase',
    'parseSqlMapping',
    'phoneIndexes',
    'redactDatabasePassword',
  ],
  'priority-routing-crm/crm': [
    'CRM_ENV_VARS',
    'CircuitOpenError',
    'CrmProfileError',
    'CrmProfileSchema',
    'CrmRateLimitError',
    'CrmResponseError',
    'createCrmRepository',
    'crmProfiles',
    'labelPalette',
    'paletteColor',
  ],
  'priority-routing-crm/openapi': [
    'createOpenApiDocument',
    'openApiDocument',
    'problemResponseTable',
  ],
  'priority-routing-crm/testing': [
    'CheckIssueSchema',
    'CheckOptionsError',
    'CheckReportSchema',
    'CheckRequestSchema',
    'CheckResultSchema',
    'CheckStatusSchema',
    'ConformanceError',
    'ConnectorUnreachableError',
    'PhonePrioritySchema',
    'checkDefinitions',
    'checkGroups',
    'checkIds',
    'checkReportJsonSchema',
    'defineConnectorConformanceTests',
    'escapeTerminal',
    'fetchFromHandler',
    'formatGithubAnnotations',
    'formatHtmlReport',
    'formatJsonReport',
    'formatJunitReport',
    'formatTextReport',
    'isCheckId',
    'selectChecks',
    'verifyConnector',
  ],
};


describe('public entries', () => {
  it('are the subpaths package.json exports (besides openapi.yaml and package.json)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    const subpaths = Object.keys(manifest.exports).filter((subpath) => !subpath.endsWith('.yaml') && !subpath.endsWith('.json'));
    expect(subpaths.map((subpath) => `priority-routing-crm${subpath.slice(1)}`).sort()).toEqual(Object.keys(entries).sort());
  });

  it.each(Object.keys(entries) as EntryName[])('%s exports exactly its listed runtime names', async (entry) => {
    expect(Object.keys(await loadEntry(entry)).sort()).toEqual([...runtimeExports[entry]].sort());
  });

  it('give problemTypes frozen, so the URIs cannot be changed from outside', async () => {
    const { problemTypes } = (await loadEntry('priority-routing-crm')) as { problemTypes: object };
    expect(Object.isFrozen(problemTypes)).toBe(true);
  });
});
