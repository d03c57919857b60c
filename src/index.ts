/**
 * priority-routing-crm: the Hybrid Chat priority-routing CRM contract (schemas, types and
 * validation helpers), plus the server-side handlers and the client that later modules add.
 *
 * @packageDocumentation
 */
export * from './contract/index.js';
