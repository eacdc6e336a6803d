import type { Command } from 'commander';
import { z } from 'zod';
import { takeHealthSnapshots } from '../analytics/health-service.js';
import { createClient } from '../clients/clients.js';
import { createContact } from '../clients/contacts.js';
import { createMatter } from '../clients/matters.js';
import { putTeam } from '../clients/team.js';
import type { Db } from '../db/connect.js';
import { CLIENT_STATUSES, type ClientStatus } from '../db/schema.js';
import { generatePassword } from '../firm/passwords.js';
import { UserCreateBody } from '../firm/schemas.js';
import { createTeam } from '../firm/teams.js';
import { createUser } from '../firm/users.js';
import { loadConfig } from '../server/config.js';
import { systemContext } from '../server/context.js';
import { type ActionsDemoResult, loadActionsDemo } from './demo-actions.js';
import { type CheckInsDemoResult, loadCheckInsDemo } from './demo-check-ins.js';
import {
  DEMO_CLIENTS,
  DEMO_FIRM_NAME,
  DEMO_PRACTICE_GROUPS,
  DEMO_USERS,
  type DemoUser,
  demoClientBody,
  demoContactBody,
  demoMatterBody,
  demoTeamBody,
  demoTeamPutBody,
  demoUserBody,
  demoUserEmail,
} from './demo-firm.js';
import { type InsightsDemoResult, loadInsightsDemo } from './demo-insights.js';
import { type ListeningDemoResult, loadListeningDemo } from './demo-listening.js';
import { loadNotificationsDemo, type NotificationsDemoResult } from './demo-notifications.js';
import { loadPreferencesDemo, type PreferencesDemoResult } from './demo-preferences.js';
import { loadProblemsDemo, type ProblemsDemoResult } from './demo-problems.js';
import { loadRecoveryDemo, type RecoveryDemoResult } from './demo-recovery.js';
import { CliError, fail } from './io.js';
import { withDatabase } from './users.js';

export interface DemoLoadResult {
  users: { user: DemoUser; email: string }[];
  practiceGroups: string[];
  clientsByStatus: Record<ClientStatus, number>;
  keyClients: number;
  walledClients: { name: string; members: string[] }[];
  contacts: number;
  matters: number;
  closedMatters: number;
  listening: ListeningDemoResult;
  insights: InsightsDemoResult;
  actions: ActionsDemoResult;
  checkIns: CheckInsDemoResult;
  problems: ProblemsDemoResult;
  recovery: RecoveryDemoResult;
  preferences: PreferencesDemoResult;
  notifications: NotificationsDemoResult;
  /** Set when the password was generated rather than given. */
  generatedPassword?: string;
}

/**
 * Refuses to load the demo firm where it would clash or be mixed up with real data: when it is
 * there already (whatever `force` says, so it is never loaded twice), when the firm has clients
 * of its own (unless `force`), and when one of its practice-group names is taken.
 */
async function assertDemoCanLoad(db: Db, force: boolean): Promise<void> {
  const demoEmails = DEMO_USERS.map(demoUserEmail);
  const existing = await db.selectFrom('users').select('email').where('email', 'in', demoEmails).orderBy('email').executeTakeFirst();
  if (existing) {
    throw new CliError(`the demo firm is already loaded (${existing.email} exists); it is never loaded twice, --force or not`);
  }
  const clients = await db
    .selectFrom('clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(clients.n) > 0 && !force) {
    throw new CliError(
      `the database already holds ${Number(clients.n)} client(s); the demo firm is meant for an empty database. Pass --force to add it alongside them`,
    );
  }
  const names = DEMO_PRACTICE_GROUPS.map((g) => g.name);
  const clash = await db.selectFrom('teams').select('name').where('name', 'in', names).orderBy('name').executeTakeFirst();
  if (clash) {
    throw new CliError(`a team named "${clash.name}" already exists, and the demo firm's practice group of that name would clash with it`);
  }
}

/**
 * Loads the demo firm through the services (so the audit log and every invariant hold), as the
 * `demo` system actor: users, practice groups, clients with their contacts, matters,
 * relationship teams and one ethical wall. Every demo user gets `password`, or one generated
 * password that is returned once. The same data every run; only ids and timestamps differ.
 */
export async function loadDemoFirm(db: Db, opts: { password?: string | undefined; force?: boolean } = {}): Promise<DemoLoadResult> {
  await assertDemoCanLoad(db, opts.force ?? false);
  const ctx = systemContext(db, 'demo');
  const password = opts.password ?? generatePassword();

  const userIds = new Map<string, string>();
  const users = new Map<string, { id: string; role: DemoUser['role']; name: string; email: string }>();
  for (const user of DEMO_USERS) {
    const created = await createUser(ctx, demoUserBody(user, password));
    userIds.set(user.key, created.user.id);
    users.set(user.key, { id: created.user.id, role: user.role, name: user.name, email: created.user.email });
  }
  for (const group of DEMO_PRACTICE_GROUPS) {
    await createTeam(ctx, demoTeamBody(group, userIds));
  }

  const clientIds = new Map<string, string>();
  let contactNumber = 0;
  let matters = 0;
  let closedMatters = 0;
  for (const [clientIndex, client] of DEMO_CLIENTS.entries()) {
    const created = await createClient(ctx, demoClientBody(client, userIds, clientIds));
    clientIds.set(client.key, created.id);
    for (const contact of client.contacts) {
      contactNumber += 1;
      await createContact(ctx, created.id, demoContactBody(contact, client, contactNumber));
    }
    for (const [matterIndex, matter] of client.matters.entries()) {
      await createMatter(ctx, created.id, demoMatterBody(matter, clientIndex, matterIndex));
      matters += 1;
      closedMatters += matter.status === 'closed' ? 1 : 0;
    }
    await putTeam(ctx, created.id, demoTeamPutBody(client, userIds));
  }
  const listening = await loadListeningDemo(db, users, clientIds);
  const insights = await loadInsightsDemo(db, users, clientIds);
  const actions = await loadActionsDemo(db, users, clientIds);
  const problems = await loadProblemsDemo(db, users, clientIds);
  const checkIns = await loadCheckInsDemo(db, users, clientIds);
  const recovery = await loadRecoveryDemo(db, users, clientIds);
  const preferences = await loadPreferencesDemo(db, users, clientIds);
  // Last: it reads the notifications the events above raised, and queues this week's digests.
  const notifications = await loadNotificationsDemo(db);
  await takeHealthSnapshots(db); // client health history starts with today's snapshot

  const nameOf = new Map(DEMO_USERS.map((u) => [u.key, u.name]));
  const clientsByStatus = Object.fromEntries(CLIENT_STATUSES.map((s) => [s, DEMO_CLIENTS.filter((c) => c.status === s).length])) as Record<
    ClientStatus,
    number
  >;
  return {
    users: DEMO_USERS.map((user) => ({ user, email: demoUserEmail(user) })),
    practiceGroups: DEMO_PRACTICE_GROUPS.map((g) => g.name),
    clientsByStatus,
    keyClients: DEMO_CLIENTS.filter((c) => c.keyClient).length,
    walledClients: DEMO_CLIENTS.filter((c) => c.wallMembers).map((c) => ({ name: c.name, members: (c.wallMembers ?? []).map((k) => nameOf.get(k) ?? k) })),
    contacts: contactNumber,
    matters,
    closedMatters,
    listening,
    insights,
    actions,
    checkIns,
    problems,
    recovery,
    preferences,
    notifications,
    ...(opts.password === undefined ? { generatedPassword: password } : {}),
  };
}

/** What `hearken demo` prints: what was created, and how to sign in. */
export function describeDemoLoad(result: DemoLoadResult, baseUrl: string): string {
  const clients = Object.values(result.clientsByStatus).reduce((a, b) => a + b, 0);
  const statuses = CLIENT_STATUSES.map((s) => `${result.clientsByStatus[s]} ${s}`).join(', ');
  const walls = result.walledClients.map((w) => `${w.name}, visible only to ${w.members.join(' and ')}`).join('; ');
  const emailWidth = Math.max(...result.users.map((u) => u.email.length));
  const roleWidth = Math.max(...result.users.map((u) => u.user.role.length));
  const lines = [
    `Loaded the demo firm ${DEMO_FIRM_NAME}:`,
    `  ${result.users.length} users in ${result.practiceGroups.length} practice groups (${result.practiceGroups.join(', ')})`,
    `  ${clients} clients (${statuses}); ${result.keyClients} key clients`,
    `  ${result.walledClients.length} behind an ethical wall: ${walls}`,
    `  ${result.contacts} contacts, ${result.matters} matters (${result.closedMatters} closed), a relationship team for every client`,
    `  the ${result.listening.programme}: ${result.listening.nominations} nominations in every state, ${result.listening.sessions} listening sessions (${result.listening.completedSessions} held, with ${result.listening.remarks} remarks and summaries drafted, reviewed and shared)`,
    `  ${result.insights.insights} insights across the theme taxonomy (${result.insights.promoted} promoted from session remarks), ${result.actions.actions} follow-up actions in every state (${result.actions.escalated} escalated)`,
    `  ${result.checkIns.checkIns} check-ins, ${result.problems.problems} problems and ${result.problems.referrals} referrals; ${result.recovery.recoveryChecks} recovery checks on closed concerns (${result.recovery.answered} answered)`,
    `  ${result.preferences.preferences} client preferences (${result.preferences.stale} due to be asked again), ${result.notifications.notifications} notifications and ${result.notifications.digestsQueued} weekly digests queued (sent once SMTP is configured)`,
    '',
    `Sign in at ${baseUrl} as any of these users:`,
    ...result.users.map(({ user, email }) => `  ${user.role.padEnd(roleWidth)}  ${email.padEnd(emailWidth)}  ${user.name}, ${user.title}`),
    '',
    result.generatedPassword
      ? `Password for every demo user (shown once): ${result.generatedPassword}`
      : 'Password for every demo user: the one given with --password',
  ];
  return `${lines.join('\n')}\n`;
}

/** The demo password follows the same rule as any user's password. */
const DemoOptions = z.object({ password: UserCreateBody.shape.password, force: z.boolean().default(false) });

export function registerDemoCommand(program: Command) {
  program
    .command('demo')
    .description(
      `Load the demo firm (${DEMO_FIRM_NAME}: users, practice groups, 30 clients, contacts, matters, a listening programme with sessions, insights, actions, check-ins, problems, referrals and client preferences) into an empty database`,
    )
    .option('--password <password>', 'password for every demo user (default: one generated and printed once)')
    .option('--force', 'load it even though the database already holds clients (never a second time)')
    .action(async (opts: { password?: string; force?: boolean }) => {
      try {
        const options = DemoOptions.parse(opts);
        const config = loadConfig();
        const result = await withDatabase((database) => loadDemoFirm(database.db, options));
        process.stdout.write(describeDemoLoad(result, config.baseUrl));
      } catch (err) {
        fail(err);
      }
    });
}
