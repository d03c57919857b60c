import { styleText } from 'node:util';
import { escapeTerminal, type Styler } from '../checker/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether to colour a stream: never with `NO_COLOR` (any non-empty value, per no-color.org);
 * always with `FORCE_COLOR` other than `0`/`false`; otherwise only on a terminal that is not
 * `TERM=dumb`. Node 20's `styleText` does not look at the stream itself.
 */
export function useColor(stream: { isTTY?: boolean }, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * The {@link Styler} for a stream: `styleText` when {@link useColor} says so, else `undefined`
 * (plain text).
 */
export function stylerFor(stream: { isTTY?: boolean }, env: Env): Styler | undefined {
  return useColor(stream, env) ? (style, text) => styleText(style, text) : undefined;
}

/**
 * A one-line progress display on a terminal that rewrites itself; silent elsewhere.
 */
export interface ProgressLine {
  update(text: string): void;
  clear(): void;
}

/**
 * The progress line on `stream` (stderr) when it is a terminal; a no-op otherwise, so logs and
 * pipes stay clean. Control characters in the text are shown escaped (`\u001b`).
 */
export function progressLine(stream: { isTTY?: boolean; columns?: number; write(text: string): unknown }): ProgressLine {
  if (stream.isTTY !== true) return { update: () => {}, clear: () => {} };
  const width = Math.max(20, (stream.columns ?? 80) - 1);
  return {
    update: (text) => {
      const shown = escapeTerminal(text);
      stream.write(`\r\x1b[2K${shown.length > width ? `${shown.slice(0, width - 1)}…` : shown}`);
    },
    clear: () => void stream.write('\r\x1b[2K'),
  };
}
