import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtmlReport, verifyConnector, type CheckReport } from '../../src/checker/index.js';
import { contrastRatio, textColourOn } from '../../src/checker/reporters/html-kit.js';
import { runCli } from '../support/cli.js';
import { customer, fixturePhones, label, startFixture, type Fixture } from './fixtures/connector.js';
import { BAD_COLOURS, HOSTILE_TOKEN, HTML_ATTACKS, htmlAttack } from './fixtures/html-attack.js';

let good: Fixture;
let hostile: Fixture;
let dir: string;
let hostileReport: CheckReport;
beforeAll(async () => {
  [good, hostile] = await Promise.all([startFixture(), startFixture(htmlAttack())]);
  dir = await mkdtemp(join(tmpdir(), 'prc-html-'));
  hostileReport = await verifyConnector({ customerQueryUrl: hostile.customerQueryUrl, labelsUrl: hostile.labelsUrl, phones: ['1111'], headers: { authorization: `Bearer ${HOSTILE_TOKEN}` } });
});
afterAll(async () => {
  await Promise.all([good.close(), hostile.close(), rm(dir, { recursive: true, force: true })]);
});

// Every `style` attribute's colours, as chips carry them.
const chipColours = (html: string) => [...html.matchAll(/style="background-color:(#[0-9a-f]{6});color:(#[0-9a-f]{6})"/g)].map((m) => ({ background: m[1]!, text: m[2]! }));

describe('formatHtmlReport', () => {
  it('is one page with no script, nothing to load, and a CSP meta forbidding both', () => {
    const html = formatHtmlReport(hostileReport);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`);
    // Text escapes `<`, so every `<` opens a real tag: none loads or runs anything.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    const names = new Set(tags.map((tag) => /^<([a-z0-9]+)/i.exec(tag)![1]!.toLowerCase()));
    for (const name of ['script', 'link', 'iframe', 'img', 'object', 'embed', 'base', 'form']) expect(names).not.toContain(name);
    for (const tag of tags) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\s(on\w+|src|href|srcdoc|xlink:href)=/i);
    expect(html.slice(html.indexOf('<style>'), html.indexOf('</style>'))).not.toMatch(/@import|url\(/);
  });

  it('escapes every text from the connector: the attacks show as text', () => {
    const html = formatHtmlReport(hostileReport);
    for (const attack of HTML_ATTACKS) expect(html).toContain(attack.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;'));
  });

  it('uses a colour only when it is #RRGGBB, and shows and flags anything else as text', () => {
    const html = formatHtmlReport(hostileReport);
    expect(chipColours(html).map((chip) => chip.background).sort()).toEqual(['#101010', '#101010', '#3cb44b', '#3cb44b', '#f032e6']);
    for (const colour of BAD_COLOURS) expect(html).toContain(`colour ${JSON.stringify(colour).replaceAll('"', '&quot;')} is not #RRGGBB`);
    expect(html).toContain('4 labels without a #RRGGBB colour: shown as text.');
  });

  it('gives each chip the text colour with the higher contrast, at least WCAG AA', () => {
    for (const { background, text } of chipColours(formatHtmlReport(hostileReport))) expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(4.5);
    expect(textColourOn('#101010')).toBe('#ffffff');
    expect(textColourOn('#f032e6')).toBe('#000000');
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    // The worst case of all 16.7 million colours still reaches AA with the better of the two.
    let worst = 21;
    for (let value = 0; value < 0x1000000; value += 0x010101 * 3 + 1) {
      const colour = `#${value.toString(16).padStart(6, '0')}`;
      worst = Math.min(worst, contrastRatio(colour, textColourOn(colour)));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('masks the credential the connector quoted, as the other formats do', () => {
    const html = formatHtmlReport(hostileReport);
    expect(html).not.toContain(HOSTILE_TOKEN);
    expect(html).toContain('token is ***');
  });

  it('shows the verdict first, the masked URLs, each customer with their chips and unknown ids flagged', () => {
    const html = formatHtmlReport(hostileReport);
    const verdict = html.indexOf('class="verdict"');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(html.indexOf('Customer URL'));
    expect(html).toMatch(/<p class="verdict"><span class="state state-fail"><span aria-hidden="true">✖<\/span> failed<\/span>/);
    expect(html).toContain('not in the label list');
  });
});

describe('the labels and customers a report carries', () => {
  it('are bounded: the first 500 labels, each text cut at 200 characters', async () => {
    const labels = Array.from({ length: 600 }, (_, index) => label(`L-${index}`, `${'n'.repeat(300)}${index}`));
    const big = await startFixture({ labels, customers: [customer('C-1', '1111', ['L-0', 'L-599'])] });
    try {
      const report = await verifyConnector({ customerQueryUrl: big.customerQueryUrl, labelsUrl: big.labelsUrl, phones: ['1111', '2222'], only: ['labels.status'] });
      expect(report.labels).toHaveLength(500);
      expect(report.labels![0]!.name).toBe(`${'n'.repeat(200)}…`);
      expect(report.customers).toEqual([
        { phone: '1111', found: true, _id: 'C-1', labels: ['L-0', 'L-599'] },
        { phone: '2222', found: false, labels: [] },
      ]);
      // An id past the 500 kept is shown, not dropped, and not called unknown.
      expect(formatHtmlReport(report)).toContain('L-599 <small>not among the first 500 labels</small>');
    } finally {
      await big.close();
    }
  });
});

describe('check --format html and --html', () => {
  it('writes the HTML report beside JUnit, with priorities as bars and response times against the budget', async () => {
    const junit = join(dir, 'check.xml');
    const page = join(dir, 'report.html');
    const args = ['check', '--customer-url', good.customerQueryUrl, '--labels-url', good.labelsUrl, ...fixturePhones.flatMap((phone) => ['--phone', phone])];
    const run = await runCli([...args, '--weights', 'Gold=8,Vip=10', '--budget', '750', '--format', 'junit', '--output', junit, '--html', page]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(junit, 'utf8')).toMatch(/^<\?xml/);
    const html = await readFile(page, 'utf8');
    expect(html).toContain('<span class="state state-pass"><span aria-hidden="true">✔</span> passed</span>');
    expect(html).toContain('aria-label="priority 10 of 10"');
    expect(html).toContain('aria-label="priority 8 of 10"');
    expect(html).toMatch(/Response time of each of \d+ requests against the 750 ms budget/);
    expect(html).toContain('budget 750 ms');
    const alone = await runCli([...args, '--format', 'html']);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/^<!DOCTYPE html>/);
  });

  it("names each request once by its method: a POST's subject already says POST", () => {
    const html = formatHtmlReport(hostileReport);
    expect(html).toContain('POST customer URL');
    expect(html).not.toContain('POST POST');
    expect(html).toContain('GET phone 1111');
  });

  it('refuses an --html path it cannot write before sending anything (exit 2)', async () => {
    const run = await runCli(['check', '--customer-url', good.customerQueryUrl, '--labels-url', good.labelsUrl, '--phone', '1111', '--html', join(dir, 'missing', 'r.html')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--html');
  });
});
