// Under exactOptionalPropertyTypes (this repo's tsconfig, and strict consumer projects), every
// optional field of a public options object accepts a value that may be `undefined`, such as
// `process.env.BASE_PATH`. Each line fails to compile if a field loses its `| undefined`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  createConnector,
  createConnectorClient,
  createMemoryRepository,
  phoneKey,
  phoneKeys,
  queryTokenAuth,
  sampleDataSet,
  validateCustomer,
  validateLabelList,
  withCache,
  withCircuitBreaker,
  type Authenticate,
  type CacheOptions,
  type CircuitBreakerOptions,
  type ConnectorClientOptions,
  type ConnectorOptions,
  type ConnectorRequest,
  type CountryCode,
  type FetchLike,
  type HandlerOptions,
  type MemoryRepositoryOptions,
  type RequestOptions,
  type ValidateOptions,
  type ValidationMode,
} from '../../src/index.js';
import { createNodeHandler, startReferenceServer, type ReferenceServerOptions } from '../../src/adapters/node.js';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import {
  checkSqlDatabase,
  createSqlRepository,
  openSqlDatabase,
  type CheckSqlDatabaseOptions,
  type OpenSqlDatabaseOptions,
  type SqlClient,
  type SqlDialect,
  type SqlRepositoryOptions,
} from '../../src/repositories/sql/index.js';
import { createOpenApiDocument, type OpenApiDocumentOptions, type OpenApiSecurity } from '../../src/openapi/index.js';
import {
  defineConnectorConformanceTests,
  formatHtmlReport,
  formatTextReport,
  verifyConnector,
  type CheckId,
  type CheckReport,
  type ConformanceOptions,
  type HtmlReportOptions,
  type PriorityWeights,
  type Styler,
  type TextReportOptions,
  type VerifyConnectorOptions,
} from '../../src/testing/index.js';

/** A value of type `T | undefined`, as `process.env.X` or an optional config field gives it. */
declare function maybe<T>(): T | undefined;
const repository = createMemoryRepository(sampleDataSet);
const string = maybe<string>;
const number = maybe<number>;
const boolean = maybe<boolean>;

describe('options accept undefined under exactOptionalPropertyTypes', () => {
  it('the connector, its handlers and auth helpers', () => {
    const handler: HandlerOptions = {
      timeoutMs: number(),
      authenticate: maybe<Authenticate>(),
      onError: maybe<HandlerOptions['onError'] & {}>(),
      onResponse: maybe<HandlerOptions['onResponse'] & {}>(),
      labelsCacheControl: string(),
      maskPhone: boolean(),
      defaultCountry: maybe<CountryCode>(),
    };
    const options: ConnectorOptions = { repository, basePath: string(), ...handler };
    createConnector({ repository, basePath: process.env.BASE_PATH, timeoutMs: undefined });
    createConnector(options);
    createNodeHandler({ repository, basePath: string() });
    createFetchHandler({ repository, basePath: string() });
    const request: ConnectorRequest = { url: '/label', method: string(), headers: maybe<Record<string, string>>() };
    expectTypeOf(request).toMatchTypeOf<ConnectorRequest>();
    queryTokenAuth({ token: 't', param: string() });
    apiKeyAuth({ key: 'k', header: string() });
    bearerAuth({ token: 't', realm: string() });
    basicAuth({ username: 'u', password: 'p', realm: string() });
    basicAuth({ credentials: [{ username: 'u', password: 'p' }], realm: string() });
  });

  it('the contract helpers', () => {
    const validate: ValidateOptions = { mode: maybe<ValidationMode>() };
    validateCustomer({}, validate);
    validateLabelList({}, { mode: maybe<ValidationMode>() });
    phoneKey('0300', { defaultCountry: maybe<CountryCode>() });
    phoneKeys('0300', { defaultCountry: maybe<CountryCode>() });
  });

  it('the repositories', () => {
    const memory: MemoryRepositoryOptions = { defaultCountry: maybe<CountryCode>() };
    createMemoryRepository(sampleDataSet, memory);
    const cache: CacheOptions = {
      labelsTtlMs: number(),
      staleIfErrorMs: number(),
      customersTtlMs: number(),
      maxCustomers: number(),
      notFoundTtlMs: number(),
      timeoutMs: number(),
      onError: maybe<CacheOptions['onError'] & {}>(),
      onEvent: maybe<CacheOptions['onEvent'] & {}>(),
    };
    withCache(repository, cache);
    const breaker: CircuitBreakerOptions = { failureThreshold: number(), cooldownMs: number(), onStateChange: maybe<CircuitBreakerOptions['onStateChange'] & {}>() };
    withCircuitBreaker(repository, breaker);
    const client = {} as SqlClient;
    const sql: SqlRepositoryOptions = { client, mapping: {}, defaultCountry: maybe<CountryCode>(), dialect: maybe<SqlDialect>() };
    createSqlRepository(sql);
    const check: CheckSqlDatabaseOptions = { client, mapping: {}, dialect: maybe<SqlDialect>(), sampleSize: number() };
    void checkSqlDatabase(check);
    const open: OpenSqlDatabaseOptions = { timeoutMs: number(), maxConnections: number() };
    void openSqlDatabase('postgres://localhost/crm', open);
  });

  it('the client, the reference server and the OpenAPI document', () => {
    const client: ConnectorClientOptions = {
      customerQueryUrl: 'http://crm/customer?query=phone:{refId}',
      labelsUrl: 'http://crm/label',
      fetch: maybe<FetchLike>(),
      timeoutMs: number(),
      maxBodyBytes: number(),
      mode: maybe<ValidationMode>(),
      headers: maybe<Record<string, string>>(),
      showSecrets: boolean(),
    };
    const request: RequestOptions = { signal: maybe<AbortSignal>() };
    void createConnectorClient(client).listLabels(request);
    const reference: ReferenceServerOptions = { port: number(), host: string(), basePath: string(), data: undefined, repository: undefined, timeoutMs: number() };
    void startReferenceServer(reference);
    const openapi: OpenApiDocumentOptions = { serverUrl: string(), serverDescription: string(), security: maybe<OpenApiSecurity>() };
    createOpenApiDocument(openapi);
  });

  it('the checker and the conformance kit', () => {
    const verify: VerifyConnectorOptions = {
      customerQueryUrl: 'http://crm/customer?query=phone:{refId}',
      labelsUrl: 'http://crm/label',
      phones: ['1111'],
      headers: maybe<Record<string, string>>(),
      timeoutMs: number(),
      maxBodyBytes: number(),
      budgetMs: number(),
      mode: maybe<ValidationMode>(),
      weights: maybe<PriorityWeights>(),
      only: maybe<CheckId[]>(),
      skip: maybe<CheckId[]>(),
      fetch: maybe<FetchLike>(),
      showSecrets: boolean(),
      signal: maybe<AbortSignal>(),
      onProgress: maybe<VerifyConnectorOptions['onProgress'] & {}>(),
    };
    void verifyConnector(verify);
    const text: TextReportOptions = { style: maybe<Styler>(), maxIssues: number() };
    formatTextReport({} as CheckReport, text);
    const html: HtmlReportOptions = { budgetMs: number() };
    formatHtmlReport({} as CheckReport, html);
    const conformance: ConformanceOptions = {
      describe: maybe<ConformanceOptions['describe'] & {}>(),
      it: maybe<ConformanceOptions['it'] & {}>(),
      name: string(),
      failOnWarn: boolean(),
      failOnSkip: boolean(),
      testTimeoutMs: number(),
    };
    defineConnectorConformanceTests({ handler: () => new Response(), basePath: string(), phones: ['1111'], mode: maybe<ValidationMode>() }, conformance);
    defineConnectorConformanceTests({ customerQueryUrl: verify.customerQueryUrl, labelsUrl: verify.labelsUrl, phones: ['1111'], fetch: maybe<FetchLike>() });
  });
});
