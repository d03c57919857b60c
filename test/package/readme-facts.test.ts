import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readResilience } from '../../src/cli/serve/resilience.js';
import { resolveSettings } from '../../src/core/options.js';
import { createConnector, createMemoryRepository, sampleDataSet, withCircuitBreaker } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { spawnServe, stopServes } from '../support/serve-process.js';

// What the README and the guides tell an adopter, held to what the code does: a flag, a variable
// or a default written in the prose cannot drift from the CLI and the connector unnoticed.

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const readme = read('README.md');
const guides = readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md')).map((name) => [`docs/${name}`, read(`docs/${name}`)] as const);
const pages = [['README.md', readme] as const, ...guides];

/** The text of the README section under `## heading`, up to the next `## `. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The row of a Markdown table whose first cell starts with `first`. */
function row(text: string, first: string): string {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`| ${first}`));
  expect(line, first).toBeDefined();
  return line!;
}

afterEach(stopServes);

describe('flags the README and the guides name', () => {
  it('are each a flag of serve, check or db (or of npm, curl, tsc)', async () => {
    const helps = await Promise.all(['serve', 'check', 'db'].map((command) => runCli([command, '--help'])));
    for (const help of helps) expect(help.code).toBe(0);
    const known = new Set(helps.flatMap((help) => help.stdout.match(/--[a-z][a-z0-9-]*/g) ?? []));
    const otherTools = new Set(['--global', '--cacert', '--noEmit']); // npm install --global, curl --cacert, tsc --noEmit
    for (const [path, text] of pages) {
      const named = new Set([...text.matchAll(/(?<![\w-])--[a-zA-Z][a-zA-Z0-9-]*/g)].map((match) => match[0]));
      expect([...named].filter((flag) => !known.has(flag) && !otherTools.has(flag)), path).toEqual([]);
    }
  }, 120_000);
});

describe("the README's Hybrid Chat setup", () => {
  it('names the variables, with their values, that serve prints for Hybrid Chat; so does docs/serve.md', async () => {
    const run = spawnServe(['--port', '0', '--log-format', 'json']);
    let listening: Record<string, unknown> | undefined;
    while (!listening) {
      const line = run.stdout().split('\n').find((candidate) => candidate.includes('"msg":"listening"'));
      if (line) listening = JSON.parse(line) as Record<string, unknown>;
      else if (run.child.exitCode !== null) throw new Error(`serve exited ${run.child.exitCode}: ${run.stderr()}`);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const variables = Object.keys(listening).filter((key) => /^[A-Z][A-Z_]+$/.test(key));
    expect(variables).toContain('IS_CIM_INTEGRATED');
    const setup = section(readme, 'Hybrid Chat setup');
    const step4 = read('docs/serve.md');
    for (const name of variables) {
      expect(setup, name).toMatch(new RegExp(`^${name}=\\S`, 'm'));
      expect(step4, name).toMatch(new RegExp(`^${name}=\\S`, 'm'));
    }
    expect(setup).toContain(`IS_CIM_INTEGRATED=${String(listening.IS_CIM_INTEGRATED)}\n`);
    // What else the block sets is the CA for HTTPS: NODE_EXTRA_CA_CERTS, never turning checks off.
    const assigned = [...setup.matchAll(/^([A-Z][A-Z_]+)=/gm)].map((match) => match[1]);
    expect(assigned.filter((name) => !variables.includes(name!))).toEqual(['NODE_EXTRA_CA_CERTS']);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 60_000);
});

describe("the README's defaults for what Expertflow does not document", () => {
  const table = section(readme, 'Hybrid Chat setup');

  it('timeout: the default timeoutMs written is the connector’s', () => {
    const written = row(table, 'how long Hybrid Chat waits').match(/default `(\d+)` ms/);
    expect(written).not.toBeNull();
    expect(Number(written![1])).toBe(resolveSettings({}).timeoutMs);
  });

  it('retries: withCircuitBreaker and serve --database open after the failures written, for the seconds written, with that Retry-After', async () => {
    const retries = row(table, 'whether it retries');
    const written = retries.match(/after (\d+) failures for (\d+) s/);
    expect(written).not.toBeNull();
    const [failures, seconds] = [Number(written![1]), Number(written![2])];
    expect(readResilience({}, true).banner).toContain(`circuit breaker after ${failures} failures, ${seconds * 1000} ms cooldown`);

    // withCircuitBreaker's own defaults are the same (README "Cache and circuit breaker" says so too).
    expect(section(readme, 'Your data')).toContain(`after ${failures} failures in a row, for ${seconds} s`);
    let calls = 0;
    const failing = { findCustomerByPhone: () => { calls++; throw new Error('CRM down'); }, listLabels: () => [] };
    const connector = createConnector({ repository: withCircuitBreaker(failing), onError: () => {} });
    const answers: string[] = [];
    for (let i = 0; i <= failures; i++) {
      const response = await connector.fetch(new Request('http://127.0.0.1/customer?query=phone:1111'));
      answers.push(`${response.status}${response.headers.get('retry-after') === null ? '' : ` retry-after ${response.headers.get('retry-after')}`}`);
    }
    expect(answers).toEqual([...Array<string>(failures).fill('500'), `503 retry-after ${seconds}`]);
    expect(calls).toBe(failures);
  });

  it('caching: the Cache-Control and ETag written are what the connector sends', async () => {
    const caching = row(table, 'whether it caches');
    const connector = createConnector({ repository: createMemoryRepository(sampleDataSet) });
    const customer = await connector.fetch(new Request('http://127.0.0.1/customer?query=phone:1111'));
    expect(caching).toContain(`customer answers carry \`Cache-Control: ${customer.headers.get('cache-control')}\``);
    const labels = await connector.fetch(new Request('http://127.0.0.1/label'));
    expect(caching).toContain(`\`Cache-Control: ${labels.headers.get('cache-control')}\``);
    const etag = labels.headers.get('etag');
    expect(etag, 'a strong ETag').toMatch(/^"/);
    const revalidated = await connector.fetch(new Request('http://127.0.0.1/label', { headers: { 'if-none-match': etag! } }));
    expect(caching).toContain(`with ${revalidated.status}`);
  });
});
