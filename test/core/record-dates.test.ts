import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  DataSetError,
  sampleCustomer,
  sampleLabels,
  type ConnectorErrorEvent,
  type CustomerRecord,
  type CustomerRepository,
  type LabelRecord,
  withCache,
} from '../../src/index.js';

import { serveConnector, type TestServer } from '../support/serve-connector.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// As pg or mysql2 return a timestamp column: a Date (here 14:32:53.823 at +05:00, i.e. 09:32:53.823Z).
const created = new Date('2020-06-18T14:32:53.823+05:00');
const updated = new Date(Date.UTC(2021, 0, 2, 3, 4, 5, 0));
const driverCustomer: CustomerRecord = { ...sampleCustomer, createdAt: created, updatedAt: updated, nationalId: 'x' };
const driverLabels: LabelRecord[] = sampleLabels.map((label) => ({ ...label, createdAt: created, updatedAt: updated }));
const repository = (customer: CustomerRecord, labels: readonly LabelRecord[] = driverLabels): CustomerRepository => ({
  findCustomerByPhone: async () => customer,
  listLabels: async () => labels,
});

describe('timestamps as Date', () => {
  it('are sent as ISO 8601 UTC with milliseconds, by a vendor repository', async () => {
    server = await serveConnector({ repository: repository(driverCustomer) });
    const customer = await (await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).json();
    expect(customer).toStrictEqual({ ...sampleCustomer, createdAt: '2020-06-18T09:32:53.823Z', updatedAt: '2021-01-02T03:04:05.000Z' });
    const labels = await (await server.get('/label')).json();
    expect(labels[0]).toStrictEqual({ ...sampleLabels[0], createdAt: '2020-06-18T09:32:53.823Z', updatedAt: '2021-01-02T03:04:05.000Z' });
  });

  it('are sent the same through withCache (its ready-made records)', async () => {
    server = await serveConnector({ repository: withCache(repository(driverCustomer), { customersTtlMs: 60_000, labelsTtlMs: 60_000 }) });
    for (let round = 0; round < 2; round++) {
      const customer = await (await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).json();
      expect(customer.createdAt).toBe('2020-06-18T09:32:53.823Z');
      expect(customer).not.toHaveProperty('nationalId');
      expect((await (await server.get('/label')).json())[0].updatedAt).toBe('2021-01-02T03:04:05.000Z');
    }
  });

  it('are accepted by the memory repository and sent as ISO strings', async () => {
    const memory = createMemoryRepository({ customers: [driverCustomer], labels: driverLabels });
    server = await serveConnector({ repository: memory });
    const customer = await (await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).json();
    expect(customer.createdAt).toBe('2020-06-18T09:32:53.823Z');
    expect((await (await server.get('/label')).json())[1].createdAt).toBe('2020-06-18T09:32:53.823Z');
  });

  it('a Date from another realm (a vm context, as some test runners and sandboxes make) is sent like any Date', async () => {
    const foreign = runInNewContext('[new Date(Date.UTC(2020, 5, 18, 9, 32, 53, 823)), new Date(NaN)]') as [Date, Date];
    expect(foreign[0]).not.toBeInstanceOf(Date);
    const events: ConnectorErrorEvent[] = [];
    let customer: CustomerRecord = { ...sampleCustomer, createdAt: foreign[0], updatedAt: foreign[0] };
    server = await serveConnector({ repository: { findCustomerByPhone: async () => customer, listLabels: async () => driverLabels }, onError: (event) => void events.push(event) });
    const response = await server.get(`/customer?query=phone:${sampleCustomer.phone1}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ ...sampleCustomer, createdAt: '2020-06-18T09:32:53.823Z', updatedAt: '2020-06-18T09:32:53.823Z' });
    customer = { ...sampleCustomer, updatedAt: foreign[1] };
    expect((await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).status).toBe(502);
    expect(events[0]?.issues).toStrictEqual([expect.objectContaining({ path: '$.updatedAt', message: expect.stringContaining('invalid Date') })]);
  });

  it('an object that only pretends to be a Date is not one', async () => {
    const fake = { [Symbol.toStringTag]: 'Date', toISOString: () => '2020-06-18T09:32:53.823Z', getTime: () => 0 };
    const events: ConnectorErrorEvent[] = [];
    server = await serveConnector({
      repository: { findCustomerByPhone: async () => ({ ...sampleCustomer, createdAt: fake }) as never, listLabels: async () => driverLabels },
      onError: (event) => void events.push(event),
    });
    expect((await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).status).toBe(502);
    expect(events[0]?.issues).toStrictEqual([expect.objectContaining({ path: '$.createdAt' })]);
  });

  it('an invalid Date is a contract issue (502, reported to onError) and the next request is served', async () => {
    const events: ConnectorErrorEvent[] = [];
    let bad = true;
    server = await serveConnector({
      repository: { findCustomerByPhone: async () => ({ ...driverCustomer, updatedAt: bad ? new Date('garbage') : updated }), listLabels: async () => driverLabels },
      onError: (event) => void events.push(event),
    });
    expect((await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).status).toBe(502);
    expect(events[0]?.issues).toStrictEqual([expect.objectContaining({ path: '$.updatedAt', message: expect.stringContaining('invalid Date') })]);
    bad = false;
    expect((await server.get(`/customer?query=phone:${sampleCustomer.phone1}`)).status).toBe(200);
  });

  it('an invalid Date in a label list is a 502 naming the label', async () => {
    const events: ConnectorErrorEvent[] = [];
    const labels = [driverLabels[0]!, { ...driverLabels[1]!, createdAt: new Date(Number.NaN) }];
    server = await serveConnector({ repository: repository(driverCustomer, labels), onError: (event) => void events.push(event) });
    expect((await server.get('/label')).status).toBe(502);
    expect(events[0]?.issues).toStrictEqual([expect.objectContaining({ path: '$[1].createdAt', message: expect.stringContaining('invalid Date') })]);
  });

  it('an invalid Date in memory data is a DataSetError naming the field', () => {
    const build = () => createMemoryRepository({ customers: [{ ...driverCustomer, createdAt: new Date('nope') }], labels: [{ ...driverLabels[0]!, updatedAt: new Date('nope') }] });
    expect(build).toThrow(DataSetError);
    expect(build).toThrow(/customers\[0\]\.createdAt: an invalid Date/);
    expect(build).toThrow(/labels\[0\]\.updatedAt: an invalid Date/);
  });
});
