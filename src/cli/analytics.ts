import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { managementReportPdf } from '../analytics/report-service.js';
import { ReportQuery } from '../analytics/schemas.js';
import { toBool } from '../db/values.js';
import { findUserByEmail } from '../firm/users.js';
import { loadConfig } from '../server/config.js';
import { openAndMigrate } from '../server/start.js';
import { CliError, fail } from './io.js';

interface ReportOptions {
  email: string;
  out: string;
  from?: string;
  to?: string;
  practice?: string;
  partner?: string;
  office?: string;
  industry?: string;
  segment?: string;
  feeBand?: string;
  clientId?: string;
  programme?: string;
}

/**
 * `hearken analytics report`: the PDF management report, written to a file, as a named user
 * sees it. It runs as that user (never as the system), so it counts only what they may see,
 * exactly like the download in the web app.
 */
export function registerAnalyticsCommands(program: Command) {
  const analytics = program.command('analytics').description('Firm analytics');
  analytics
    .command('report')
    .description('Write the PDF management report (NPS, sample bias, participation, the loop, retention, early warning) as a user sees it')
    .requiredOption('--email <email>', 'the user the report is for: it counts only what they may see')
    .requiredOption('--out <file>', 'the PDF file to write')
    .option('--from <date>', 'first day of the period (YYYY-MM-DD)')
    .option('--to <date>', 'last day of the period (YYYY-MM-DD)')
    .option('--practice <teamId>', 'a team id')
    .option('--partner <userId>', 'a user id: clients on which they are a relationship partner')
    .option('--office <office>', 'an office')
    .option('--industry <industry>', 'an industry')
    .option('--segment <segment>', 'key_client or other')
    .option('--fee-band <band>', 'a band of annual fees (under_100k, 100k_to_500k, 500k_to_1m, 1m_to_5m, 5m_and_over, unknown)')
    .option('--client-id <clientId>', 'one client')
    .option('--programme <programmeId>', 'the programme of the participation section (default: the latest active one)')
    .action(async (opts: ReportOptions) => {
      try {
        const { email, out, programme, feeBand, clientId, ...filters } = opts;
        const query = ReportQuery.parse({ ...filters, feeBand, clientId, programmeId: programme });
        const database = await openAndMigrate(loadConfig());
        try {
          const user = await findUserByEmail(database.db, email);
          if (!user || !toBool(user.active)) {
            throw new CliError(`--email: no active user has the email ${email}`);
          }
          const ctx = { db: database.db, actor: { id: user.id, role: user.role, name: user.name, email: user.email }, requestId: 'cli' };
          const { pdf } = await managementReportPdf(ctx, query);
          await writeFile(out, pdf);
          process.stdout.write(`Wrote the management report for ${user.name} to ${out} (${pdf.length} bytes)\n`);
        } finally {
          await database.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}
