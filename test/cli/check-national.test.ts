import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckOptionsError, verifyConnector } from '../../src/checker/index.js';
import { runCli } from '../support/cli.js';
import { customer, startFixture, type Fixture } from '../checker/fixtures/connector.js';

// A CRM that stores numbers as typed, nationally: the connector finds `0300-1234567` by its
// digits, so a check with that number passes, while Hybrid Chat would ask for 923001234567.
let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture({ customers: [customer('C-1', '0300-1234567', ['L-gold']), customer('C-2', '+923001230000', ['L-vip'])] });
});
afterAll(() => fixture.close());

const statusOf = async (phones: string[], defaultCountry?: 'PK') => {
  const report = await verifyConnector({
    customerQueryUrl: fixture.customerQueryUrl,
    labelsUrl: fixture.labelsUrl,
    phones,
    only: ['customer.status'],
    ...(defaultCountry === undefined ? {} : { defaultCountry }),
  });
  return report.checks[0]!;
};

describe('a --phone in a national spelling', () => {
  it('warns with the number Hybrid Chat would send, given the default country', async () => {
    const status = await statusOf(['0300-1234567', '+923001230000'], 'PK');
    expect(status.status).toBe('warn');
    expect(status.detail).toBe('1 phone of 2 not as expected');
    expect(status.issues).toEqual([
      expect.objectContaining({ subject: 'phone 0300-1234567', message: expect.stringMatching(/^0300-1234567 is a spelling Hybrid Chat never sends: a WhatsApp chat from this number asks for 923001234567 .*--phone 923001234567/) }),
    ]);
  });

  it('warns by its trunk prefix without a default country, asking for one', async () => {
    const status = await statusOf(['0300-1234567']);
    expect(status.status).toBe('warn');
    expect(status.issues[0]!.message).toMatch(/^0300-1234567 looks national \(a trunk prefix 0, no country code\).*give --default-country/);
  });

  it('says nothing for the spellings Hybrid Chat sends', async () => {
    expect((await statusOf(['923001230000', '+923001230000'], 'PK')).status).toBe('pass');
    expect((await statusOf(['+923001230000', '923001230000'])).status).toBe('pass');
  });

  it("names a port Node.js's fetch refuses instead of asking whether the connector runs", async () => {
    const run = await runCli(['check', '--customer-url', 'http://127.0.0.1:6000/customer?query=phone:{refId}', '--labels-url', 'http://127.0.0.1:6000/label', '--phone', '1111']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Node.js's fetch refuses to call port 6000");
    expect(run.stderr).not.toContain('Is the connector running');
  });

  it('refuses an unknown country', async () => {
    await expect(statusOf(['1'], 'XX' as 'PK')).rejects.toThrow(CheckOptionsError);
  });

  it('is --default-country on the command line, in any case; a wrong one exits 2 naming the flag', async () => {
    const args = ['check', '--customer-url', fixture.customerQueryUrl, '--labels-url', fixture.labelsUrl, '--phone', '0300-1234567', '--only', 'customer.status'];
    const run = await runCli([...args, '--default-country', 'pk'], { GITHUB_ACTIONS: undefined });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('asks for 923001234567');
    const wrong = await runCli([...args, '--default-country', 'Pakistan']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--default-country must be an ISO 3166-1 alpha-2 country code/);
    // As serve says it: the UK's ISO code is GB.
    const uk = await runCli([...args, '--default-country', 'UK']);
    expect(uk.code).toBe(2);
    expect(uk.stderr).toContain('did you mean GB?');
  });
});
