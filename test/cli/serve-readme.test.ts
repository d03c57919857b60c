import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { envNames, isCliOnly, serveOptionKeys } from '../../src/cli/serve/options.js';

describe("README's serve configuration reference", () => {
  it('lists every option of the table with its environment variables and its config key', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### Configuration reference');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    for (const key of serveOptionKeys.filter((k) => !isCliOnly(k))) {
      const row = section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${key}\``));
      expect(row, `a row with the config key ${key}`).toBeDefined();
      for (const name of envNames(key)) expect(row, `${key}: ${name}`).toContain(`\`${name}\``);
    }
  });
});
