import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggablePath, type RequestLogEvent, requestLine } from '../../src/cli/serve/logging.js';
import { batchLines } from '../../src/cli/serve/log-lines.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchLines', () => {
  it('writes the request lines of one turn of the event loop in one write, in order, at the end of the turn', async () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    lines.write('a\n');
    lines.write('b\n');
    expect(writes).toStrictEqual([]);
    await nextTurn();
    expect(writes).toStrictEqual(['a\nb\n']);
    lines.write('c\n');
    await nextTurn();
    expect(writes).toStrictEqual(['a\nb\n', 'c\n']);
  });

  it('flush writes what is pending at once, so a line that must not wait keeps its place after the lines before it', async () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    lines.write('request\n');
    lines.write('shutting down\n');
    lines.flush();
    expect(writes).toStrictEqual(['request\nshutting down\n']);
    await nextTurn();
    expect(writes).toHaveLength(1);
  });

  it('writes at once past 64 KiB pending, so a busy turn never holds much', () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    const line = `${'x'.repeat(1023)}\n`;
    for (let index = 0; index < 64; index++) lines.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(64 * 1024);
  });

  it('writes the lines still pending when the process exits in the same turn', () => {
    const module = new URL('../../src/cli/serve/log-lines.ts', import.meta.url).pathname;
    const script = `const { batchLines } = await import(${JSON.stringify(module)}); const lines = batchLines((text) => process.stdout.write(text)); lines.write('one\\n'); lines.write('two\\n'); process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('one\ntwo\n');
  });
});

describe('requestLine', () => {
  it('is the line pino writes for the same request, byte for byte but the time', () => {
    const written: string[] = [];
    const log = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => void written.push(line) });
    const events: RequestLogEvent[] = [
      { method: 'GET', route: 'customer', path: '/cim/customer', status: 200, durationMs: 0.123456, phone: '+92******4567' },
      { method: 'HEAD', route: 'label', path: '/label', status: 304, durationMs: 12 },
      { method: 'POST', route: null, path: '/a "quoted"\\path/ü/\u0001/+923001234567', status: 404, durationMs: 1.05 },
    ];
    for (const { method, route, path, status, durationMs, phone } of events) {
      log.info({ method, route: route === null ? '-' : `/${route}`, path: loggablePath(path), status, durationMs: Math.round(durationMs * 10) / 10, ...(phone === undefined ? {} : { phone }) }, 'request');
    }
    const at = new Date('2026-12-06T19:00:00.000Z');
    const sameTime = (line: string) => line.replace(/"time":"[^"]+"/, `"time":"${at.toISOString()}"`);
    expect(events.map((event) => requestLine(event, at.getTime()))).toStrictEqual(written.map(sameTime));
    // Kept time and path texts are those of the line asked for.
    expect(requestLine(events[1] as RequestLogEvent, at.getTime() + 1)).toBe(sameTime(written[1] as string).replace('00.000Z', '00.001Z'));
  });
});
