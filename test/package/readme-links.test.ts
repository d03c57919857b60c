import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const readme = read('README.md');
/** The guides under docs/, as the package ships them. */
const guides = readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
/** Every page a reader of the npm package sees: the README and the guides. */
const pages = [['README.md', readme] as const, ...guides.map((path) => [path, read(path)] as const)];
const linksOf = (text: string) => [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);

/** What `npm pack` ships (scripts skipped: the file list does not need a build). */
function shippedFiles(): Set<string> {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  return new Set((JSON.parse(output) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path));
}

// The README is the package's page on npm, and the guides are files of the package: neither has
// a repository to resolve relative links against, so a link must be absolute, an anchor on the
// same page, or a file of the package on its CDN. Guides are named as plain text (docs/serve.md).
describe.each(pages)('links in %s', (path, text) => {
  const links = linksOf(text);

  it('are absolute or in-page anchors, never relative paths', () => {
    expect(links.filter((link) => !/^(https:\/\/|#)/.test(link))).toEqual([]);
  });

  it('in-page anchors name a heading of the same page', () => {
    // GitHub's and npm's slugs: lower case, punctuation but `-` dropped, spaces as `-`.
    const prose = text.replace(/^ *```[\s\S]*?^ *```/gm, '');
    const slugs = new Set(
      [...prose.matchAll(/^#+ (.+)$/gm)].map((match) => match[1]!.toLowerCase().replace(/[^\p{L}\p{N}\- ]/gu, '').replaceAll(' ', '-')),
    );
    const anchors = links.filter((link) => link.startsWith('#')).map((link) => link.slice(1));
    expect(anchors.filter((anchor) => !slugs.has(anchor)), path).toEqual([]);
  });
});

describe('README links', () => {
  it('include in-page anchors to its guides', () => {
    expect(linksOf(readme).filter((link) => link.startsWith('#')).length).toBeGreaterThan(5);
  });

  it('point into the published package only at files it ships', () => {
    const packageLinks = pages.flatMap(([, text]) => linksOf(text)).filter((link) => link.startsWith('https://cdn.jsdelivr.net/npm/priority-routing-crm/'));
    expect(packageLinks.length).toBeGreaterThan(0);
    const shipped = shippedFiles();
    for (const link of packageLinks) expect(shipped, link).toContain(link.slice('https://cdn.jsdelivr.net/npm/priority-routing-crm/'.length));
  });
});

describe('the guides under docs/', () => {
  const named = new Set(readme.match(/\bdocs\/[\w-]+\.md\b/g));

  it('are each named in the README, and every guide the README names exists', () => {
    expect(named.size).toBeGreaterThanOrEqual(4);
    expect([...named].sort()).toEqual([...guides].sort());
  });

  it('ship in the package', () => {
    const shipped = shippedFiles();
    for (const guide of named) expect(shipped, guide).toContain(guide);
  });

  it('name only guides that exist', () => {
    for (const [path, text] of pages) {
      for (const guide of new Set(text.match(/\bdocs\/[\w-]+\.md\b/g))) expect(guides, `${path} names ${guide}`).toContain(guide);
    }
  });

  it('each start with a title and a paragraph saying what the guide is for', () => {
    for (const [path, text] of pages.slice(1)) expect(text, path).toMatch(/^# .+\n\nWhat this is for: /);
  });
});
