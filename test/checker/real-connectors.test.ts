import { afterAll, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express.js';
import { createApp as createFastifyApp } from '../../examples/fastify.js';
import { createApp as createHonoApp } from '../../examples/hono.js';
import { createApp as createKoaApp } from '../../examples/koa.js';
import { verifyConnector, type CheckReport } from '../../src/checker/index.js';
import { samplePhones } from '../../src/reference/sample-data.js';
import { startReferenceServer } from '../../src/reference/server.js';
import { referenceRepository } from '../adapters/reference.js';
import { type Listening, listenFastify, startFetch, startNode } from '../support/listen.js';
import { customer, label, startFixture } from './fixtures/connector.js';

// 3333 carries, on purpose, a label id that is not in the list: the one sample phone that fails.
const phones = Object.values(samplePhones).filter((phone) => phone !== '3333');
const weights = { Gold: 8, Silver: 3, Vip: 10, Vvip: 9 };

const running: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.all(running.map((server) => server.close())));

const failures = (report: CheckReport) => report.checks.filter((check) => check.status === 'fail').map((check) => `${check.id}: ${check.detail}`);

async function checkCim(origin: string): Promise<CheckReport> {
  return verifyConnector({ customerQueryUrl: `${origin}/cim/customer?query=phone:{refId}`, labelsUrl: `${origin}/cim/label`, phones, weights });
}

describe('no false alarms', () => {
  it('passes the reference connector, warning only about the seed\'s "platinum " label', async () => {
    const server = await startReferenceServer({ basePath: '/cim' });
    running.push(server);
    const report = await checkCim(server.url.slice(0, -'/cim'.length));
    expect(failures(report)).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'warn').map((c) => c.id)).toEqual(['labels.name-whitespace']);
    expect(report.checks.filter((c) => c.status === 'skip')).toEqual([]);
  });

  it('fails the reference connector for the sample customer with a dangling label id', async () => {
    const server = await startReferenceServer();
    running.push(server);
    const report = await verifyConnector({ customerQueryUrl: server.customerQueryUrl, labelsUrl: server.labelsUrl, phones: ['3333'] });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['customer.label-ids-exist']);
  });

  const frameworks: Array<[string, () => Promise<Listening>]> = [
    ['Express', () => startNode(createExpressApp(referenceRepository()))],
    ['Koa', () => startNode(createKoaApp(referenceRepository()).callback())],
    ['Hono', () => startFetch(createHonoApp(referenceRepository()).fetch)],
    [
      'Fastify',
      async () => listenFastify(await createFastifyApp(referenceRepository())),
    ],
  ];
  it.each(frameworks)('passes the %s adapter', async (_name, start) => {
    const server = await start();
    running.push(server);
    expect(failures(await checkCim(server.origin))).toEqual([]);
  });

  it('passes a connector that differs in every allowed way', async () => {
    // Other ids and data, extra fields, a base path, a token in the query string before and a
    // parameter after query=, a bearer header, lower-case colours, labels in another order.
    const labels = [
      label('vip-tier', 'Vip', { color_code: '#f032e6', sortOrder: 1, archived: false }),
      label('gold-tier', 'Gold', { color_code: '#abcdef' }),
    ];
    const fixture = await startFixture({
      basePath: '/crm/v2',
      token: 's3cr3t',
      bearer: 'abc',
      labels,
      customers: [
        customer('42', '+44 20 7946 0958', ['gold-tier', 'vip-tier'], { nationalId: 'X', notes: { vip: true } }),
        customer('43', '020 7946 0000', [], { phone2: '555-0100' }),
      ],
    });
    running.push(fixture);
    const report = await verifyConnector({
      customerQueryUrl: `${fixture.origin}/crm/v2/customer?token=s3cr3t&query=phone:{refId}&locale=en`,
      labelsUrl: `${fixture.origin}/crm/v2/label?token=s3cr3t`,
      phones: ['+442079460958', '5550100'],
      headers: { authorization: 'Bearer abc' },
      weights: { Gold: 8, Vip: 10 },
    });
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(report.priorities?.map((p) => p.priority)).toEqual([10, 1]);
    const missing = report.checks.find((c) => c.id === 'customer.missing-query-400')!;
    expect(missing.requests[0]?.url).toBe(`${fixture.origin}/crm/v2/customer?token=***&locale=***`);
    expect(missing.requests[0]?.curl).toContain("-H 'authorization: ***'");
  });
});
