/**
 * Keeps the test run quiet (vitest.config.ts `setupFiles`): what code under test writes to this
 * process's stderr (a connector's default error log, a warning) is captured per test instead of
 * printed. A test that expects such output asserts it with {@link takeStderr}; the output of a
 * test that fails is printed after it, with the test's name, for the diagnosis.
 *
 * Only direct `process.stderr.write` calls are captured: vitest already attributes `console.*`,
 * and a child process's stderr is a pipe the test reads itself.
 */
import { afterEach, beforeEach } from 'vitest';

const write = process.stderr.write.bind(process.stderr);
let captured: string[] = [];

type WriteCallback = (error?: Error | null) => void;
process.stderr.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback) => {
  captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
  const done = typeof encoding === 'function' ? encoding : callback;
  if (done !== undefined) queueMicrotask(() => done(null));
  return true;
}) as typeof process.stderr.write;

/** The stderr lines written since the test started (or since the last call), and forgets them. */
export function takeStderr(): string[] {
  const lines = captured.join('').split('\n').filter((line) => line !== '');
  captured = [];
  return lines;
}

beforeEach(() => {
  captured = [];
});

afterEach((context) => {
  const text = captured.join('');
  captured = [];
  if (text !== '' && context.task.result?.state === 'fail') write(`stderr of "${context.task.fullName}":\n${text}${text.endsWith('\n') ? '' : '\n'}`);
});
