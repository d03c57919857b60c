import { stderr } from 'node:process';
import type { ConnectorErrorEvent } from './hooks.js';

/** A thrown value as logged: its name and message (never a stack, which may quote CRM data at length). */
const describeThrown = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Line breaks would split one failure over several log lines (and let a message forge another). */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

/**
 * One failure as one line of text: status, kind, route, the masked phone, each contract issue
 * (path and message) and, for a thrown error, its name and message.
 */
export function connectorErrorLine(event: ConnectorErrorEvent): string {
  const parts = [`priority-routing-crm: ${event.status === 0 ? '' : `${event.status} `}${event.kind} on ${event.route === null ? '-' : `/${event.route}`}`];
  if (event.phone !== undefined) parts.push(`phone ${event.phone}`);
  for (const issue of event.issues ?? []) parts.push(`${issue.path}: ${issue.message}`);
  if (event.error !== undefined) parts.push(describeThrown(event.error));
  return oneLine(parts.join('; '));
}

/**
 * What a connector does with a failure when no `onError` is given: one line on stderr, so that
 * a 500/502/504 is never silent (the client's body only says that the connector log has the details).
 */
export function writeConnectorError(event: ConnectorErrorEvent): void {
  stderr.write(`${connectorErrorLine(event)}\n`);
}
