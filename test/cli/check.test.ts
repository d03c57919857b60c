import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckReportSchema, checkIds } from '../../src/checker/index.js';
import { shellQuote } from '../../src/checker/curl.js';
import { progressLine } from '../../src/cli/check-terminal.js';
import { customer, fixtureCustomers, startFixture, TERMINAL_UNSAFE, terminalAttack, type Fixture } from '../checker/fixtures/connector.js';
import { nodeArgs } from '../support/programs.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Async spawn: the fixture servers live in this process and must keep answering.
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { NO_COLOR: _n, FORCE_COLOR: _f, GITHUB_ACTIONS: _g, CIM_CUSTOMER_QUERY_URL: _c, CIM_LABELS_API_PATH: _l, ...base } = process.env;
    const child = spawn(process.execPath, [...nodeArgs('src/cli/main.ts'), 'check', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The same, with stdout on a terminal (util-linux `script` gives it a pty); stderr (the progress
// line) goes to /dev/null, so what comes back is the report as a terminal receives it.
function cliOnTerminal(args: string[]): Promise<Run> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'check', ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const { GITHUB_ACTIONS: _g, ...env } = process.env;
    const child = spawn('script', ['-qec', `${command} 2>/dev/null`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    // The terminal turns each line feed into CR LF.
    child.on('close', (code) => resolve({ code, stdout: stdout.replaceAll('\r\n', '\n'), stderr: '' }));
  });
}

let good: Fixture;
let bad: Fixture;
let dir: string;
const urls = (f: Fixture) => ['--customer-url', f.customerQueryUrl, '--labels-url', f.labelsUrl];
beforeAll(async () => {
  good = await startFixture({ bearer: 'tok' });
  bad = await startFixture({ customers: [customer('C-1', '1111', ['L-gold'], { createdAt: 'yesterday' }), fixtureCustomers[1]!] });
  dir = await mkdtemp(join(tmpdir(), 'prc-check-'));
});
afterAll(async () => {
  await Promise.all([good.close(), bad.close(), rm(dir, { recursive: true, force: true })]);
});

describe('priority-routing-crm check', () => {
  it('exits 0 for a conforming connector, reading URLs from Hybrid Chat\'s variables', async () => {
    const run = await cli(['--phone', '1111', '--phone', '+923001234567', '--header', 'Authorization: Bearer tok', '--weights', 'Gold=8, Vip=10'], {
      CIM_CUSTOMER_QUERY_URL: good.customerQueryUrl,
      CIM_LABELS_API_PATH: good.labelsUrl,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nOK {2}15 checks: 15 passed in \d/);
    expect(run.stdout).toContain('phone +923001234567: priority 10: Vip=10');
    expect(run.stdout).not.toMatch(/\x1b\[/);
  });

  it('exits 1 when a check fails, with JUnit in the output file and the text report on stdout', async () => {
    const file = join(dir, 'check.xml');
    const run = await cli([...urls(bad), '--phone', '1111', '--format', 'junit', '--output', file], { FORCE_COLOR: '1' });
    expect(run.code).toBe(1);
    const xml = await readFile(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<failure message="1 violation of the contract (strict)" type="customer.schema">');
    expect(run.stdout).toContain('\x1b[31m✖ FAIL\x1b[39m');
  });

  it('writes JSON that validates against the exported schema, with annotations on stderr under GitHub Actions', async () => {
    const run = await cli([...urls(bad), '--phone', '1111', '--format', 'json', '--skip', 'priority,method.post-405', '--lenient'], { GITHUB_ACTIONS: 'true', FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(run.code).toBe(0);
    const report = CheckReportSchema.parse(JSON.parse(run.stdout));
    expect(report.mode).toBe('lenient');
    expect(report.checks.map((c) => c.id)).not.toContain('priority');
    expect(run.stderr).toBe('');
    const strict = await cli([...urls(bad), '--phone', '1111', '--only', 'customer.schema'], { GITHUB_ACTIONS: 'true', FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).not.toMatch(/\x1b\[/);
    expect(strict.stdout).toMatch(/^::error title=customer\.schema%3A Each customer conforms to the contract::1 violation .*%0A\$\.createdAt: /m);
  });

  it('reads weights from a JSON file', async () => {
    const file = join(dir, 'weights.json');
    await writeFile(file, JSON.stringify({ Vip: 7 }));
    const run = await cli([...urls(bad), '--phone', '+923001234567', '--only', 'priority', '--weights-file', file, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(CheckReportSchema.parse(JSON.parse(run.stdout)).priorities).toEqual([expect.objectContaining({ phone: '+923001234567', priority: 7 })]);
  });

  it.each([
    [['--phone', '1111'], /give --customer-url or set CIM_CUSTOMER_QUERY_URL/],
    [['--customer-url', 'http://h/c?query=phone:{refId}', '--labels-url', 'http://h/l'], /give at least one --phone/],
    [['--phone', '1', '--only', 'labels.status,nope'], /--only: unknown check id nope/],
    [['--phone', '1', '--weights', 'Gold=11'], /weight of "Gold" must be an integer from 1 to 10, got 11/],
    [['--phone', '1', '--header', 'no colon'], /--header must look like "Name: value"/],
    [['--phone', '1', '--format', 'xml'], /--format must be text, json, junit or html/],
    [['--phone', '1', '--timeout', 'soon'], /--timeout must be a positive number/],
    [['--phone', '1', '--max-body-bytes', '0'], /--max-body-bytes must be a positive integer number of bytes, got "0"/],
    [['--phone', '1', '--max-body-bytes', '1.5'], /--max-body-bytes must be a positive integer number of bytes/],
    [['--phone', '1', '--bogus'], /Unknown option '--bogus'/],
    [['--phone', '1', '--skip', checkIds.join(',')], /--only and --skip leave no check to run/],
    [['--phone', '1', '--only', 'labels.status', '--skip', 'labels.status'], /--only and --skip leave no check to run/],
    [['--phone', '1', '--customer-url', 'crm.example/c?token=SECRET9&query=phone:{refId}', '--labels-url', 'http://h/l'], /--customer-url must be an absolute http\(s\) URL such as "http:\/\/crm\.example\/cim\/customer\?query=phone:\{refId\}".*token=\*\*\*/],
    [['--phone', '1', '--customer-url', 'http://h/c?query=phone:{refId}', '--labels-url', 'http://h/l', '--format', 'junit', '--output', 'report.xml', '--html', './report.xml'], /^priority-routing-crm: --output and --html name the same file, \.\/report\.xml: give each report its own file$/m],
    [['--phone', '1', '--customer-url', 'http://h/c?query=phone:1111', '--labels-url', 'http://h/l'], /^priority-routing-crm: --customer-url must contain \{refId\}, where Hybrid Chat puts the phone number$/m],
    [['--phone', '1', '--customer-url', 'http://h/c?query=phone:{refId}', '--labels-url', 'h/label'], /--labels-url must be an absolute http\(s\) URL such as "http:\/\/crm\.example\/cim\/label", got "h\/label"/],
  ])('exits 2 for a usage error: %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it.each([
    [{ CIM_CUSTOMER_QUERY_URL: 'http://h/customer?query=phone:', CIM_LABELS_API_PATH: 'http://h/label' }, /^priority-routing-crm: CIM_CUSTOMER_QUERY_URL must contain \{refId\}/m],
    [{ CIM_CUSTOMER_QUERY_URL: 'http://h/customer?query=phone:{refId}', CIM_LABELS_API_PATH: '/label' }, /^priority-routing-crm: CIM_LABELS_API_PATH must be an absolute http\(s\) URL/m],
  ])('names the Hybrid Chat variable a wrong URL came from: %j', async (env, message) => {
    const run = await cli(['--phone', '1'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it.each([
    ['Bearer SECRET8', 'SECRET8', /got no name before a colon/],
    ['apikey=SECHN1:x', 'SECHN1', /got an invalid header name before the colon/],
  ])('never echoes a --header it cannot read: %j', async (header, secret, reason) => {
    const run = await cli(['--phone', '1', '--header', header]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--header must look like "Name: value"/);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).not.toContain(secret);
  });

  it.each([
    ['a directory that does not exist', () => join(dir, 'missing', 'r.json'), /--output .*r\.json: the directory .*missing does not exist/],
    ['a directory', () => dir, /--output .* is a directory/],
  ])('exits 2 before sending anything when --output is %s', async (_, file, message) => {
    const gone = await startFixture({});
    await gone.close();
    // An unreachable connector: had the run started, the message would be about it.
    const run = await cli([...urls(gone), '--phone', '1111', '--format', 'json', '--output', file()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the connector accepts connections but never answers', async () => {
    const hanging = await startFixture({ alter: (reply) => ({ ...reply, delayMs: 3000 }) });
    try {
      const run = await cli([...urls(hanging), '--phone', '1111', '--timeout', '200']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/the connector did not answer within 200 ms/);
    } finally {
      await hanging.close();
    }
  });

  it('sends user info as Basic credentials and masks query tokens and passwords in every output', async () => {
    const secured = await startFixture({ token: 'TOPSECRET', basic: 'hc:PASSWORD7' });
    try {
      const origin = secured.origin.replace('http://', 'http://hc:PASSWORD7@');
      const args = ['--customer-url', `${origin}/customer?token=TOPSECRET&query=phone:{refId}`, '--labels-url', `${origin}/label?token=TOPSECRET`, '--phone', '1111'];
      const json = await cli([...args, '--format', 'json']);
      expect(json.code).toBe(0);
      expect(CheckReportSchema.parse(JSON.parse(json.stdout)).customerQueryUrl).toBe(`${secured.origin.replace('http://', 'http://hc:***@')}/customer?token=***&query=phone:{refId}`);
      const text = await cli([...args, '--format', 'junit', '--output', join(dir, 'secret.xml'), '--header', 'X-Trace: HEADER7'], { GITHUB_ACTIONS: 'true' });
      const outputs = [json.stdout, json.stderr, text.stdout, text.stderr, await readFile(join(dir, 'secret.xml'), 'utf8')];
      for (const secret of ['TOPSECRET', 'PASSWORD7', 'HEADER7']) expect(outputs.join('\n')).not.toContain(secret);
      const shown = await cli([...args, '--format', 'json', '--only', 'labels.status', '--show-secrets']);
      expect(shown.stdout).toContain('token=TOPSECRET');
      expect(shown.stdout).toContain('hc:PASSWORD7@');
    } finally {
      await secured.close();
    }
  });

  it('exits 2 with a clear message when the connector is unreachable', async () => {
    const gone = await startFixture({});
    await gone.close();
    const run = await cli([...urls(gone), '--phone', '1111']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach the connector at http:\/\/127\.0\.0\.1:\d+\/label: .*ECONNREFUSED/);
  });

  it('fails the check of a body above --max-body-bytes, naming the size', async () => {
    const run = await cli([...urls(good), '--phone', '1111', '--header', 'Authorization: Bearer tok', '--only', 'labels.status,labels.schema', '--max-body-bytes', '100']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the label list is larger than 100 bytes');
    expect(run.stderr).toBe('');
  });

  it('never lets a connector write control characters to the terminal, under GitHub Actions too', async () => {
    const attacking = await startFixture(terminalAttack());
    try {
      const run = await cli([...urls(attacking), '--phone', '1111', '--weights', 'Gold=8'], { GITHUB_ACTIONS: 'true' });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('\\u001b]0;owned\\u0007');
      expect(run.stdout).toMatch(/^::error title=/m);
      expect(run.stdout).not.toMatch(TERMINAL_UNSAFE);
      expect(run.stderr).toBe('');
    } finally {
      await attacking.close();
    }
  });

  it.each([
    // The same report as in a file: the escapes stand for the characters the connector sent.
    ['json', (out: string) => expect(CheckReportSchema.parse(JSON.parse(out)).checks.map((check) => check.detail).join()).toContain('\u202eevil')],
    ['junit', (out: string) => expect(XMLValidator.validate(out)).toBe(true)],
  ])('escapes what a connector sends in a %s report written to a terminal, and it stays valid', async (format, valid) => {
    const attacking = await startFixture(terminalAttack());
    try {
      const run = await cliOnTerminal([...urls(attacking), '--phone', '1111', '--format', format]);
      expect(run.code).toBe(1);
      valid(run.stdout);
      expect(run.stdout).toMatch(/\\u202eevil|&#x202e;evil/);
      expect(run.stdout).not.toMatch(TERMINAL_UNSAFE);
    } finally {
      await attacking.close();
    }
  });

  it('shows control characters escaped in the progress line', () => {
    const written: string[] = [];
    const progress = progressLine({ isTTY: true, columns: 200, write: (text: string) => written.push(text) });
    progress.update('checking 1/2 GET http://h/\u001b]0;owned\u0007\u009b2J\u202e');
    expect(written).toEqual(['\r\u001b[2Kchecking 1/2 GET http://h/\\u001b]0;owned\\u0007\\u009b2J\\u202e']);
  });

  it('prints its help with every flag', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--customer-url', '--labels-url', '--phone', '--header', '--timeout', '--only', '--skip', '--lenient', '--weights', '--weights-file', '--format', '--output', '--max-body-bytes']) {
      expect(run.stdout).toContain(flag);
    }
  });
});
