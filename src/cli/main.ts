#!/usr/bin/env node
import { stderr, stdout } from 'node:process';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT_USAGE, UsageError } from './usage.js';

/**
 * A subcommand: parses its own arguments and resolves to the process exit code.
 */
export interface Command {
  /** One line for the top-level help. */
  summary: string;
  /** Runs the command with the arguments after its name. */
  main(args: string[]): Promise<number>;
}

// Loaded on demand so that `check` never pays for the server code and vice versa.
const commands: Record<string, () => Promise<Command>> = {
  serve: () => import('./serve.js').then((m) => m.serveCommand),
  check: () => import('./check.js').then((m) => m.checkCommand),
  db: () => import('./db.js').then((m) => m.dbCommand),
  crm: () => import('./crm.js').then((m) => m.crmCommand),
};

const HELP = `priority-routing-crm ${packageJson.version}

The Hybrid Chat priority-routing CRM contract: serve a connector over your CRM's data, or check one.

Usage:
  priority-routing-crm serve [options]   serve the connector over --database <url> --mapping <file>
                                         or --data <file.json> (the sample data without them)
  priority-routing-crm check [options]   check a live connector against the contract
  priority-routing-crm db <indexes|check> --database <url> --mapping <file>
                                         phone indexes for, or a mapping check of, a SQL database
  priority-routing-crm crm check --crm <zoho|hubspot|dataverse|salesforce|pipedrive|file> [--phone <number>]
                                         check a CRM source: token, labels, a lookup

Run "priority-routing-crm <command> --help" for a command's options.
Options:
  -h, --help      show this help
  -v, --version   print the version
`;

/** How long a failed command's process may go on closing what it opened before it ends anyway. */
const FAILED_EXIT_GRACE_MS = 1000;

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    stdout.write(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '-v' || name === '--version') {
    stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (load === undefined) throw new UsageError(`unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')}`);
  try {
    return await (await load()).main(rest);
  } catch (error) {
    // A wrong option of a subcommand: its own help lists the options, not the top-level one.
    if (error instanceof UsageError && error.help === undefined) error.help = `priority-routing-crm ${name} --help`;
    throw error;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A reader that closed stderr (EPIPE) loses the message; it must not also turn the exit code into a crash's 1.
    stderr.on('error', () => {});
    // The verdict is written; a socket a failed command could not close (pg keeps one open
    // after a SCRAM error when no password was given) must not keep the process waiting.
    setTimeout(() => process.exit(), FAILED_EXIT_GRACE_MS).unref();
    if (error instanceof UsageError) {
      stderr.write(`priority-routing-crm: ${error.message}\nRun "${error.help ?? 'priority-routing-crm --help'}" for usage.\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    stderr.write(`priority-routing-crm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
