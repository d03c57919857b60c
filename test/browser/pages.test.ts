import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_ATTACKS, PWNED_FLAG, htmlAttack, HOSTILE_TOKEN } from '../checker/fixtures/html-attack.js';
import { startFixture, type Fixture } from '../checker/fixtures/connector.js';
import { runCli } from '../support/cli.js';
import { spawnServe, startJsonServe, stopServes, waitForJsonLine } from '../support/serve-process.js';
import { byImpact, chipColours, launchChromium, rgb, runAxe, watchPage, type AxeViolation, type PageWatch } from './browser.js';

const OUT = new URL('../../.ci/out/', import.meta.url).pathname;
const STATUS_PAGE_FIXTURE = new URL('../support/status-page-fixture.ts', import.meta.url).pathname;
const TOKEN = 'browser-status-token-5150';

let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let dir: string;
let files: Server;
let filesOrigin: string;
/** Every path the file server was asked for: the page's own requests, favicon included. */
const served: string[] = [];
let reference: { origin: string };
let hostile: Fixture;
/** axe-core's findings per page, written to .ci/out/axe-results.json for the closing note. */
const axeResults: Record<string, { byImpact: Record<string, number>; violations: AxeViolation[] }> = {};

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'prc-browser-'));
  browser = await launchChromium();
  context = browser.context;
  files = createServer((req, res) => {
    served.push(req.url ?? '');
    const name = /^\/([\w-]+\.html)$/.exec(req.url ?? '')?.[1];
    void (name === undefined ? Promise.reject(new Error('no such file')) : readFile(join(dir, name))).then(
      (body) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
  reference = await startJsonServe(['--port', '0', '--status-page', '--labels-ttl', '60000'], { env: { PRC_TOKEN: TOKEN } });
  hostile = await startFixture(htmlAttack());
}, 120_000);

afterAll(async () => {
  await writeFile(join(OUT, 'axe-results.json'), `${JSON.stringify(axeResults, null, 2)}\n`);
  stopServes();
  await Promise.all([browser?.close(), hostile?.close(), new Promise((resolve) => files?.close(resolve)), dir === undefined ? undefined : rm(dir, { recursive: true, force: true })]);
});

/** Opens `url` in a fresh tab, watching everything it does; the caller closes the tab. */
async function open(url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  const watch = watchPage(page);
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, watch };
}

/** No serious or critical axe-core violation; all of them recorded for the closing note. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await runAxe(page);
  axeResults[name] = { byImpact: byImpact(violations), violations };
  expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
}

/** Every chip with a colour shows it: the computed background is the declared colour. */
async function expectChipColours(page: Page, atLeast: number): Promise<void> {
  const chips = await chipColours(page);
  expect(chips.length).toBeGreaterThanOrEqual(atLeast);
  for (const chip of chips) expect(chip.computed).toBe(rgb(chip.declared));
}

/** What any hostile string tried: no script ran, no element it meant to make exists. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_FLAG)).toBeUndefined();
  expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe, object, embed, svg[onload]').length)).toBe(0);
  const text = await page.evaluate(() => document.body.innerText);
  for (const attack of HTML_ATTACKS) expect(text).toContain(attack);
}

async function writeReport(name: string, args: string[]): Promise<string> {
  const file = join(dir, `${name}.html`);
  const run = await runCli(['check', ...args, '--html', file]);
  expect(run.code, run.stderr).not.toBe(2);
  return `${filesOrigin}/${name}.html`;
}

describe('the checks themselves', () => {
  it('axe-core, as injected, does find serious and critical violations on a page that has them', async () => {
    await writeFile(join(dir, 'inaccessible.html'), '<!DOCTYPE html><html><head><title>x</title></head><body><p style="color:#777;background:#888">grey on grey</p><img src="data:,"></body></html>');
    const { page } = await open(`${filesOrigin}/inaccessible.html`);
    const impacts = new Set((await runAxe(page)).map((violation) => `${violation.id}:${violation.impact}`));
    expect(impacts).toContain('color-contrast:serious');
    expect(impacts).toContain('image-alt:critical');
    await page.close();
  });
});

describe('check --html in Chromium', () => {
  it('the reference connector\'s report: no console error, no request but the page, accessible, chips in their colours', async () => {
    const url = await writeReport('report-reference', [
      '--customer-url', `${reference.origin}/customer?token=${TOKEN}&query=phone:{refId}`,
      '--labels-url', `${reference.origin}/label?token=${TOKEN}`,
      '--phone', '1111', '--phone', '+923001234567', '--weights', 'Gold=8,Vip=10,Vvip=10', '--budget', '200',
    ]);
    served.length = 0;
    const { page, watch } = await open(url);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], requests: [url] });
    expect(served.filter((path) => path !== '/favicon.ico')).toEqual(['/report-reference.html']);
    expect(await page.locator('.verdict').innerText()).toMatch(/passed|warned/);
    expect(await page.locator('svg.scale').count()).toBe(2);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(5);
    expect(await page.content()).not.toContain(TOKEN);
    await expectChipColours(page, 5);
    await expectAccessible(page, 'report (reference connector)');
    await page.screenshot({ path: join(OUT, 'report-reference.png'), fullPage: true });
    // Printed, the curl lines of a passed check (folded on screen) are on paper too.
    const folded = page.locator('[id="check-labels.schema"] pre');
    expect(await folded.isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    expect(await folded.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'report (reference connector, dark)');
    await page.screenshot({ path: join(OUT, 'report-reference-dark.png'), fullPage: true });
    await page.close();
  });

  it('a hostile connector\'s report: its strings render as text, no script runs, nothing loads', async () => {
    const url = await writeReport('report-hostile', ['--customer-url', hostile.customerQueryUrl, '--labels-url', hostile.labelsUrl, '--phone', '1111', '--header', `Authorization: Bearer ${HOSTILE_TOKEN}`]);
    served.length = 0;
    const { page, watch } = await open(url);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], requests: [url] });
    expect(served.filter((path) => path !== '/favicon.ico')).toEqual(['/report-hostile.html']);
    await expectInert(page);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain(HOSTILE_TOKEN);
    await expectChipColours(page, 3);
    await expectAccessible(page, 'report (hostile connector)');
    await page.screenshot({ path: join(OUT, 'report-hostile.png'), fullPage: true });
    await page.close();
  });
});

describe('serve --status-page in Chromium', () => {
  it('the operator\'s page: traffic, the last requests, a number tried through the plain form; nothing else loads', async () => {
    for (const phone of ['1111', '+923001234567', '+15550001111']) await fetch(`${reference.origin}/customer?token=${TOKEN}&query=phone:${encodeURIComponent(phone)}`);
    await fetch(`${reference.origin}/label?token=${TOKEN}`);
    const url = `${reference.origin}/status?token=${TOKEN}`;
    const { page, watch } = await open(url);
    expect(await page.locator('table.recent tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('table.recent').innerText()).toMatch(/\+15\*+1111\s+keys tried: 15\*+1111/);
    await page.fill('#phone', '+923001234567');
    await Promise.all([page.waitForURL(/phone=/), page.click('button[type=submit]')]);
    expect(page.url()).toBe(`${reference.origin}/status?phone=%2B923001234567&token=${TOKEN}`);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], requests: [url, page.url()] });
    expect(await page.locator('.trial').innerText()).toContain('found');
    await expectChipColours(page, 1);
    await expectAccessible(page, 'status page');
    await page.screenshot({ path: join(OUT, 'status-page.png'), fullPage: true });
    await page.close();
  });

  it('a phone in the address that is not valid percent-encoded UTF-8 is said on the page, as the API says it', async () => {
    const url = `${reference.origin}/status?phone=%FF&token=${TOKEN}`;
    const { page, watch } = await open(url);
    expect(await page.locator('.trial').innerText()).toContain('the phone parameter is not valid percent-encoded UTF-8');
    expect(await page.inputValue('#phone')).toBe('\uFFFD');
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], requests: [url] });
    await page.close();
  });

  it('a hostile repository\'s strings render as text on the status page, and the browser is prompted for Basic', async () => {
    const run = spawnServe(['--log-format', 'json', '--port', '0', '--status-page'], { entry: STATUS_PAGE_FIXTURE, env: { PRC_BASIC_AUTH: 'ops:pa55word' } });
    const origin = (await waitForJsonLine(run, 'listening')).url as string;
    // Headless Chromium cannot answer its own prompt: the challenge that opens it, over plain HTTP.
    expect((await fetch(`${origin}/status`)).headers.get('www-authenticate')).toMatch(/^Basic /);
    const page = await context.newPage();
    // What the browser's prompt would send.
    await page.setExtraHTTPHeaders({ authorization: `Basic ${Buffer.from('ops:pa55word').toString('base64')}` });
    const watch = watchPage(page);
    const url = `${origin}/status?phone=1111`;
    expect((await page.goto(url))?.status()).toBe(200);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], requests: [url] });
    await expectInert(page);
    await expectChipColours(page, 2);
    await expectAccessible(page, 'status page (hostile repository)');
    await page.screenshot({ path: join(OUT, 'status-page-hostile.png'), fullPage: true });
    await page.close();
  });
});
