import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { checkInvoiceFile, type InvoiceCheckOutcome } from '../preferences/checks.js';
import { renderInvoiceCheckText } from '../preferences/guardrails/invoice-report.js';
import { invoiceSizeRefusal } from '../preferences/guardrails/parse-invoice.js';
import { systemContext } from '../server/context.js';
import { CliError, fail } from './io.js';
import { withDatabase } from './users.js';

/**
 * `hearken check-invoice FILE --client ID`: the invoice check from a terminal, as the system user
 * (the CLI is an admin tool). Exit codes: 0 no finding at error severity (warnings may be printed),
 * 2 at least one finding at error severity, 1 bad input (file unreadable, too large, malformed,
 * unknown client) with a line on stderr naming the file and the line.
 */

export const EXIT_CLEAN = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_FINDINGS = 2;

/** Reads the file after checking its size on disk, so a file over the limit is never read whole. */
export async function readInvoiceFile(path: string): Promise<Buffer> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) {
      throw new CliError(`${path}: not a file`);
    }
    size = s.size;
  } catch (err) {
    if (err instanceof CliError) {
      throw err;
    }
    throw new CliError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const refusal = invoiceSizeRefusal(size);
  if (refusal) {
    throw new CliError(`${path}: ${refusal}`);
  }
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The JSON the command prints: the same shape as the API's answer, or the errors. */
export function invoiceOutcomeJson(outcome: InvoiceCheckOutcome) {
  const { parse, check } = outcome;
  if (!parse.ok || !check) {
    return { client: outcome.client, filename: outcome.filename, format: parse.format, errors: parse.ok ? [] : parse.errors, warnings: parse.warnings };
  }
  return {
    client: outcome.client,
    filename: outcome.filename,
    format: parse.format,
    warnings: parse.warnings,
    summary: check.summary,
    findings: check.findings,
  };
}

export function registerCheckInvoiceCommand(program: Command) {
  program
    .command('check-invoice')
    .description("Check an invoice (LEDES 1998B, 98BI V2 or CSV) against a client's billing preferences")
    .argument('<file>', 'the invoice file')
    .requiredOption('--client <id>', 'the client whose billing preferences apply')
    .option('--format <format>', 'text or json', 'text')
    .option('--date-order <order>', 'dmy or mdy: force the order of D/M/Y dates in a CSV file')
    .addHelpText('after', '\nExit codes: 0 no error-level findings, 2 error-level findings, 1 bad input (file, client or options).')
    .action(async (file: string, opts: { client: string; format: string; dateOrder?: string }) => {
      try {
        if (opts.format !== 'text' && opts.format !== 'json') {
          throw new CliError('--format: must be text or json');
        }
        if (opts.dateOrder !== undefined && opts.dateOrder !== 'dmy' && opts.dateOrder !== 'mdy') {
          throw new CliError('--date-order: must be dmy or mdy');
        }
        const bytes = await readInvoiceFile(file);
        const filename = basename(file);
        const outcome = await withDatabase((database) =>
          checkInvoiceFile(systemContext(database.db, 'cli'), {
            clientId: opts.client,
            bytes,
            filename,
            ...(opts.dateOrder ? { dateOrder: opts.dateOrder as 'dmy' | 'mdy' } : {}),
          }),
        );
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(invoiceOutcomeJson(outcome), null, 2)}\n` : renderInvoiceCheckText(outcome.parse, outcome.check, filename),
        );
        if (!outcome.parse.ok) {
          for (const e of outcome.parse.errors.slice(0, 20)) {
            process.stderr.write(`hearken: ${file}:${e.line}${e.field ? `: ${e.field}` : ''}: ${e.message}\n`);
          }
          process.exitCode = EXIT_BAD_INPUT;
          return;
        }
        process.exitCode = outcome.check?.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_CLEAN;
      } catch (err) {
        fail(err);
      }
    });
}
