import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServeLogger, isoTime, loggablePath, type RequestLogEvent, requestLine, tenths } from '../../src/cli/serve/logging.js';
import { Writable } from 'node:stream';
import { batchLines, boundedOutput, LINE_BACKLOG_CHARS, LINE_BATCH_CHARS, LINE_WAIT_MS, REQUEST_BACKLOG_CHARS } from '../../src/cli/serve/log-lines.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchLines', () => {
  afterEach(() => void vi.useRealTimers());

  it(`holds request lines past the end of the turn and writes them in one write ${LINE_WAIT_MS} ms after the first, with no further line needed`, () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    lines.write('a\n');
    vi.advanceTimersByTime(LINE_WAIT_MS - 10);
    lines.write('b\n'); // a later line does not push the first one's deadline
    vi.advanceTimersByTime(9);
    expect(writes).toStrictEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toStrictEqual(['a\nb\n']);
    // The next batch waits its own time from its own first line, on the same timer.
    vi.advanceTimersByTime(5 * LINE_WAIT_MS);
    lines.write('c\n');
    vi.advanceTimersByTime(LINE_WAIT_MS - 1);
    expect(writes).toStrictEqual(['a\nb\n']);
    vi.advanceTimersByTime(1);
    expect(writes).toStrictEqual(['a\nb\n', 'c\n']);
    vi.advanceTimersByTime(5 * LINE_WAIT_MS);
    expect(writes).toHaveLength(2);
  });

  it(`writes at once when ${LINE_BATCH_CHARS} characters wait, so a busy server writes a few KiB at a time`, () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    const line = `${'x'.repeat(255)}\n`;
    const count = LINE_BATCH_CHARS / line.length;
    for (let index = 1; index < count; index++) lines.write(line);
    expect(writes).toStrictEqual([]);
    lines.write(line);
    expect(writes).toStrictEqual([line.repeat(count)]);
    lines.write('next\n');
    vi.advanceTimersByTime(LINE_WAIT_MS);
    expect(writes).toStrictEqual([line.repeat(count), 'next\n']);
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

  it('writes the lines still pending when the process exits in the same turn', () => {
    const module = new URL('../../src/cli/serve/log-lines.ts', import.meta.url).pathname;
    const script = `const { batchLines } = await import(${JSON.stringify(module)}); const lines = batchLines((text) => process.stdout.write(text)); lines.write('one\\n'); lines.write('two\\n'); process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('one\ntwo\n');
  });

  it('writes the lines still pending when the process ends on its own: the wait never holds the process open', () => {
    const module = new URL('../../src/cli/serve/log-lines.ts', import.meta.url).pathname;
    const script = `const { batchLines } = await import(${JSON.stringify(module)}); const lines = batchLines((text) => process.stdout.write(text)); lines.write('one\\n'); setImmediate(() => lines.write('two\\n'));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('one\ntwo\n');
  });
});

describe('boundedOutput', () => {
  /** A stream whose reader takes nothing until `take()`: what waits is its writableLength, as process.stdout's on a full pipe. */
  function stalledStream() {
    const written: string[] = [];
    const callbacks: Array<() => void> = [];
    const stream = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        written.push(chunk);
        callbacks.push(callback);
      },
    });
    const take = async () => {
      while (callbacks.length > 0) {
        callbacks.shift()?.();
        await nextTurn();
      }
    };
    return { stream, written, take };
  }

  it(`drops request lines while ${REQUEST_BACKLOG_CHARS} characters wait and other lines past ${LINE_BACKLOG_CHARS}, counting each line, and reports the count once the stream has taken the rest`, async () => {
    const { stream, written, take } = stalledStream();
    const reports: number[] = [];
    const output = boundedOutput(stream, { drained: (dropped) => void reports.push(dropped), closed: (error) => expect.unreachable(String(error)) });
    const batch = `${'r'.repeat(1023)}\n`.repeat(64); // 64 KiB of request lines
    for (let index = 0; index < REQUEST_BACKLOG_CHARS / batch.length; index++) output.requests(batch);
    expect(output.dropped()).toBe(0);
    output.requests(batch);
    output.requests('one\ntwo\n');
    expect(output.dropped()).toBe(66);
    // A failure still goes out behind them, until the larger bound.
    output.line('first failure\n');
    while (stream.writableLength < LINE_BACKLOG_CHARS) output.line(batch);
    output.line('second failure\n');
    expect(output.dropped()).toBe(67);
    expect(reports).toStrictEqual([]);

    await take();
    expect(reports).toStrictEqual([67]);
    expect(written.filter((text) => text.endsWith('failure\n'))).toStrictEqual(['first failure\n']);
    expect(written.join('').split('\n').length - 1).toBe(REQUEST_BACKLOG_CHARS / 1024 + 1 + (LINE_BACKLOG_CHARS - REQUEST_BACKLOG_CHARS) / 1024);
    output.requests('after\n');
    await take();
    expect(written.at(-1)).toBe('after\n');
    expect(output.dropped()).toBe(67);
  });

  it('hears the stream fail (its reader closed the pipe: EPIPE) instead of letting the error end the process: said once, and the lines lost with it and every line after are dropped and counted', async () => {
    const written: string[] = [];
    let reading = true;
    const stream = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        if (reading) {
          written.push(chunk);
          callback();
        } else setImmediate(() => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      },
    });
    const closed: string[] = [];
    const output = boundedOutput(stream, { drained: () => expect.unreachable('nothing waited'), closed: (error) => void closed.push(String(error.code)) });
    output.requests('one\n');
    reading = false;
    output.requests('two\nthree\n'); // lost in the pipe that closed
    output.line('waiting behind\n'); // waited behind it: lost too
    await nextTurn();
    await nextTurn();
    expect(closed).toStrictEqual(['EPIPE']);
    expect(output.dropped()).toBe(3);
    output.requests('four\n');
    output.line('five\n');
    await nextTurn();
    expect(output.dropped()).toBe(5);
    expect(closed).toStrictEqual(['EPIPE']);
    expect(written).toStrictEqual(['one\n']);
  });
});

describe('the text log', () => {
  afterEach(() => void vi.restoreAllMocks());

  it("writes a warning's field values (a driver's reason) with their control characters as \\u escapes", async () => {
    const log = await createServeLogger('text', false);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
    log.warn('database not reachable (try 1)', { reason: 'refused\u001b[2J\r\n2026-01-01T00:00:00.000Z ready', attempts: 1 });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\S+ warning: database not reachable \(try 1\) reason=refused\\u001b\[2J\\u000d\\u000a2026-01-01T00:00:00\.000Z ready attempts=1\n$/);
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
      // As serve's hook makes it: `phone` present and undefined on a route without one.
      { method: 'GET', route: 'label', path: '/cim/label', status: 200, durationMs: 1234.56, phone: undefined },
      { method: 'DELETE', route: 'customer', path: '/customer', status: 405, durationMs: 0.04 },
      { method: 'GET', route: 'customer', path: '/customer', status: 504, durationMs: 2999.95, phone: '**11' },
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

describe('tenths', () => {
  it('writes a duration rounded to a tenth exactly as JSON.stringify(Math.round(ms * 10) / 10) does', () => {
    const asJson = (ms: number) => JSON.stringify(Math.round(ms * 10) / 10);
    for (const ms of [0, -0, 0.04, 0.05, 0.95, 1, 9.99, 12, 99.95, 1e13 + 0.3, 1e14 - 0.1, 1e14, 1e20, 1e21, 5e300, -0.04, -0.06, -3.2, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE]) {
      expect(tenths(ms)).toBe(asJson(ms));
    }
    fc.assert(fc.property(fc.oneof(fc.double({ min: 0, max: 60_000, noNaN: true }), fc.double()), (ms) => tenths(ms) === asJson(ms)), { numRuns: 5_000 });
  });
});

describe('isoTime', () => {
  it('is new Date(ms).toISOString() for each millisecond, across seconds, days and years, in any order', () => {
    const times = [Date.UTC(2026, 11, 6, 19), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), 0, -1, -1001, Date.UTC(1969, 11, 31, 23, 59, 59, 9)];
    for (const start of times) for (const step of [0, 1, 9, 10, 99, 100, 999, 1000, 1001]) for (const at of [start + step, start - step]) expect(isoTime(at)).toBe(new Date(at).toISOString());
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (at) => isoTime(at) === new Date(at).toISOString()), { numRuns: 5_000 });
  });
});
