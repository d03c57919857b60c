import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataSet } from '../../src/index.js';
import { spawnServe, startJsonServe, stopServes, waitForOutput } from '../support/serve-process.js';

afterEach(stopServes);

let dir: string;
let dataFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prc-serve-national-'));
  dataFile = join(dir, 'national.json');
  // Two of the four numbers are stored the way a Pakistani CRM often keeps them: national.
  const [first, second, third] = sampleDataSet.customers;
  const customers = [
    { ...first!, phone1: '0300-1234567' },
    { ...second!, phone1: '+92 321 7654321', phone2: '(0321) 4445556' },
    { ...third!, phone1: '0092 333 1112223' },
  ];
  await writeFile(dataFile, JSON.stringify({ customers, labels: sampleDataSet.labels }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const WARNING =
  "2 of 4 stored phone numbers in {file} look national (such as 03******4567: a trunk prefix 0 and no country code) and no default country is set, so Hybrid Chat's international numbers (+<country code>…) will not find them: start with --default-country <CC>, the country they belong to (ISO 3166-1 alpha-2, such as PK; PRC_DEFAULT_COUNTRY in the environment)";

describe('serve over data with national numbers and no default country', () => {
  it('warns at start with the count, a masked example and the flag to set', async () => {
    const run = spawnServe(['--port', '0', '--log-format', 'text', '--data', dataFile]);
    await waitForOutput(run, /CIM_CUSTOMER_QUERY_URL=/);
    const [line] = run.stderr().split('\n');
    expect(line).toMatch(/warning: /);
    expect(line!.slice(line!.indexOf('warning: ') + 'warning: '.length)).toBe(WARNING.replace('{file}', dataFile));
    expect(run.stderr()).not.toContain('1234567');
  });

  it('logs it as a JSON warning too, and says nothing once --default-country is set, nor over the sample data', async () => {
    const json = await startJsonServe(['--port', '0', '--data', dataFile]);
    expect(json.run.stdout()).toContain(JSON.stringify(WARNING.replace('{file}', dataFile)));

    const withCountry = await startJsonServe(['--port', '0', '--data', dataFile, '--default-country', 'PK']);
    expect(withCountry.run.stdout()).not.toContain('look national');
    const sample = await startJsonServe(['--port', '0']);
    expect(sample.run.stdout()).not.toContain('look national');
  });

  it('with --country-field, counts only the records without their own country: theirs are read in that country', async () => {
    const [first, second, third] = sampleDataSet.customers;
    const customers = [
      { ...first!, phone1: '0300-1234567', country: 'PK' },
      { ...second!, phone1: '+92 321 7654321', phone2: '(0321) 4445556', country: '92' },
      { ...third!, phone1: '0333 1112223', country: '' },
    ];
    const file = join(dir, 'own-country.json');
    await writeFile(file, JSON.stringify({ customers, labels: sampleDataSet.labels }));
    const { run } = await startJsonServe(['--port', '0', '--data', file, '--country-field', 'country']);
    expect(run.stdout()).toContain('1 of 1 stored phone numbers in');
    expect(run.stdout()).toContain('such as 03******2223');

    const all = customers.map((customer) => ({ ...customer, country: 'PK' }));
    await writeFile(file, JSON.stringify({ customers: all, labels: sampleDataSet.labels }));
    const owned = await startJsonServe(['--port', '0', '--data', file, '--country-field', 'country']);
    expect(owned.run.stdout()).not.toContain('look national');
  });
});
