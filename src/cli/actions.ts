import type { Command } from 'commander';
import { listActions } from '../actions/actions.js';
import type { ActionView } from '../actions/schemas.js';
import { type EscalationReport, escalateStaleActions } from '../actions/sweep.js';
import type { Db } from '../db/connect.js';
import { systemContext } from '../server/context.js';
import { CliError, fail } from './io.js';
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

/** Open and in-progress actions firm-wide (as the system), earliest due first; every page. */
export async function openActions(db: Db, opts: { overdue?: boolean; ownerEmail?: string }, now = new Date()): Promise<ActionView[]> {
  let ownerId: string | undefined;
  if (opts.ownerEmail) {
    const owner = await db.selectFrom('users').select('id').where('email', '=', opts.ownerEmail.trim().toLowerCase()).executeTakeFirst();
    if (!owner) {
      throw new CliError(`--owner: no user with the email ${opts.ownerEmail}`);
    }
    ownerId = owner.id;
  }
  const ctx = systemContext(db, 'cli');
  const items: ActionView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listActions(ctx, { status: 'open,in_progress', overdue: opts.overdue === true, ownerId, sort: 'dueOn', limit: 200, cursor }, now);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** One line per action, as a person scans them in a terminal. */
export function formatActions(items: ActionView[], overdue: boolean): string {
  if (items.length === 0) {
    return overdue ? 'No overdue actions.\n' : 'No open actions.\n';
  }
  const lines = [`${items.length} ${overdue ? 'overdue' : 'open'} action(s), earliest due first:`];
  for (const a of items) {
    const due = a.dueOn ?? 'no date   ';
    lines.push(`  ${due}  ${a.overdue ? 'OVERDUE ' : ''}${a.status.padEnd(11)}  ${a.client.name}: ${a.title} (${a.owner.name}; ${a.id})`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerActionCommands(program: Command) {
  const actions = program.command('actions').description('Follow-up actions');

  actions
    .command('list')
    .description('List open and in-progress actions firm-wide, earliest due first')
    .option('--overdue', 'only actions due before today (UTC)')
    .option('--owner <email>', 'only actions owned by this user')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { overdue?: boolean; owner?: string; format: string }) => {
      try {
        if (opts.format !== 'text' && opts.format !== 'json') {
          throw new CliError('--format: must be text or json');
        }
        const output = await withDatabase(async (database) => {
          const items = await openActions(database.db, { overdue: opts.overdue === true, ...(opts.owner !== undefined && { ownerEmail: opts.owner }) });
          return opts.format === 'json' ? `${JSON.stringify({ items }, null, 2)}\n` : formatActions(items, opts.overdue === true);
        });
        process.stdout.write(output);
      } catch (err) {
        fail(err);
      }
    });

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
