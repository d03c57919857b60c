/**
 * The contract as an OpenAPI 3.1 document, built from the package's zod schemas.
 *
 * @packageDocumentation
 */
import { deepFreeze } from '../contract/deep-freeze.js';
import { createOpenApiDocument, type OpenApi31Document } from './document.js';

export { createOpenApiDocument, type OpenApiDocumentOptions, type OpenApi31Document } from './document.js';
export { problemResponseTable, type ProblemResponseName } from './responses.js';
export type { OpenApiSecurity } from './security.js';
export type { AuthScheme } from '../core/auth-schemes.js';
export type { Authenticate, AuthDecision } from '../core/auth.js';
export type { ConnectorRequest, HeaderValue } from '../core/http.js';
export type { MaybePromise } from '../core/repository.js';

/**
 * The document with the default server (`http://127.0.0.1:3000`, the reference connector).
 * Use {@link createOpenApiDocument} to point it at your own connector. Frozen all the way down
 * (every importer in the process shares it): editing it throws a `TypeError`, so edit a document
 * of your own from {@link createOpenApiDocument} instead. Its type is read-only at the top level so
 * that TypeScript refuses the likeliest edit (`openApiDocument.servers = …`) before it throws.
 *
 * @example
 * ```ts
 * import { openApiDocument } from 'priority-routing-crm/openapi';
 * openApiDocument.paths?.['/customer']?.get?.operationId; // 'lookupCustomer'
 * ```
 */
export const openApiDocument: Readonly<OpenApi31Document> = deepFreeze(createOpenApiDocument());
