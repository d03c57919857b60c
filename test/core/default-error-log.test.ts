import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleCustomer, sampleLabels, type ConnectorErrorEvent, type CustomerRepository } from '../../src/index.js';
import { serveConnector, type TestServer } from '../support/serve-connector.js';

let server: TestServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Every line the process writes to stderr while `run` runs (and nothing reaches the terminal). */
async function stderrLines(run: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  await run();
  vi.restoreAllMocks();
  return written.join('').split('\n').filter((line) => line !== '');
}

const badRecord = { ...sampleCustomer, createdAt: '18/06/2020', labels: 'Gold' };
const repository: CustomerRepository = {
  findCustomerByPhone: (query) => {
    if (query.normalizedPhone === '923001234567') return badRecord as never;
    throw new TypeError('connection refused by crm-db');
  },
  listLabels: () => sampleLabels,
};

describe('failures without onError', () => {
  it('are written to stderr, one line each, with route, kind, masked phone, issues and the thrown error', async () => {
    server = await serveConnector({ repository });
    const lines = await stderrLines(async () => {
      expect((await server!.get('/customer?query=phone:%2B923001234567')).status).toBe(502);
      expect((await server!.get('/customer?query=phone:%2B923009999999')).status).toBe(500);
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('502 invalid_data on /customer');
    expect(lines[0]).toContain('+92******4567');
    expect(lines[0]).not.toContain('923001234567');
    expect(lines[0]).toMatch(/\$\.labels: expected an array/);
    expect(lines[0]).toMatch(/\$\.createdAt: .*18\/06\/2020/);
    expect(lines[1]).toContain('500 exception on /customer');
    expect(lines[1]).toContain('+92******9999');
    expect(lines[1]).toContain('TypeError: connection refused by crm-db');
  });

  it('a timeout is a 504 line', async () => {
    server = await serveConnector({ repository: { findCustomerByPhone: () => new Promise(() => {}), listLabels: () => sampleLabels }, timeoutMs: 20 });
    const lines = await stderrLines(async () => {
      expect((await server!.get('/customer?query=phone:1111')).status).toBe(504);
    });
    expect(lines).toStrictEqual([expect.stringContaining('504 timeout on /customer; phone **11')]);
  });

  it('passing onError replaces the line', async () => {
    const events: ConnectorErrorEvent[] = [];
    server = await serveConnector({ repository, onError: (event) => void events.push(event) });
    const lines = await stderrLines(async () => {
      expect((await server!.get('/customer?query=phone:%2B923009999999')).status).toBe(500);
    });
    expect(lines).toStrictEqual([]);
    expect(events).toHaveLength(1);
  });
});
