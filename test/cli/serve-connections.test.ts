import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { problemTypes } from '../../src/index.js';
import { sendRaw } from '../support/raw-http.js';
import { startJsonServe, stopServes, waitForJsonLine } from '../support/serve-process.js';

afterEach(stopServes);

interface Held {
  socket: Socket;
  /** When the server closed it, in ms after it connected; `undefined` while open. */
  closedAfter: number | undefined;
  /** What the server sent before closing. */
  received: string;
}

/** A slowloris client: connects and sends the start of a request, then a header byte now and then, never the end. */
async function slowloris(port: number): Promise<Held> {
  const socket = connect(port, '127.0.0.1');
  const held: Held = { socket, closedAfter: undefined, received: '' };
  const started = Date.now();
  socket.setEncoding('latin1').on('data', (chunk: string) => (held.received += chunk));
  socket.on('error', () => {});
  socket.once('close', () => (held.closedAfter = Date.now() - started));
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
  if (!socket.destroyed) socket.write('GET /label HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('X-a: b\r\n')), 500);
  socket.once('close', () => clearInterval(drip));
  return held;
}

const until = async (done: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('serve under a slowloris attack (issue 20.7)', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  it('closes connections over --max-connections at once, cuts slow headers after 10 s, and serves an honest client once they are cut', async () => {
    const { run, origin } = await startJsonServe(['--port', '0', '--max-connections', '20']);
    const port = Number(new URL(origin).port);
    const held: Held[] = [];
    for (let index = 0; index < 60; index += 1) held.push(await slowloris(port));
    sockets.push(...held.map((entry) => entry.socket));

    // Everything over the limit is closed at once, without an answer.
    await until(() => held.filter((entry) => entry.closedAfter !== undefined).length >= 40, 5000);
    const closedAtOnce = held.filter((entry) => entry.closedAfter !== undefined && entry.closedAfter < 2000);
    expect(closedAtOnce.length).toBeGreaterThanOrEqual(40);
    expect(closedAtOnce.every((entry) => entry.received === '')).toBe(true);
    expect(await waitForJsonLine(run, 'connection limit reached: 1 connections over --max-connections were closed at once')).toMatchObject({ level: 'warn', maxConnections: 20 });

    // The 20 within the limit are cut at the headers timeout (10 s, checked every second) with a 408.
    const kept = held.filter((entry) => entry.closedAfter === undefined);
    expect(kept.length).toBeLessThanOrEqual(20);
    await until(() => kept.every((entry) => entry.closedAfter !== undefined), 15_000);
    for (const entry of kept) {
      expect(entry.closedAfter).toBeLessThan(12_500);
      expect(entry.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(entry.received).toContain(problemTypes.requestTimeout);
    }

    // An honest client is served once the held sockets are gone, and the process is still up.
    const honest = await sendRaw(port, { method: 'GET', target: '/label', headers: [['Host', '127.0.0.1']] });
    expect(honest?.status).toBe(200);
    expect(run.child.exitCode).toBeNull();
  }, 30_000);
});
