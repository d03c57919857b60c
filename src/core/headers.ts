import type { ConnectorRequest } from './http.js';

/**
 * Reads one request header from a {@link ConnectorRequest}, whether its headers are a `node:http`
 * record (lower-case names, arrays for repeated headers), a record in any case, or a fetch
 * `Headers`. Repeated values are joined with `, ` as HTTP does.
 */
export function readHeader(request: ConnectorRequest, name: string): string | undefined {
  const headers = request.headers;
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  if (typeof headers.get === 'function') return (headers as Headers).get(lower) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[lower];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
