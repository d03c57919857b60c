import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, listen } from '../support/listen.js';

const EXAMPLES = ['express', 'fastify', 'hono', 'koa', 'nextjs', 'node-http'] as const;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<name>.ts` as `npx tsx` would, with `env`, until it exits (killed after 30 s). */
function runExample(name: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/${name}.ts still running after 30 s; stdout: ${stdout}`));
    }, 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('every example run as a script', () => {
  let busy: Listening;
  let port: number;
  beforeAll(async () => {
    busy = await listen(createServer());
    ({ port } = busy);
  });
  afterAll(() => busy.close());

  it.concurrent.each(EXAMPLES)('%s: reports a busy port and exits 1, never announcing that it listens', async (name) => {
    const exit = await runExample(name, { PORT: String(port) });
    expect(exit.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
    expect(exit.stdout).not.toMatch(/listening/);
    expect(exit.code).toBe(1);
  }, 40_000);

  it('reports a PORT that is no port number and exits 1', async () => {
    const exit = await runExample('node-http', { PORT: 'http' });
    expect(exit.stderr).toMatch(/^cannot listen on 127\.0\.0\.1:NaN: /);
    expect(exit.code).toBe(1);
  }, 40_000);

  it('prints, once listening, everything Hybrid Chat needs: the two URLs and IS_CIM_INTEGRATED=true', async () => {
    const free = await listen(createServer());
    const freePort = free.port;
    await free.close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/node-http.ts'], { env: { ...process.env, PORT: String(freePort) }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('IS_CIM_INTEGRATED')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`examples/node-http.ts exited ${code}; stdout: ${stdout}`)));
        // Rejects before the test's own timeout, so that `finally` still stops the child.
        setTimeout(() => reject(new Error(`no IS_CIM_INTEGRATED line after 20 s; stdout: ${stdout}`)), 20_000).unref();
      });
      const base = `http://127.0.0.1:${freePort}/cim`;
      expect(stdout).toContain(`CIM_CUSTOMER_QUERY_URL=${base}/customer?query=phone:{refId}`);
      expect(stdout).toContain(`CIM_LABELS_API_PATH=${base}/label`);
      expect(stdout).toMatch(/^\s*IS_CIM_INTEGRATED=true$/m);
      expect((await fetch(`${base}/label`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 40_000);
});
