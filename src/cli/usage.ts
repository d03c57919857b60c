import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeJsonSyntaxError } from './json-error.js';

/**
 * Exit code for a wrong command line (unknown flag, missing value).
 */
export const EXIT_USAGE = 2;

/**
 * A mistake in the command line: printed with a hint and exit code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The help command the hint points at (`priority-routing-crm db --help`); the top-level help when unset. */
  help?: string;
}

/**
 * `parseArgs` (strict unless the config says otherwise), with its errors turned into {@link UsageError}s that name the
 * flag, so every subcommand reports a wrong flag the same way.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? usageMessage(error.message) : String(error));
  }
}

/** The read errors an operator meets, said in words next to their code. */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'ENOENT (no such file)',
  EISDIR: 'EISDIR (a folder, not a file)',
  EACCES: 'EACCES (no permission to read it)',
};

/** A failed read as every file option says it: `ENOENT (no such file)`. */
export function readErrorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return READ_ERRORS[code ?? ''] ?? code ?? String(error);
}

/**
 * Reads and parses the JSON file a flag names, with a message that names the flag and the
 * file. `toError` decides the exit code: a {@link UsageError} for 2, a plain `Error` for 1.
 */
export async function readJsonFile(file: string, flag: string, toError: (message: string) => Error): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw toError(`cannot read ${flag} ${file}: ${readErrorWords(error)}`);
  }
  // A UTF-8 byte order mark, as some Windows editors save files, is not part of the JSON.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    // Never V8's message: it quotes the text, which may hold a secret.
    throw toError(`${flag} ${file} is not valid JSON: ${await describeJsonSyntaxError(json)}`);
  }
}

/**
 * parseArgs's message, shortened to one line. A value that starts with a dash (`--labels-ttl -1`)
 * is "ambiguous" to parseArgs: say how to write it, so the value itself can then be judged.
 */
function usageMessage(message: string): string {
  const ambiguous = /^Option '([^']+)' argument is ambiguous\.[\s\S]*use '(--[^=']+)=-XYZ'/.exec(message);
  if (ambiguous !== null) return `${ambiguous[1]} needs a value; write one that starts with "-" as ${ambiguous[2]}=-…`;
  return message.replace(/\.?\s+To specify.*$/s, '');
}
