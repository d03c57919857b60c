/** The suites `npm run bench` runs, in order; `--only` takes a comma-separated subset. */
export const suiteNames = ['inprocess', 'http', 'scale', 'startup', 'checker', 'query', 'resilience', 'phone', 'readyz', 'serve', 'crm', 'load', 'sql', 'sql-mariadb'] as const;

/** The name of a suite. */
export type SuiteName = (typeof suiteNames)[number];
