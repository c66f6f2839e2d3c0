#!/usr/bin/env node
import { CommanderError } from 'commander';
import { program } from './program';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors';

// `funes ls | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  try {
    let code = EXIT_OK;
    // Async: the Redis commands wait for the network.
    await program((c) => (code = c)).parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`funes: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`funes: ${message}; check the path and permissions, then run the command again\n`);
    return EXIT_FAILURE;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
