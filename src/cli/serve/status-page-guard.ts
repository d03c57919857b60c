import { UsageError } from '../usage.js';
import type { ServeConfig } from './options.js';

/**
 * `serve --status-page` where anyone could reach it: refused at start (exit 2). The page shows
 * traffic, masked numbers and the data source, and answers look-ups.
 */
export function assertStatusPageAllowed(config: Pick<ServeConfig, 'statusPage' | 'host' | 'token' | 'basicAuth' | 'bearerToken' | 'apiKey'>): void {
  if (config.statusPage !== true) return;
  const loopback = config.host === 'localhost' || config.host === '::1' || config.host.startsWith('127.');
  const credentials = [config.token, config.basicAuth, config.bearerToken, config.apiKey].some((value) => value !== undefined);
  if (!loopback && !credentials) {
    throw new UsageError(`--status-page on ${config.host} needs credentials: set PRC_TOKEN or PRC_BASIC_AUTH (the page asks for the same ones as the connector), or bind --host 127.0.0.1`);
  }
}
