import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckReportSchema,
  checkIds,
  checkReportJsonSchema,
  formatGithubAnnotations,
  formatJsonReport,
  formatJunitReport,
  formatTextReport,
  verifyConnector,
  type CheckReport,
} from '../../src/checker/index.js';
import { shellQuote, toCurl } from '../../src/checker/curl.js';
import { customer, fixtureCustomers, startFixture, type Fixture } from './fixtures/connector.js';

let fixture: Fixture;
let report: CheckReport;
beforeAll(async () => {
  // One failure (a bad date), one warning (405 without Allow), two skips (no + phone, no weights).
  fixture = await startFixture({
    customers: [customer('C-1', '1111', ['L-gold'], { createdAt: '18/06/2020 <&>' }), fixtureCustomers[1]!],
    alter: (reply, ex) => (ex.method === 'POST' ? { ...reply, headers: { 'content-type': 'application/problem+json' } } : reply),
  });
  report = await verifyConnector({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, phones: ['1111'], headers: { 'x-api-key': 'k3y' } });
});
afterAll(() => fixture.close());

describe('JSON report', () => {
  it('round-trips through the exported schema', () => {
    const parsed = CheckReportSchema.parse(JSON.parse(formatJsonReport(report)));
    expect(parsed).toEqual(report);
    expect(parsed.summary).toEqual({ total: 15, pass: 11, fail: 1, warn: 1, skip: 2 });
  });

  it('has a JSON Schema that names every check id and the required fields', () => {
    const schema = checkReportJsonSchema() as { required: string[]; properties: { checks: { items: { properties: { id: { enum: string[] } } } } } };
    expect(schema.required).toEqual(expect.arrayContaining(['ok', 'summary', 'checks', 'startedAt']));
    expect(schema.properties.checks.items.properties.id.enum).toEqual([...checkIds]);
  });

  it('validates against its JSON Schema with a standard validator (Ajv, draft 2020-12)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    const validate = ajv.compile(checkReportJsonSchema() as object);
    expect(validate(JSON.parse(formatJsonReport(report))), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...JSON.parse(formatJsonReport(report)), summary: 'none' })).toBe(false);
  });

  it('never prints a header value in a curl command unless asked', () => {
    const text = formatJsonReport(report);
    expect(text).not.toContain('k3y');
    expect(text).toContain("-H 'x-api-key: ***'");
  });
});

describe('JUnit report', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('is well-formed XML with one test case per check', () => {
    const xml = formatJunitReport(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = parser.parse(xml).testsuites;
    expect(suites).toMatchObject({ tests: '15', failures: '1', skipped: '2' });
    const cases = suites.testsuite.flatMap((suite: { testcase: unknown[] }) => suite.testcase);
    expect(cases).toHaveLength(15);
    const failed = cases.filter((c: { failure?: unknown }) => c.failure !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0].name).toMatch(/^customer\.schema: /);
    expect(failed[0].failure['#text']).toContain('"18/06/2020 <&>"');
    expect(cases.filter((c: { skipped?: unknown }) => c.skipped !== undefined)).toHaveLength(2);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const evil = { ...report, checks: report.checks.map((c) => ({ ...c, detail: `a <b> & "c" 'd' \u0001\u001b[31m` })) };
    const xml = formatJunitReport(evil);
    expect(XMLValidator.validate(xml)).toBe(true);
    const cases = parser.parse(xml).testsuites.testsuite.flatMap((suite: { testcase: unknown[] }) => suite.testcase);
    const skipped = cases.find((c: { skipped?: { message: string } }) => c.skipped !== undefined);
    // Read back, the markup is text again; the control characters are gone.
    expect(skipped.skipped.message).toBe(`a <b> & "c" 'd' [31m`);
  });
});

describe('text report', () => {
  it('groups checks, shows findings and curl under failures, and ends with a summary', () => {
    const text = formatTextReport(report);
    expect(text).not.toMatch(/\x1b\[/);
    const groups = ['Label list', 'Customer', 'Label names', 'Error handling', 'Priority'].map((g) => text.indexOf(`\n${g}\n`));
    expect(groups.every((at, i) => at > 0 && (i === 0 || at > groups[i - 1]!))).toBe(true);
    expect(text).toMatch(/✖ FAIL {2}customer\.schema .*\n.*\n.*\$\.createdAt: expected an ISO 8601/);
    expect(text).toContain(`curl -sS -g -i '${fixture.origin}/customer?query=phone:1111' -H 'x-api-key: ***'`);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^FAILED {2}15 checks: 11 passed, 1 failed, 1 warned, 2 skipped in \d+\.\d s$/);
  });

  it('colours through the given styler only', () => {
    const text = formatTextReport(report, { style: (style, s) => `<${style}>${s}</${style}>` });
    expect(text).toContain('<red>✖ FAIL</red>');
    expect(text).toContain('<green>✔ PASS</green>');
  });
});

describe('GitHub annotations', () => {
  it('emits one escaped ::error or ::warning line per failed or warned check', () => {
    const lines = formatGithubAnnotations(report).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error title=customer\.schema%3A Each customer conforms to the contract::1 violation of the contract \(strict\)%0A\$\.createdAt: /);
    expect(lines[1]).toMatch(/^::warning title=method\.post-405%3A POST gets 405 with an Allow header::/);
    const withPercent = { ...report, checks: [{ ...report.checks[0]!, status: 'fail' as const, title: 'a, b: c', detail: '100%\r\nnext' }] };
    // The detail's own line break is %0A; a carriage return is a control character, shown escaped.
    expect(formatGithubAnnotations(withPercent)).toBe('::error title=labels.status%3A a%2C b%3A c::100%25\\u000d%0Anext\n');
  });
});

describe('curl commands', () => {
  it('quote every word for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('http://h/label')).toBe('http://h/label');
    expect(toCurl({ method: 'POST', url: 'http://h/c?a=1&b=2', body: '{}', headers: { 'content-type': 'application/json' }, secretHeaders: { authorization: "Bearer o'k" } }, { showSecrets: true })).toBe(
      `curl -sS -g -i -X POST 'http://h/c?a=1&b=2' -H 'authorization: Bearer o'\\''k' -H 'content-type: application/json' --data-raw '{}'`,
    );
  });
});

describe('text a connector wrote, on a terminal', () => {
  // Every character that can move the cursor, recolour, retitle, reorder or break a line.
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
  const hostile = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil\u2066\u2028\u2029\u0085\r\nOK  15 checks: 15 passed';
  const evilReport = (): CheckReport => ({
    ...report,
    phones: ['1111\u001b[8m'],
    checks: report.checks.map((c) => ({
      ...c,
      // A detail's line breaks are the checker's own (the rules never let a connector add one).
      detail: c.id === 'labels.status' ? `answered 401: ${hostile.replace('\n', '')}` : c.detail,
      status: c.id === 'labels.status' ? ('fail' as const) : c.status,
      issues: c.id === 'labels.status' ? [{ path: '$', message: `got ${hostile}`, subject: 'label list' }] : c.issues,
    })),
  });

  it('shows every control, C1, bidi and line-separator character escaped in the text report', () => {
    const text = formatTextReport(evilReport());
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('answered 401: \\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eevil\\u2066\\u2028\\u2029\\u0085\\u000dOK  15 checks: 15 passed');
    expect(text).toContain('got \\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eevil\\u2066\\u2028\\u2029\\u0085\\u000d\\u000aOK  15 checks: 15 passed (label list)');
    expect(text).toContain('phones 1111\\u001b[8m');
    // The only line that starts with the verdict is the checker's own.
    expect(text.split('\n').filter((line) => /^(OK|FAILED) /.test(line))).toEqual([expect.stringMatching(/^FAILED {2}15 checks/)]);
  });

  it('keeps the checker\'s own line breaks in a detail', () => {
    const multi = { ...report, checks: [{ ...report.checks[0]!, detail: 'phone 1: priority 8\nphone 2: priority 1' }] };
    expect(formatTextReport(multi)).toContain('          phone 1: priority 8\n          phone 2: priority 1\n');
  });

  it('escapes them in GitHub annotations, and percent-encodes as workflow commands require', () => {
    const text = formatGithubAnnotations(evilReport());
    expect(text).not.toMatch(CONTROL);
    const lines = text.trimEnd().split('\n');
    expect(lines.every((line) => line.startsWith('::error ') || line.startsWith('::warning '))).toBe(true);
    expect(lines[0]).toContain('::answered 401: \\u001b]0;owned\\u0007');
    expect(lines[0]).toContain('\\u000dOK  15 checks: 15 passed%0Agot \\u001b');
    expect(lines[0]).toContain('\\u000d\\u000aOK  15 checks: 15 passed (label list)');
    const title = { ...report, checks: [{ ...report.checks[0]!, status: 'fail' as const, title: 'a\u001b[2J, b: 100%\r\n', detail: 'x' }] };
    expect(formatGithubAnnotations(title)).toBe('::error title=labels.status%3A a\\u001b[2J%2C b%3A 100%25\\u000d\\u000a::x\n');
  });

  it('stays faithful in JSON and JUnit', () => {
    expect(CheckReportSchema.parse(JSON.parse(formatJsonReport(evilReport()))).checks[0]!.issues[0]!.message).toBe(`got ${hostile}`);
    const xml = formatJunitReport(evilReport());
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('\u202eevil\u2066\u2028\u2029\u0085');
  });
});
