import { refIdParameter } from '../contract/url-template.js';
import type { ContractIssue, Problem } from '../contract/index.js';
import { redactUrl } from '../redaction/redact.js';
import { secretMasker } from '../redaction/secrets.js';

/**
 * How a client shows what it sent and what a connector answered: URLs masked as `redactUrl`
 * does, and every secret of the client (header values, URL passwords, query tokens, in every
 * form) masked in text the connector wrote, unless `showSecrets`.
 */
export interface ResultMasker {
  url(url: string, endpoint: 'customer' | 'labels'): string;
  text(text: string): string;
  problem(problem: Problem | undefined): Problem | undefined;
  issues(issues: ContractIssue[]): ContractIssue[];
}

/**
 * Makes the {@link ResultMasker} of one client.
 */
export function resultMasker(options: {
  customerQueryUrl: string;
  labelsUrl: string;
  headers?: Readonly<Record<string, string>> | undefined;
  showSecrets?: boolean | undefined;
}): ResultMasker {
  const showSecrets = options.showSecrets === true;
  // The customer URL keeps its phone parameter; the labels URL keeps no query value.
  const keep = { customer: refIdParameter(options.customerQueryUrl) ?? [], labels: [] };
  const text = showSecrets
    ? (shown: string) => shown
    : secretMasker({
        headers: options.headers ?? {},
        urls: [
          { url: options.customerQueryUrl, keep: keep.customer },
          { url: options.labelsUrl, keep: keep.labels },
        ],
      });
  return {
    url: (url, endpoint) => redactUrl(url, { keep: keep[endpoint], showSecrets }),
    text,
    problem: (problem) =>
      problem === undefined || showSecrets
        ? problem
        : (Object.fromEntries(Object.entries(problem).map(([key, value]) => [key, typeof value === 'string' ? text(value) : value])) as Problem),
    issues: (issues) => (showSecrets ? issues : issues.map((issue) => ({ ...issue, path: text(issue.path), message: text(issue.message) }))),
  };
}
