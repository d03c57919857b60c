import { createConnector, type Connector, type ConnectorOptions } from '../core/connector.js';

/**
 * What every adapter factory accepts: a connector made with `createConnector`, or the options to
 * make one. Passing a connector lets one instance (and its hooks) serve several adapters.
 *
 * @example
 * ```ts
 * import { type ConnectorInput } from 'priority-routing-crm/node';
 * const input: ConnectorInput = { repository, basePath: '/cim' };
 * ```
 */
export type ConnectorInput = Connector | ConnectorOptions;

/**
 * The connector an adapter serves: `input` itself when it is one, else a new one from the options.
 */
export function resolveConnector(input: ConnectorInput): Connector {
  return 'repository' in input ? createConnector(input) : input;
}
