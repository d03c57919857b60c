import type { CheckResult, PhonePriority } from './report.js';

type Redact = (text: string) => string;

const optional = <K extends string>(key: K, value: string | undefined, redact: Redact) =>
  (value === undefined ? {} : { [key]: redact(value) }) as Partial<Record<K, string>>;

/**
 * The result with every text a connector could have put in it masked by `redact`: the detail,
 * each issue and each request. Ids, titles and statuses are the checker's own and stay. Applied
 * once to every result, so no rule has to remember that a problem `detail` may echo a token.
 */
export function redactCheckResult(result: CheckResult, redact: Redact): CheckResult {
  return {
    ...result,
    detail: redact(result.detail),
    issues: result.issues.map((issue) => ({
      ...issue,
      path: redact(issue.path),
      message: redact(issue.message),
      ...optional('subject', issue.subject, redact),
    })),
    requests: result.requests.map((request) => ({ ...request, subject: redact(request.subject), url: redact(request.url), curl: redact(request.curl) })),
  };
}

/**
 * The priority with the label ids, names and sentences (all from the connector) masked by `redact`.
 */
export function redactPhonePriority(entry: PhonePriority, redact: Redact): PhonePriority {
  return {
    ...entry,
    reason: redact(entry.reason),
    matched: entry.matched.map((match) => ({ ...match, labelId: redact(match.labelId), name: redact(match.name) })),
    ignored: entry.ignored.map((ignored) => ({
      ...ignored,
      labelId: redact(ignored.labelId),
      ...optional('name', ignored.name, redact),
      ...optional('nearMiss', ignored.nearMiss, redact),
      ...optional('hint', ignored.hint, redact),
    })),
  };
}
