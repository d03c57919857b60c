import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit code for a wrong command line (unknown flag, missing value). */
export const EXIT_USAGE = 2;

/** A mistake in the command line: printed with a hint and exit code 2. */
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
