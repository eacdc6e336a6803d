import type { Command } from 'commander';
import type { DueItem } from '../relationships/check-in-schemas.js';
import { listDue } from '../relationships/check-ins.js';
import { systemContext } from '../server/context.js';
import { CliError, fail } from './io.js';
import { withDatabase } from './users.js';

/** The losing-touch list as a person scans it in a terminal: most overdue first. */
export function formatDue(items: DueItem[]): string {
  if (items.length === 0) {
    return 'Nobody is losing touch: every active client and key contact is within its ideal cadence.\n';
  }
  const lines = [`${items.length} losing touch, most overdue first:`];
  for (const i of items) {
    const who = i.contact ? `${i.client.name} / ${i.contact.name}` : i.client.name;
    const last = i.last ? `last ${i.last.kind.replace('_', '-')} ${i.last.on} (${i.daysSince} days ago${i.last.by ? `, ${i.last.by.name}` : ''})` : 'never';
    lines.push(`  ${i.status.toUpperCase().padEnd(5)}  ${who}${i.isKeyClient ? ' [key client]' : ''}: ${last}; ideal ${i.idealDays}, max ${i.maxDays} days`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerCheckInCommands(program: Command) {
  const checkIns = program.command('check-ins').description('Check-ins and cadence');

  checkIns
    .command('due')
    .description('The losing-touch list firm-wide: active clients and key contacts past their ideal cadence, most overdue first')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { format: string }) => {
      try {
        if (opts.format !== 'text' && opts.format !== 'json') {
          throw new CliError('--format: must be text or json');
        }
        const output = await withDatabase(async (database) => {
          const { items } = await listDue(systemContext(database.db, 'cli'), { all: true });
          return opts.format === 'json' ? `${JSON.stringify({ items }, null, 2)}\n` : formatDue(items);
        });
        process.stdout.write(output);
      } catch (err) {
        fail(err);
      }
    });
}
