import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/redaction/redact.js';
import {
  ConnectorUnreachableError,
  formatGithubAnnotations,
  formatJsonReport,
  formatJunitReport,
  formatTextReport,
  verifyConnector,
  type CheckProgress,
  type CheckReport,
  type VerifyConnectorOptions,
} from '../../src/checker/index.js';
import { customer, fixtureCustomers, startFixture, type Fixture } from './fixtures/connector.js';

const TOKEN = 'TOKENqs1';
const PASSWORD = 'PASSui1';
const HEADER = 'HEADERv1';
const SECRETS = [TOKEN, PASSWORD, HEADER];

describe('redactUrl', () => {
  it.each([
    ['http://hc:pw@crm.example/cim/label', 'http://hc:***@crm.example/cim/label'],
    ['https://TOKEN@crm.example/label', 'https://***@crm.example/label'],
    ['http://crm.example/c?token=abc&query=phone:{refId}&v=2#top', 'http://crm.example/c?token=***&query=phone:{refId}&v=***#***'],
    ['http://crm.example/c?query=phone:+1&flag&empty=', 'http://crm.example/c?query=phone:+1&***&empty=***'],
    ['http://crm.example/c?SECBARE1&query=phone:{refId}', 'http://crm.example/c?***&query=phone:{refId}'],
    ['http://crm.example/c?key=abc&q=phone:{refId}', 'http://crm.example/c?key=***&q=phone:{refId}'],
    // User info the WHATWG parser (and so fetch) accepts without `scheme://`: shown as parsed.
    ['http:\\\\hc:SECPW1@crm.example/label', 'http://hc:***@crm.example/label'],
    ['http:/hc:SECPW2@crm.example/label', 'http://hc:***@crm.example/label'],
    [' http://hc:SECPW3@crm.example/label', 'http://hc:***@crm.example/label'],
    ['http://crm.example/customer/{refId}?key=abc', 'http://crm.example/customer/{refId}?key=***'],
    ['crm.example/label?token=abc#SECFRAG', 'crm.example/label?token=***#***'],
    ['crm.example\\label?SECBARE2', 'crm.example\\label?***'],
    ['http://crm.example/label', 'http://crm.example/label'],
  ])('masks %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('keeps the parameters asked for, and everything with showSecrets', () => {
    expect(redactUrl('http://h/c?key=abc&q=phone:1111', { keep: 'q' })).toBe('http://h/c?key=***&q=phone:1111');
    expect(redactUrl('http://h/label?query=SECQ1', { keep: [] })).toBe('http://h/label?query=***');
    expect(redactUrl('http://u:p@h/c?key=abc', { showSecrets: true })).toBe('http://u:p@h/c?key=abc');
  });
});

describe('secrets in reports', () => {
  let fixture: Fixture;
  let options: VerifyConnectorOptions;
  let report: CheckReport;
  const steps: CheckProgress[] = [];
  beforeAll(async () => {
    // A bad date on one customer: a failure, so that every report shows its requests in full.
    fixture = await startFixture({
      token: TOKEN,
      basic: `hc:${PASSWORD}`,
      customers: [customer('C-1', '1111', ['L-gold'], { createdAt: 'yesterday' }), fixtureCustomers[1]!],
    });
    const origin = fixture.origin.replace('http://', `http://hc:${PASSWORD}@`);
    options = {
      customerQueryUrl: `${origin}/customer?token=${TOKEN}&query=phone:{refId}`,
      labelsUrl: `${origin}/label?token=${TOKEN}`,
      phones: ['1111', '+923001234567'],
      headers: { 'x-trace': HEADER },
      weights: { Gold: 8 },
    };
    report = await verifyConnector({ ...options, onProgress: (progress) => steps.push(progress) });
  });
  afterAll(() => fixture.close());

  it('sends the token and Basic credentials, so the checks see a working connector', () => {
    expect(report.checks.filter((check) => check.status === 'fail').map((check) => check.id)).toEqual(['customer.schema']);
  });

  it.each([
    ['JSON', () => formatJsonReport(report)],
    ['JUnit', () => formatJunitReport(report)],
    ['text', () => formatTextReport(report)],
    ['progress', () => steps.map((step) => step.step).join('\n')],
  ])('never shows a query token, a URL password or a header value in the %s output', (_, output) => {
    const text = output();
    expect(text).toContain('hc:***@127.0.0.1');
    expect(text).toContain('token=***');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('never shows a secret in GitHub annotations', () => {
    const text = formatGithubAnnotations(report);
    expect(text).toMatch(/^::error title=customer\.schema/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('keeps the phone query visible so the curl commands still say what was asked', () => {
    const customerRequest = report.checks.find((check) => check.id === 'customer.schema')!.requests[0]!;
    expect(customerRequest.url).toBe(`${fixture.origin.replace('http://', 'http://hc:***@')}/customer?token=***&query=phone:1111`);
    expect(customerRequest.curl).toContain("-H 'x-trace: ***'");
  });

  it('shows every secret with showSecrets', async () => {
    const shown = formatJsonReport(await verifyConnector({ ...options, only: ['customer.schema'], showSecrets: true }));
    for (const secret of SECRETS) expect(shown).toContain(secret);
  });

  it('keeps secrets out of the errors for an unreachable connector and for bad options', async () => {
    const gone = await startFixture({});
    await gone.close();
    const origin = gone.origin.replace('http://', `http://hc:${PASSWORD}@`);
    const unreachable = await verifyConnector({
      ...options,
      customerQueryUrl: `${origin}/customer?token=${TOKEN}&query=phone:{refId}`,
      labelsUrl: `${origin}/label?token=${TOKEN}`,
    }).catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(ConnectorUnreachableError);
    const { message, url } = unreachable as ConnectorUnreachableError;
    expect(message).toMatch(/cannot reach the connector at http:\/\/hc:\*\*\*@127\.0\.0\.1:\d+\/label\?token=\*\*\*: .*ECONNREFUSED/);
    for (const secret of SECRETS) expect(`${message} ${url}`).not.toContain(secret);

    const bad = await verifyConnector({ ...options, labelsUrl: `ftp://hc:${PASSWORD}@h/label?token=${TOKEN}` }).catch((error: unknown) => error);
    expect((bad as Error).message).toMatch(/^labelsUrl must be an absolute http\(s\) URL/);
    for (const secret of SECRETS) expect((bad as Error).message).not.toContain(secret);
  });
});

describe('secrets with quotes and backslashes', () => {
  // A header value may hold `"` and `\`; quoted into a sentence with JSON.stringify they become
  // `\"` and `\\`, and the XML and GitHub reporters escape them again.
  const QUOTED = 'Zq"Kx\\Vw7\'<&%,:';
  // No two neighbouring pieces of the secret anywhere, in whatever escaped form.
  const LEAK = /Zq.{0,16}Kx|Kx.{0,16}Vw7/s;
  let fixture: Fixture;
  let report: CheckReport;
  beforeAll(async () => {
    fixture = await startFixture({
      // The connector echoes the credential in a label name, a customer's label id and problems.
      labels: [{ _id: 'L-gold', name: `Gold ${QUOTED} ` }],
      customers: [customer('C-1', '1111', ['L-gold', QUOTED])],
      alter: (reply) => (reply.status >= 400 ? { ...reply, body: JSON.stringify({ type: 'about:blank', title: QUOTED, status: reply.status, detail: `bad key ${QUOTED}` }) } : reply),
    });
    report = await verifyConnector({ customerQueryUrl: fixture.customerQueryUrl, labelsUrl: fixture.labelsUrl, phones: ['1111', '2222'], headers: { 'x-api-key': QUOTED }, weights: { Gold: 8 } });
  });
  afterAll(() => fixture.close());

  it('quotes the masked text, so the reports show *** where the connector echoed it', () => {
    const names = report.checks.find((check) => check.id === 'labels.name-whitespace')!;
    expect(names.issues[0]!.message).toBe('"Gold *** " has trailing white space: it only matches a routing label spelled exactly so');
    const ids = report.checks.find((check) => check.id === 'customer.label-ids-exist')!;
    expect(ids.issues[0]!.message).toMatch(/^label id "\*\*\*" is not in the label list/);
  });

  it.each([
    ['JSON', () => formatJsonReport(report)],
    ['JUnit', () => formatJunitReport(report)],
    ['text', () => formatTextReport(report)],
    ['GitHub', () => formatGithubAnnotations(report)],
  ])('never shows it in the %s output, raw or escaped', (_, output) => {
    const text = output();
    expect(text).toContain('***');
    expect(text).not.toMatch(LEAK);
  });
});
