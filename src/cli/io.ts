/** Small helpers shared by the CLI commands: errors to stderr with a non-zero exit, stdin reading. */
import { ZodError } from 'zod';
import { AppError } from '../http/errors.js';
import { ConfigError } from '../server/config.js';

export class CliError extends Error {}

/** Prints an error the way a person at a terminal wants to read it, and exits 1. */
export function fail(err: unknown): never {
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    process.stderr.write(`hearken: --${String(issue?.path[0] ?? 'input')}: ${issue?.message ?? 'is invalid'}\n`);
  } else if (err instanceof AppError || err instanceof CliError || err instanceof ConfigError) {
    process.stderr.write(`hearken: ${err.message}\n`);
  } else {
    process.stderr.write(`hearken: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
}

/** Reads all of standard input (for --password-stdin); the trailing newline is not part of it. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
