import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's `chromium` (scripts/browser-tests.sh installs it): no browser download. */
export const CHROMIUM = process.env.PRC_CHROMIUM ?? '/usr/bin/chromium';

// Nothing that phones home: no QUIC, no component updates, no sync, no first-run, no GPU.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system Chromium with a fresh profile; `close` stops it and removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'prc-chromium-'));
  // A persistent context is the one Playwright gives its own --user-data-dir: this fresh folder.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1200, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did while it loaded: console errors, uncaught errors, every request it made. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('request', (request) => watch.requests.push(request.url()));
  return watch;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core rule the page breaks, and how badly. */
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: number;
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules and best practices) in the page. Injected through the
 * DevTools protocol, which the page's CSP does not govern: the page itself stays script-free.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: AxeViolation['impact']; help: string; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.length }));
  });
}

/** Violations counted by impact, for the closing note: `{ serious: 0, critical: 0, moderate: 1 }`. */
export function byImpact(violations: readonly AxeViolation[]): Record<string, number> {
  const counts: Record<string, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const violation of violations) counts[violation.impact ?? 'minor'] = (counts[violation.impact ?? 'minor'] ?? 0) + violation.nodes;
  return counts;
}

/** Each chip's declared colour and the background colour the browser computed for it. */
export async function chipColours(page: Page): Promise<Array<{ declared: string; computed: string; text: string }>> {
  return page.$$eval('.chip[data-colour]', (chips) =>
    chips.map((chip) => ({ declared: chip.getAttribute('data-colour') ?? '', computed: getComputedStyle(chip).backgroundColor, text: getComputedStyle(chip).color })),
  );
}

/** `#3cb44b` → `rgb(60, 180, 75)`, as getComputedStyle writes it. */
export const rgb = (hex: string) => `rgb(${[1, 3, 5].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16)).join(', ')})`;
