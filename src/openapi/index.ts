/**
 * The contract as an OpenAPI 3.1 document, built from the package's zod schemas.
 *
 * @packageDocumentation
 */
import { deepFreeze } from '../contract/deep-freeze.js';
import { createOpenApiDocument } from './document.js';

export { createOpenApiDocument, type OpenApiDocumentOptions, type OpenApi31Document } from './document.js';
export { problemResponseTable, type ProblemResponseName } from './responses.js';
export type { OpenApiSecurity } from './security.js';
export type { AuthScheme } from '../core/auth-schemes.js';
export type { Authenticate, AuthDecision } from '../core/auth.js';
export type { ConnectorRequest, HeaderValue } from '../core/http.js';
export type { MaybePromise } from '../core/repository.js';

/**
 * The document with the default server (`http://127.0.0.1:3000`, the reference connector).
 * Use {@link createOpenApiDocument} to point it at your own connector.
 *
 * @example
 * ```ts
 * import { openApiDocument } from 'priority-routing-crm/openapi';
 * openApiDocument.paths?.['/customer']?.get?.operationId; // 'lookupCustomer'
 * ```
 */
export const openApiDocument = deepFreeze(createOpenApiDocument());
