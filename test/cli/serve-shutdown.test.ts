import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCustomer } from '../../src/index.js';
import { jsonLines, SERVE_FIXTURE, startJsonServe, stopServes, waitForJsonLine, waitForOutput } from '../support/serve-process.js';

afterEach(stopServes);

/** An HTTP/1.1 connection that collects every byte the server sends until it closes it. */
async function rawConnection(origin: string): Promise<{ socket: Socket; send(path: string): void; closed: Promise<string> }> {
  const { hostname, port } = new URL(origin);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, send: (path) => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`), closed };
}

/** Splits what a connection received into responses: status and body. */
function responses(raw: string): { status: number; body: string }[] {
  const found: { status: number; body: string }[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const head = rest.slice(0, end);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    found.push({ status: Number(head.slice(9, 12)), body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return found;
}

describe('serve on SIGTERM', () => {
  it('with --drain-delay 0: lets a slow request finish, answers /readyz 503 from the start of shutdown, refuses new connections, closes the repository and exits 0', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--shutdown-timeout', '8000', '--drain-delay', '0'], { entry: SERVE_FIXTURE, env: { FIXTURE_CUSTOMER_DELAY_MS: '1500' } });
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    const connection = await rawConnection(origin);
    connection.send('/customer?query=phone:1111');
    await waitForOutput(run, /fixture: lookup started/, 'stderr');
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    await waitForJsonLine(run, 'shutting down');

    // The listener is closed: a new connection is refused, so a load balancer moves on.
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    // A request arriving on a connection still open (here, behind the slow one) hears 503.
    connection.send('/readyz');
    const [slow, readiness, ...more] = responses(await connection.closed);
    expect(slow?.status).toBe(200);
    expect(JSON.parse(slow!.body)).toStrictEqual(sampleCustomer);
    expect(readiness?.status).toBe(503);
    expect(JSON.parse(readiness!.body)).toMatchObject({ status: 503, detail: 'The connector is shutting down.' });
    expect(more).toStrictEqual([]);

    expect(await run.exit).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8000);
    expect(run.stderr()).toContain('fixture: repository closed');
    expect(await waitForJsonLine(run, 'stopped')).toMatchObject({ signal: 'SIGTERM' });
  });

  it('keeps accepting for --drain-delay after SIGTERM: new connections hear /readyz 503 with Connection: close and lookups are still answered; then the listener closes (issue 20.9)', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--drain-delay', '2000'], { entry: SERVE_FIXTURE });
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    expect(await waitForJsonLine(run, 'shutting down')).toMatchObject({ signal: 'SIGTERM', drainDelayMs: 2000 });

    // A new connection during the drain: the probe says 503 and the connection closes after it.
    const probe = await fetch(`${origin}/readyz`);
    expect(probe.status).toBe(503);
    expect(probe.headers.get('connection')).toBe('close');
    expect(await probe.json()).toMatchObject({ status: 503, detail: 'The connector is shutting down.' });
    const lookup = await fetch(`${origin}/customer?query=phone:1111`);
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get('connection')).toBe('close');
    expect(Date.now() - signalled).toBeLessThan(2000);

    expect(await run.exit).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });

  it('SIGINT (Ctrl+C) skips the drain delay', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--drain-delay', '60000'], { entry: SERVE_FIXTURE });
    run.child.kill('SIGINT');
    expect(await waitForJsonLine(run, 'shutting down')).toMatchObject({ signal: 'SIGINT', drainDelayMs: 0 });
    expect(await run.exit).toBe(0);
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });

  it('writes every request line before it stops: lines still waiting for their batch come out first, in order', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--drain-delay', '0'], { entry: SERVE_FIXTURE });
    for (const path of ['/label', '/customer?query=phone:1111', '/nowhere']) await fetch(`${origin}${path}`);
    run.child.kill('SIGTERM'); // at once: the request lines are still pending (docs/serve.md: up to 50 ms)
    expect(await run.exit).toBe(0);
    const lines = jsonLines(run).filter((line) => line.msg !== 'listening');
    expect(lines.map((line) => (line.msg === 'request' ? `request ${String(line.status)}` : line.msg))).toStrictEqual(['request 200', 'request 200', 'request 404', 'shutting down', 'stopped']);
  });

  it('cuts what is still running after --shutdown-timeout, then exits 0 all the same', async () => {
    // The lookup would take 30 s; the exit is timed against that, with room for a loaded machine.
    const { run, origin } = await startJsonServe(['--port', '0', '--shutdown-timeout', '300'], { entry: SERVE_FIXTURE, env: { FIXTURE_CUSTOMER_DELAY_MS: '30000' } });
    const connection = await rawConnection(origin);
    connection.send('/customer?query=phone:1111');
    await waitForOutput(run, /fixture: lookup started/, 'stderr');
    const signalled = Date.now();
    run.child.kill('SIGINT');
    expect(await connection.closed).toBe('');
    expect(await run.exit).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(await waitForJsonLine(run, 'requests still in flight after 300 ms were cut')).toMatchObject({ level: 'warn' });
    expect(run.stderr()).toContain('fixture: repository closed');
  });
});
