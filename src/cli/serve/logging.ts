import { stderr, stdout } from 'node:process';
import type { ConnectorErrorEvent, ConnectorResponseEvent, ConnectorRoute } from '../../core/hooks.js';
import { maskPhone } from '../../core/hooks.js';
import { batchLines, boundedOutput, LINE_BACKLOG_CHARS, REQUEST_BACKLOG_CHARS } from './log-lines.js';

/**
 * One answered connector request, with the path (never the query, which holds the phone). `phone`
 * may be present and `undefined`: serve's hook makes every event with one shape.
 */
export type RequestLogEvent = Omit<ConnectorResponseEvent, 'phone'> & { path: string; phone?: string | undefined };

/** The serve process's log: one line per request and per failure, in JSON (pino) or text. */
export interface ServeLogger {
  request(event: RequestLogEvent): void;
  failure(event: ConnectorErrorEvent): void;
  /** Something the operator should know about (certificate reloaded, shutting down). */
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Lines dropped since start because stdout was not taking them (`prc_log_lines_dropped_total`). */
  droppedLines(): number;
}

/** The warning once stdout has taken every waiting line again, with `droppedLines`: the count since the last one. */
const DROPPED_LINES_MESSAGE = `log lines dropped: stdout was not taking them (${REQUEST_BACKLOG_CHARS / 2 ** 20} MiB waited)`;
/** The same for stderr (text format: failures and warnings), which drops lines only past the larger bound. */
const DROPPED_STDERR_MESSAGE = `log lines dropped: stderr was not taking them (${LINE_BACKLOG_CHARS / 2 ** 20} MiB waited)`;

/**
 * The warning, said once on the other stream, when stdout or stderr closed (its reader went
 * away: `serve | head`, a log shipper restarted): serving goes on, and /healthz, /readyz and
 * /metrics are how a supervisor watches it.
 */
const closedMessage = (stream: 'stdout' | 'stderr') => `${stream} is closed: its log lines are dropped from now on (prc_log_lines_dropped_total counts them); serving goes on`;
const errorCode = (error: NodeJS.ErrnoException) => error.code ?? error.message;

/**
 * A path as it may be logged: a phone number in it is masked, for a client that puts the number
 * in the path (`/customer/923001234567`) instead of the query, however it is written: digits
 * with the separators people type between them (`0300-123-4567`, `+92%20300%201234567`,
 * `(0300) 123.4567`), 6 digits or more in all, masked as their digits.
 */
export const loggablePath = (path: string) =>
  path.replace(/(?:\+|%2B)?(?:\(|%28)?(?:\d(?:[-. ()]|%20|%28|%29)*)+/gi, (number) => {
    // Each repetition starts with a digit and separators are not digits: one way to match, linear time.
    const digits = number.replace(/%[\dA-F]{2}/gi, '').replace(/\D/g, '');
    return digits.length < 6 ? number : maskPhone(/^(?:\+|%2B)/i.test(number) ? `+${digits}` : digits);
  });

const routeText = (route: string | null) => (route === null ? '-' : `/${route}`);

/**
 * Text a CRM or its driver wrote (an error message, an issue), as a readable log line may hold
 * it, on a terminal as often as not: control characters written as `\u001b`, so that a message
 * can neither drive the terminal (colours, cursor, title) nor start a line of its own.
 */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** An error as logged: its name and message (never a stack, which may quote CRM data at length). */
const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * The request line as pino writes it (`level`, `time`, the fields, `msg`), written directly: the
 * one line per request, where pino's generic serialiser cost about twice this template.
 * test/cli/serve-log-lines.test.ts holds it to pino's own line for the same event.
 */
export function requestLine({ method, route, path, status, durationMs, phone }: RequestLogEvent, time = Date.now()): string {
  const phoneField = phone === undefined ? '' : `,"phone":${JSON.stringify(phone)}`;
  return `{"level":"info","time":"${isoTime(time)}","method":${methodText(method)},"route":${ROUTE_JSON[route ?? 'none']},"path":${keptPath(path).json},"status":${status},"durationMs":${tenths(durationMs)}${phoneField},"msg":"request"}\n`;
}

// What every line repeats is written once: the routes, the usual methods, and (below) the time
// of the millisecond and the path, which under load nearly every line shares.
const ROUTE_JSON = { customer: '"/customer"', label: '"/label"', none: '"-"' } as const satisfies Record<ConnectorRoute | 'none', string>;
const methodText = (method: string) => (method === 'GET' ? '"GET"' : method === 'HEAD' ? '"HEAD"' : JSON.stringify(method));

/**
 * `durationMs` rounded to a tenth, as `JSON.stringify(Math.round(ms * 10) / 10)` writes it, from
 * integers: V8 prints a fraction with its general double-to-shortest-text routine, a good part of
 * the line's cost, and a small integer from a cache. `12.0` is `12`, as JSON writes it.
 */
export function tenths(ms: number): string {
  const count = Math.round(ms * 10);
  // Integers only in the range where `count / 10` is written as `${whole}.${tenth}`; anything else as JSON writes it.
  if (!(count >= 0 && count < 1e15)) return JSON.stringify(count / 10);
  const tenth = count % 10;
  const whole = (count - tenth) / 10;
  return tenth === 0 ? `${whole}` : `${whole}.${tenth}`;
}

/**
 * `new Date(at).toISOString()` for a time in whole milliseconds (`Date.now()`), kept per
 * millisecond, and per second all but the milliseconds: a new millisecond costs three digits.
 */
export function isoTime(at: number): string {
  if (at === lastTime.at) return lastTime.text;
  const second = Math.floor(at / 1000);
  if (second !== lastSecond.second) lastSecond = { second, text: new Date(second * 1000).toISOString().slice(0, -4) };
  const ms = at - second * 1000;
  lastTime = { at, text: `${lastSecond.text}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z` };
  return lastTime.text;
}
let lastTime = { at: Number.NaN, text: '' };
let lastSecond = { second: Number.NaN, text: '' };
/** The last path logged, masked (the text line) and as JSON (the JSON line): under load nearly every line has the one before's. */
let lastPath = { path: '', masked: '', json: '""' };
const keptPath = (path: string) => {
  if (path !== lastPath.path) {
    const masked = loggablePath(path);
    lastPath = { path, masked, json: JSON.stringify(masked) };
  }
  return lastPath;
};

/**
 * JSON lines through pino: `time` (ISO 8601), `level` (a word), `msg`, and the event's fields.
 * No `pid` or `hostname`: the supervisor adds those.
 */
async function jsonLogger(quiet: boolean): Promise<ServeLogger> {
  // Loaded here: the text format (and --help, --print-config) starts without pino.
  const { pino } = await import('pino');
  const options = { base: null, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label: string) => ({ level: label }) } };
  const output = boundedOutput(stdout, {
    drained: (droppedLines) => log.warn({ droppedLines }, DROPPED_LINES_MESSAGE),
    closed: (error) => errorLog.warn({ code: errorCode(error) }, closedMessage('stdout')),
  });
  // stderr carries only what stdout cannot: that stdout closed.
  const errors = boundedOutput(stderr, {
    drained: (droppedLines) => errorLog.warn({ droppedLines }, DROPPED_STDERR_MESSAGE),
    closed: (error) => log.warn({ code: errorCode(error) }, closedMessage('stderr')),
  });
  const errorLog = pino(options, { write: (line: string) => errors.line(line) });
  const requests = batchLines(output.requests);
  // Every other line is written at once, after the request lines before it.
  const log = pino(options, {
    write: (line: string) => {
      requests.flush();
      output.line(line);
    },
  });
  return {
    request: (event) => {
      if (!quiet) requests.write(requestLine(event));
    },
    failure: ({ kind, route, status, issues, error, phone }) =>
      log.error(
        {
          kind,
          route: routeText(route),
          status,
          ...(issues === undefined ? {} : { issues: issues.map(({ path, message }) => ({ path, message })) }),
          ...(error === undefined ? {} : { error: describeError(error) }),
          ...(phone === undefined ? {} : { phone }),
        },
        'connector failure',
      ),
    info: (message, fields = {}) => log.info(fields, message),
    warn: (message, fields = {}) => log.warn(fields, message),
    droppedLines: () => output.dropped() + errors.dropped(),
  };
}

/**
 * The readable lines `serve` has always printed: requests on stdout, failures and warnings on
 * stderr, each stream bounded as {@link boundedOutput} says.
 */
function textLogger(quiet: boolean): ServeLogger {
  const now = () => isoTime(Date.now());
  const fieldsText = (fields: Record<string, unknown>) =>
    Object.entries(fields)
      // A value may quote a driver (`reason` of an unreachable database): printable, as failures are.
      .map(([key, value]) => ` ${key}=${typeof value === 'string' ? printable(value) : JSON.stringify(value)}`)
      .join('');
  const output = boundedOutput(stdout, {
    drained: (droppedLines) => warn(DROPPED_LINES_MESSAGE, { droppedLines }),
    closed: (error) => warn(closedMessage('stdout'), { code: errorCode(error) }),
  });
  const errors = boundedOutput(stderr, {
    drained: (droppedLines) => warn(DROPPED_STDERR_MESSAGE, { droppedLines }),
    // Said in the request log, the one stream left.
    closed: (error) => info(`warning: ${closedMessage('stderr')}`, { code: errorCode(error) }),
  });
  const warn = (message: string, fields: Record<string, unknown> = {}) => errors.line(`${now()} warning: ${message}${fieldsText(fields)}\n`);
  const out = batchLines(output.requests);
  const info = (message: string, fields: Record<string, unknown> = {}) => {
    out.flush();
    output.line(`${now()} ${message}${fieldsText(fields)}\n`);
  };
  return {
    request: ({ method, route, path, status, durationMs, phone }) => {
      if (quiet) return;
      // The path as requested (base path included, and for a 404 too): a misconfigured URL shows.
      out.write(`${now()} ${method} ${path === '' ? routeText(route) : keptPath(path).masked} ${status} ${durationMs.toFixed(1)}ms${phone === undefined ? '' : ` ${phone}`}\n`);
    },
    failure: ({ kind, route, status, issues, error }) =>
      errors.line(
        `${now()} error ${kind} on ${routeText(route)} (${status})${error === undefined ? '' : `: ${printable(describeError(error))}`}${
          issues === undefined ? '' : issues.map((issue) => `\n  ${printable(issue.path)}: ${printable(issue.message)}`).join('')
        }\n`,
      ),
    info,
    warn,
    droppedLines: () => output.dropped() + errors.dropped(),
  };
}

export const createServeLogger = async (format: 'json' | 'text', quiet: boolean): Promise<ServeLogger> => (format === 'json' ? jsonLogger(quiet) : textLogger(quiet));
