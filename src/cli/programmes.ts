import type { Command } from 'commander';
import { z } from 'zod';
import { getParticipation } from '../listening/nominations.js';
import type { Participation, ProgrammeDetail } from '../listening/programme-schemas.js';
import { getProgramme } from '../listening/programmes.js';
import { systemContext } from '../server/context.js';
import { fail } from './io.js';
import { withDatabase } from './users.js';

export interface ProgrammeReport {
  programme: Omit<ProgrammeDetail, 'abilities' | 'myCommitment'>;
  participation: Participation;
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const metLabel = (met: boolean | null) => (met === null ? 'no target' : met ? 'met' : 'not met');

/** Left-aligned columns, as wide as their widest cell, two spaces apart. */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** The report as a person reads it in a terminal: the targets, then one line per partner. */
export function formatReport({ programme: p, participation }: ProgrammeReport): string {
  const { sessions, keyClients, atRisk } = p.progress;
  const lines = [
    `${p.name} (${p.status})`,
    `${p.startsOn} to ${p.endsOn} · owner: ${p.owner.name}`,
    '',
    'Progress',
    table([
      ['  Sessions', `${sessions.count}${sessions.target === null ? '' : ` of ${sessions.target}`} (${sessions.held} held)`, metLabel(sessions.met)],
      [
        '  Key clients covered',
        `${keyClients.covered} of ${keyClients.total} (${percent(keyClients.share)}${keyClients.target === null ? '' : `, target ${percent(keyClients.target)}`})`,
        metLabel(keyClients.met),
      ],
      [
        '  At-risk sessions',
        `${atRisk.count} of ${atRisk.sessions} (${percent(atRisk.share)}${atRisk.target === null ? '' : `, minimum ${percent(atRisk.target)}`})`,
        metLabel(atRisk.met),
      ],
    ]),
    '  (At risk: a lapsed, lost or pitch-lost client, or one whose latest NPS is 0–6.)',
    '',
    'Participation',
  ];
  if (participation.items.length === 0) {
    lines.push('  No partners yet.');
  } else {
    lines.push(
      table([
        ['  Partner', 'Programme', 'Proposed', 'Accepted', 'Not now', 'Declined', 'Volunteered', 'Not answered', 'Unhappy/lost put forward', 'Flag'],
        ...participation.items.map((r) => [
          `  ${r.partner.name}`,
          r.commitment ?? '—',
          String(r.proposed),
          String(r.accepted),
          String(r.deferred),
          String(r.declined),
          String(r.volunteered),
          String(r.notAnswered),
          r.putForwardUnhappyOrLost ? `yes (${r.atRiskPutForward})` : 'no',
          r.saidYesPutNothingForward ? 'SAID YES, PUT NOTHING FORWARD' : '',
        ]),
      ]),
    );
    lines.push('', `${participation.flagged} ${participation.flagged === 1 ? 'partner' : 'partners'} said yes to the programme but put no client forward.`);
  }
  return `${lines
    .join('\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')}\n`;
}

export function registerProgrammeCommands(program: Command) {
  const programme = program.command('programme').description('Listening programmes');

  programme
    .command('report')
    .description('Print a programme’s progress against its targets and each partner’s participation')
    .argument('<id>', 'the programme’s id')
    .option('--format <format>', 'text or json', 'text')
    .action(async (id: string, opts: { format: string }) => {
      try {
        const { format } = z.object({ format: z.enum(['text', 'json']) }).parse({ format: opts.format });
        const report = await withDatabase(async (database) => {
          const ctx = systemContext(database.db, 'cli');
          const { abilities: _a, myCommitment: _m, ...detail } = await getProgramme(ctx, id);
          return { programme: detail, participation: await getParticipation(ctx, id) } satisfies ProgrammeReport;
        });
        process.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      } catch (err) {
        fail(err);
      }
    });
}
