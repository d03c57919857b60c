import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkIds } from '../../src/checker/index.js';
import { knownVariables, lookUp } from '../../src/cli/environment.js';
import { envNames, isCliOnly, serveOptionKeys } from '../../src/cli/serve/options.js';

const page = (path: string) => () => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The configuration reference moved from the README into the serve guide, the check ids into the checking guide. */
const serveGuide = page('docs/serve.md');
const checkingGuide = page('docs/checking.md');
/** The README and every guide: any of them may name a `PRC_` variable. */
async function allPages(): Promise<string> {
  const guides = (await readdir(new URL('../../docs/', import.meta.url))).filter((name) => name.endsWith('.md'));
  return (await Promise.all(['README.md', ...guides.map((name) => `docs/${name}`)].map((path) => page(path)()))).join('\n');
}

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

describe("docs/serve.md's configuration reference", () => {
  it('lists every option of the table with its environment variables and its config key', async () => {
    const text = await serveGuide();
    const start = text.indexOf('## Configuration reference');
    expect(start).toBeGreaterThan(0);
    const end = text.indexOf('\n## ', start + 1);
    const section = text.slice(start, end === -1 ? undefined : end);
    for (const key of serveOptionKeys.filter((k) => !isCliOnly(k))) {
      const row = section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${key}\``));
      expect(row, `a row with the config key ${key}`).toBeDefined();
      for (const name of envNames(key)) expect(row, `${key}: ${name}`).toContain(`\`${name}\``);
    }
  });

  it('names no PRC_ environment variable that no command reads (the one table of src/cli/environment.ts), in the README or any guide', async () => {
    const known = knownVariables();
    const pages = await allPages();
    const named = new Set(pages.match(/\bPRC_[A-Z0-9_]+/g));
    expect(named.size).toBeGreaterThan(5);
    // A process warning's code (written "code `PRC_…`") is not a variable.
    const warningCodes = new Set([...pages.matchAll(/code\s+`(PRC_[A-Z0-9_]+)`/g)].map((match) => match[1]));
    // A family is written PRC_CHECK_HEADER_<NAME>: the match stops at the "<".
    expect([...named].filter((name) => !known.has(name) && !warningCodes.has(name) && lookUp(known, name) === undefined)).toEqual([]);
  });
});

describe("docs/checking.md's check reference", () => {
  it('describes every check of `check`, and no other', async () => {
    const rows = tableRows(await checkingGuide(), '| check id |');
    const listed = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
    expect([...listed].sort()).toEqual([...checkIds].sort());
  });
});
