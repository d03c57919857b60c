import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);

/** What `npm pack` ships (scripts skipped: the file list does not need a build). */
function shippedFiles(): Set<string> {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  return new Set((JSON.parse(output) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path));
}

// The README is the package's page on npm, which has no repository to resolve relative links
// against: a link must be absolute, an anchor on the page, or a file of the package on its CDN.
describe('README links', () => {
  it('are absolute or in-page anchors, never relative paths', () => {
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !/^(https:\/\/|#)/.test(link))).toEqual([]);
  });

  it('in-page anchors name a heading of the README', () => {
    // GitHub's and npm's slugs: lower case, punctuation but `-` dropped, spaces as `-`.
    const prose = readme.replace(/^```[\s\S]*?^```/gm, '');
    const slugs = new Set(
      [...prose.matchAll(/^#+ (.+)$/gm)].map((match) => match[1]!.toLowerCase().replace(/[^\p{L}\p{N}\- ]/gu, '').replaceAll(' ', '-')),
    );
    const anchors = links.filter((link) => link.startsWith('#')).map((link) => link.slice(1));
    expect(anchors.length).toBeGreaterThan(5);
    expect(anchors.filter((anchor) => !slugs.has(anchor))).toEqual([]);
  });

  it('point into the published package only at files it ships', () => {
    const packageLinks = links.filter((link) => link.startsWith('https://cdn.jsdelivr.net/npm/priority-routing-crm/'));
    expect(packageLinks.length).toBeGreaterThan(0);
    const shipped = shippedFiles();
    for (const link of packageLinks) expect(shipped, link).toContain(link.slice('https://cdn.jsdelivr.net/npm/priority-routing-crm/'.length));
  });
});
