import type { CheckReport } from '../report.js';
import { issueLines } from './select.js';

// GitHub's workflow command escaping: data escapes %, CR, LF; property values also : and ,.
const escapeData = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (text: string) => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

/**
 * GitHub Actions annotations for the failed (`::error`) and warned (`::warning`) checks, one
 * line each, escaped as GitHub requires; `""` when there are none.
 *
 * @example
 * ```ts
 * if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(formatGithubAnnotations(report));
 * // ::error title=customer.schema%3A Each customer conforms to the contract::1 violation …
 * ```
 */
export function formatGithubAnnotations(report: CheckReport): string {
  return report.checks
    .filter((check) => check.status === 'fail' || check.status === 'warn')
    .map((check) => {
      const command = check.status === 'fail' ? 'error' : 'warning';
      const message = [check.detail, ...issueLines(check, 10)].join('\n');
      return `::${command} title=${escapeProperty(`${check.id}: ${check.title}`)}::${escapeData(message)}\n`;
    })
    .join('');
}
