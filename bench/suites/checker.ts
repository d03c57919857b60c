import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { distDirectory, loadMain, loadNode } from '../lib/library.js';
import { compare, type Row, type SuiteResult } from '../lib/report.js';
import { interleave } from '../lib/stats.js';

const run = promisify(execFile);

/** Wall-clock milliseconds of a fresh `node` process running `args`, with its exit code. */
async function processMs(args: readonly string[]): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const code = await run(process.execPath, args, { cwd: distDirectory }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  return { ms: performance.now() - started, code };
}

/**
 * Benchmark 5: `priority-routing-crm check` with its default checks against the reference
 * connector on 127.0.0.1, a fresh process each time, against a fresh process that only fetches
 * the same URLs once each (the least any check must do). Target: under one second.
 */
export async function checker(rounds: number): Promise<SuiteResult> {
  const { createMemoryRepository, sampleDataSet, samplePhones } = await loadMain();
  const { createNodeHandler } = await loadNode();
  // The reference connector: the sample data set on the node adapter.
  const server = createServer(createNodeHandler({ repository: createMemoryRepository(sampleDataSet) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const phones = [samplePhones.gold, samplePhones.vip];
    const customerUrl = `${origin}/customer?query=phone:{refId}`;
    const check = ['cli.js', 'check', '--customer-url', customerUrl, '--labels-url', `${origin}/label`, ...phones.flatMap((phone) => ['--phone', phone])];
    const urls = [`${origin}/label`, ...phones.map((phone) => customerUrl.replace('{refId}', phone))];
    const fetchOnly = ['--input-type=module', '-e', `for (const url of ${JSON.stringify(urls)}) await (await fetch(url)).text();`];
    const first = await processMs(check);
    if (first.code !== 0) throw new Error(`check against the reference connector exited ${first.code}, expected 0`);
    const samples = await interleave(rounds, {
      ours: async () => (await processMs(check)).ms,
      baseline: async () => (await processMs(fetchOnly)).ms,
    });
    const row: Row = { ...compare('check, default checks, fresh process', 'ms', samples, 'node fetching the same URLs once'), limit: 1000 };
    row.note = `\`priority-routing-crm check --phone ${phones.join(' --phone ')}\` against the reference connector on 127.0.0.1; wall time of the whole process, Node's start-up included.`;
    return { suite: 'checker', title: '5. The checker', rows: [row] };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
