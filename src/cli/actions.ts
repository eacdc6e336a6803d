import type { Command } from 'commander';
import { type EscalationReport, escalateStaleActions } from '../actions/sweep.js';
import { fail } from './io.js';
import { withDatabase } from './users.js';

/** What the sweep did, as a person reads it in a terminal. */
export function formatSweep(report: EscalationReport, leadName: string | null): string {
  const lines = [`Escalation sweep (actions untouched for more than ${report.afterDays} days)`];
  if (report.skipped) {
    lines.push(`  Nothing escalated: ${report.skipped}.`);
  } else if (report.escalated.length === 0) {
    lines.push('  Nothing to escalate.');
  } else {
    lines.push(`  Escalated ${report.escalated.length} action(s) to ${leadName ?? report.escalatedTo}:`);
    for (const a of report.escalated) {
      lines.push(`  - ${a.title} (${a.id}; last activity ${a.lastActivityAt.slice(0, 10)})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function registerActionCommands(program: Command) {
  const actions = program.command('actions').description('Follow-up actions');

  actions
    .command('sweep')
    .description('Escalate open actions untouched past loop.escalate_after_days to the programme lead, once, and print what was done')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { format: string }) => {
      try {
        const output = await withDatabase(async (database) => {
          const report = await escalateStaleActions(database.db, new Date());
          if (opts.format === 'json') {
            return `${JSON.stringify(report, null, 2)}\n`;
          }
          const lead = report.escalatedTo
            ? await database.db.selectFrom('users').select('name').where('id', '=', report.escalatedTo).executeTakeFirst()
            : undefined;
          return formatSweep(report, lead?.name ?? null);
        });
        process.stdout.write(output);
      } catch (err) {
        fail(err);
      }
    });
}
