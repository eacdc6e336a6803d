import type { Command } from 'commander';
import { takeHealthSnapshots } from '../analytics/health-service.js';
import { loadConfig } from '../server/config.js';
import { openAndMigrate } from '../server/start.js';
import { CliError, fail } from './io.js';

export function registerHealthCommands(program: Command) {
  const health = program.command('health').description('Client health');

  health
    .command('snapshot')
    .description("Store today's health score of every active client (once per client and day; the server also does this daily)")
    .option('--date <date>', 'the day to record the snapshot under (YYYY-MM-DD; default: today, UTC)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { date?: string; format: string }) => {
      try {
        if (opts.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`)))) {
          throw new CliError(`--date: must be a date as YYYY-MM-DD (got ${JSON.stringify(opts.date)})`);
        }
        const database = await openAndMigrate(loadConfig());
        let report: Awaited<ReturnType<typeof takeHealthSnapshots>>;
        try {
          report = await takeHealthSnapshots(database.db, opts.date);
        } finally {
          await database.close();
        }
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : `Client health snapshots: ${report.taken} taken, ${report.skipped} already taken that day\n`,
        );
      } catch (err) {
        fail(err);
      }
    });
}
