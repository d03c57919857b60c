import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkIds } from '../../src/checker/index.js';
import { envNames, isCliOnly, serveOptionKeys } from '../../src/cli/serve/options.js';

const readme = () => readFile(new URL('../../README.md', import.meta.url), 'utf8');

/** The lines of the Markdown table that starts with `header`. */
function tableRows(text: string, header: string): string[] {
  const start = text.indexOf(header);
  expect(start, header).toBeGreaterThan(0);
  const rows: string[] = [];
  for (const line of text.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe("README's serve configuration reference", () => {
  it('lists every option of the table with its environment variables and its config key', async () => {
    const text = await readme();
    const start = text.indexOf('### Configuration reference');
    expect(start).toBeGreaterThan(0);
    const section = text.slice(start, text.indexOf('\n## ', start));
    for (const key of serveOptionKeys.filter((k) => !isCliOnly(k))) {
      const row = section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${key}\``));
      expect(row, `a row with the config key ${key}`).toBeDefined();
      for (const name of envNames(key)) expect(row, `${key}: ${name}`).toContain(`\`${name}\``);
    }
  });

  it('names no PRC_ environment variable that serve does not read', async () => {
    const known = new Set(serveOptionKeys.flatMap((key) => envNames(key)));
    // The two that scripts/db-servers.sh sets for `npm run test:db`.
    known.add('PRC_TEST_POSTGRES_URL').add('PRC_TEST_MYSQL_URL');
    const named = new Set((await readme()).match(/\bPRC_[A-Z0-9_]+/g));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
  });
});

describe("README's check reference", () => {
  it('describes every check of `check`, and no other', async () => {
    const rows = tableRows(await readme(), '| check id |');
    const listed = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
    expect([...listed].sort()).toEqual([...checkIds].sort());
  });
});
