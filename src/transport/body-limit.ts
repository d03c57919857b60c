/**
 * The largest body the client and the checker read by default: 1 MiB. A label list of a few
 * thousand labels is far below it; a connector that sends more is broken or hostile.
 *
 * @example
 * ```ts
 * import { createConnectorClient, DEFAULT_MAX_BODY_BYTES } from 'priority-routing-crm';
 * createConnectorClient({ customerQueryUrl, labelsUrl, maxBodyBytes: 4 * DEFAULT_MAX_BODY_BYTES });
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * `1 MiB`, `64 KiB` or `1000 bytes`: a size as a limit is given.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/**
 * Throws a `TypeError` naming `name` unless `value` is a positive integer number of bytes.
 */
export function assertMaxBodyBytes(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new TypeError(`${name} must be a positive integer number of bytes, got ${value}`);
  }
}

/**
 * Reads a response body up to `maxBytes`: the text, or `tooLarge` as soon as it is longer (by
 * its `Content-Length` or while streaming), having stopped reading, so that no connector can
 * make the reader hold more than the limit.
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<{ body: string; tooLarge: boolean }> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (response.body === null) return { body: '', tooLarge: false };
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    return { body: '', tooLarge: true };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { body: '', tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body: new TextDecoder().decode(bytes), tooLarge: false };
}
