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
    expect(formatGithubAnnotations(withPercent)).toBe('::error title=labels.status%3A a%2C b%3A c::100%25%0D%0Anext\n');
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
