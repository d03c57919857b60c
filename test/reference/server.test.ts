import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCustomer, sampleLabels } from '../../src/index.js';
import { startReferenceServer, type ReferenceServer } from '../../src/reference/server.js';

describe('the reference server', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, basePath: '/cim' });
  });
  afterAll(() => server.close());

  it('answers the seed customer request exactly as the seed shows', async () => {
    const response = await fetch(server.customerQueryUrl.replace('{refId}', '1111'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toStrictEqual(sampleCustomer);
  });

  it('answers the seed label request exactly as the seed shows', async () => {
    const response = await fetch(server.labelsUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual(sampleLabels);
  });

  it('reports the URLs Hybrid Chat is configured with', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/cim`);
    expect(server.customerQueryUrl).toBe(`${server.url}/customer?query=phone:{refId}`);
    expect(server.labelsUrl).toBe(`${server.url}/label`);
  });

  it('refuses invalid data before listening', async () => {
    await expect(startReferenceServer({ data: { customers: [{ ...sampleCustomer, __v: 1.5 }], labels: [] } })).rejects.toThrow(
      /customers\[0\]\.__v/,
    );
  });
});
