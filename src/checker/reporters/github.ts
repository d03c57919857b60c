import type { CheckReport } from '../report.js';
import { escapedLines, escapeTerminal } from './escape.js';
import { issueLines } from './select.js';

// GitHub's workflow command escaping: data escapes %, CR, LF; property values also : and ,.
const escapeData = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (text: string) => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

/**
 * GitHub Actions annotations for the failed (`::error`) and warned (`::warning`) checks, one
 * line each, escaped as GitHub requires; `""` when there are none. A connector's control
 * characters are shown escaped (`\u001b`), never sent raw to the log.
 *
 * @example
 * ```ts
 * import { formatGithubAnnotations } from 'priority-routing-crm/testing';
 * if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(formatGithubAnnotations(report));
 * // ::error title=customer.schema%3A Each customer conforms to the contract::1 violation …
 * ```
 */
export function formatGithubAnnotations(report: CheckReport): string {
  return report.checks
    .filter((check) => check.status === 'fail' || check.status === 'warn')
    .map((check) => {
      const command = check.status === 'fail' ? 'error' : 'warning';
      // Control characters shown escaped first, so only the checker's own line breaks become %0A.
      const message = [...escapedLines(check.detail), ...issueLines(check, 10).map(escapeTerminal)].join('\n');
      return `::${command} title=${escapeProperty(escapeTerminal(`${check.id}: ${check.title}`))}::${escapeData(message)}\n`;
    })
    .join('');
}
