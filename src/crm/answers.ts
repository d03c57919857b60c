/** Replaces every credential in a text by `***`. */
export type Masker = (text: string) => string;

/** A masker for these secrets (empty ones ignored, longest first so that none is half-masked). */
export function masker(secrets: Iterable<string>): Masker {
  const list = [...new Set([...secrets].filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  const encoded = list.flatMap((secret) => [secret, encodeURIComponent(secret)]);
  return (text) => encoded.reduce((masked, secret) => masked.replaceAll(secret, '***'), text);
}

const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The CRM's error code in an error answer, when it has a short one: OAuth's `error`
 * (`invalid_client`), Zoho's `code` (`INVALID_TOKEN`), HubSpot's `category`
 * (`INVALID_AUTHENTICATION`), OData's `error.code` (Dataverse `0x80072322`). Anything longer or
 * stranger is not quoted (it could be anything).
 */
export function crmErrorCode(answer: unknown): string | undefined {
  // Salesforce answers a list: [{ "message": …, "errorCode": "INVALID_SESSION_ID" }].
  if (Array.isArray(answer)) return answer.length > 0 ? crmErrorCode(answer[0]) : undefined;
  if (typeof answer !== 'object' || answer === null) return undefined;
  const record = answer as Record<string, unknown>;
  // OData (Dataverse): { "error": { "code": "0x80072322", "message": "…" } }.
  if (typeof record.error === 'object' && record.error !== null && !Array.isArray(record.error)) return crmErrorCode(record.error);
  for (const key of ['error', 'code', 'category', 'errorCode']) {
    const value = record[key];
    if (typeof value === 'string' && CODE.test(value)) return value;
  }
  // Zoho nests: { "data": [{ "code": "INVALID_DATA" }] }.
  const data = record.data;
  return Array.isArray(data) && data.length > 0 ? crmErrorCode(data[0]) : undefined;
}

/**
 * How many seconds a rate-limited answer asks to wait: `Retry-After` (seconds or an HTTP date),
 * `X-RateLimit-Reset` (seconds, or a Unix time), or the profile's body hint; `undefined` when
 * none says.
 */
export function retryAfterSeconds(headers: { get(name: string): string | null }, bodyHint: unknown, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // A Unix time (GitHub style) or seconds from now (IETF draft style).
    return value > 1e9 ? Math.max(0, value - now / 1000) : value;
  }
  const hint = typeof bodyHint === 'string' ? Number(bodyHint) : bodyHint;
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? hint : undefined;
}

/** One line, at most 200 characters: a CRM's message as a log may quote it. */
export const oneLine = (text: string) => {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};

/**
 * The CRM's own words in an error answer, as a log may quote them (one line, bounded): `message`
 * (HubSpot, Zoho; of the first item for a list, as Salesforce answers), OData's `error.message`
 * (Dataverse), OAuth's `error_description` up to its first line break (Entra ID's
 * `AADSTS7000215: Invalid client secret provided. …`, whose later lines are trace ids), or an
 * `error` that is a sentence rather than the `code` already quoted (Pipedrive's "unauthorized access").
 */
export function crmErrorMessage(answer: unknown, code?: string): string | undefined {
  const first: unknown = Array.isArray(answer) ? answer[0] : answer;
  if (typeof first !== 'object' || first === null) return undefined;
  const { message, error, error_description: description } = first as Record<string, unknown>;
  const text =
    typeof message === 'string' && message.trim() !== ''
      ? message
      : typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
        ? (error as { message: string }).message
        : typeof description === 'string' && description.trim() !== ''
          ? description.split(/\r?\n/)[0]!
          : typeof error === 'string' && error !== code
            ? error
            : undefined;
  return text === undefined || text.trim() === '' ? undefined : oneLine(text);
}
