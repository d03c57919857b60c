import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Exit code for a wrong command line (unknown flag, missing value).
 */
export const EXIT_USAGE = 2;

/**
 * A mistake in the command line: printed with a hint and exit code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * `parseArgs` (strict unless the config says otherwise), with its errors turned into {@link UsageError}s that name the
 * flag, so every subcommand reports a wrong flag the same way.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error));
  }
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
    const code = (error as NodeJS.ErrnoException).code;
    throw toError(`cannot read ${flag} ${file}: ${code === 'ENOENT' ? 'ENOENT (no such file)' : (code ?? String(error))}`);
  }
  try {
    // A UTF-8 byte order mark, as some Windows editors save files, is not part of the JSON.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw toError(`${flag} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
