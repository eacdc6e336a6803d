import type { Command } from 'commander';
import { pino } from 'pino';
import type { DbHandle } from '../db/connect.js';
import {
  type ComposeReport,
  composeDigests,
  createMailTransport,
  type DeliverReport,
  deliverPending,
  type MailLog,
  SENDING_FREQUENCIES,
} from '../notifications/digest.js';
import type { SendingFrequency } from '../notifications/digest-period.js';
import { type Config, loadConfig } from '../server/config.js';
import { openAndMigrate } from '../server/start.js';
import { CliError, fail } from './io.js';

export interface DigestSendOptions {
  frequency?: SendingFrequency;
  dryRun?: boolean;
  now?: Date;
  log: MailLog;
}

/**
 * `hearken digest send`: queues this period's digests (whatever the hour: an operator asked)
 * and delivers every pending outbox message. Refuses when SMTP is not configured, except for a
 * dry run, which writes and sends nothing.
 */
export async function runDigestSend(
  database: DbHandle,
  config: Pick<Config, 'smtp' | 'baseUrl'>,
  opts: DigestSendOptions,
  transportOverrides: Parameters<typeof createMailTransport>[1] = {},
): Promise<{ composed: ComposeReport; delivered: DeliverReport | null }> {
  if (!config.smtp && !opts.dryRun) {
    throw new CliError('SMTP is not configured (set HEARKEN_SMTP_URL and HEARKEN_MAIL_FROM): no digest was sent');
  }
  const now = opts.now ?? new Date();
  const composed = await composeDigests(database.db, {
    now,
    baseUrl: config.baseUrl,
    frequencies: opts.frequency ? [opts.frequency] : SENDING_FREQUENCIES,
    dryRun: opts.dryRun === true,
  });
  if (opts.dryRun || !config.smtp) {
    return { composed, delivered: null };
  }
  const transport = createMailTransport(config.smtp, transportOverrides);
  try {
    const delivered = await deliverPending(database.db, transport, { now, from: config.smtp.from, log: opts.log });
    return { composed, delivered };
  } finally {
    transport.close();
  }
}

/** What was done, as a person reads it in a terminal. */
export function formatDigestSend(result: { composed: ComposeReport; delivered: DeliverReport | null }, dryRun: boolean): string {
  const { composed, delivered } = result;
  const lines = [dryRun ? 'Digest dry run: nothing written, nothing sent' : 'Digests'];
  lines.push(`  ${dryRun ? 'Would queue' : 'Queued'}: ${composed.queued.length}`);
  for (const q of composed.queued) {
    lines.push(`  - ${q.email} (${q.frequency} ${q.periodKey}): ${q.subject}`);
  }
  lines.push(`  Already queued this period: ${composed.alreadyQueued}`);
  lines.push(`  Nothing to say: ${composed.nothingToSay}`);
  if (composed.skipped.length > 0) {
    lines.push(`  Skipped: ${composed.skipped.length}`);
    for (const s of composed.skipped) {
      lines.push(`  - ${s.name} (${s.userId}): ${s.reason}`);
    }
  }
  if (delivered) {
    lines.push(`  Sent: ${delivered.sent}; will retry: ${delivered.retrying}; failed for good: ${delivered.failed}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerDigestCommands(program: Command) {
  const digest = program.command('digest').description('Digest emails');

  digest
    .command('send')
    .description("Queue this period's digest for every user who chose one (once per period) and send what is pending through SMTP")
    .option('--frequency <frequency>', 'daily or weekly (default: both)')
    .option('--dry-run', 'show who would get what; write and send nothing')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { frequency?: string; dryRun?: boolean; format: string }) => {
      try {
        if (opts.frequency !== undefined && !(SENDING_FREQUENCIES as string[]).includes(opts.frequency)) {
          throw new CliError(`--frequency: must be daily or weekly (got ${JSON.stringify(opts.frequency)})`);
        }
        const config = loadConfig();
        if (!config.smtp && !opts.dryRun) {
          throw new CliError('SMTP is not configured (set HEARKEN_SMTP_URL and HEARKEN_MAIL_FROM): no digest was sent');
        }
        const log = pino({ level: config.logLevel }, pino.destination(2));
        const database = await openAndMigrate(config);
        let result: Awaited<ReturnType<typeof runDigestSend>>;
        try {
          result = await runDigestSend(database, config, { frequency: opts.frequency as SendingFrequency | undefined, dryRun: opts.dryRun === true, log });
        } finally {
          await database.close();
        }
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatDigestSend(result, opts.dryRun === true));
        if (result.delivered && result.delivered.retrying + result.delivered.failed > 0) {
          process.exitCode = 1;
        }
      } catch (err) {
        fail(err);
      }
    });
}
