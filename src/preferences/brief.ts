import type { ExpressionBuilder } from 'kysely';
import { listActions } from '../actions/actions.js';
import { addDays, todayUtc } from '../actions/loop.js';
import type { Database } from '../db/schema.js';
import { toBool } from '../db/values.js';
import { AppError } from '../http/errors.js';
import { contactShown, visibleInsights } from '../insights/access.js';
import { clientLastInteraction } from '../relationships/check-ins.js';
import type { ServiceContext } from '../server/context.js';
import { CATEGORY_LABELS, ruleGuidance } from './guidance.js';
import { readStaleAfterDays, requirePreferenceClient, staleBefore, visiblePreferences } from './preferences.js';
import { reportsDueForClient } from './reports-due.js';
import { PREFERENCE_CATEGORIES, type PreferenceCategory, PreferenceRule } from './rules.js';
import type { ClientBrief } from './schemas.js';

/** How far back the brief looks for feedback, and how far ahead for reports. */
const FEEDBACK_DAYS = 365;
const FEEDBACK_ITEMS = 5;
const ACTION_ITEMS = 8;
const REPORT_DAYS = 60;

function parseRule(json: string | null): PreferenceRule | null {
  if (!json) {
    return null;
  }
  try {
    const parsed = PreferenceRule.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The one-page client brief: current contacts with the names they go by, do and don't by
 * category, recent feedback, open actions, reports coming due and the last interaction.
 * The brief is made to be printed and carried, so programme-only feedback is never in it
 * (whoever reads it) and the speaker of non-attributable feedback is never named.
 */
export async function clientBrief(ctx: ServiceContext, clientId: string, now = new Date()): Promise<ClientBrief> {
  const { client } = await requirePreferenceClient(ctx, clientId, 'read');
  const today = todayUtc(now);
  const cutoff = staleBefore(today, await readStaleAfterDays(ctx.db));

  const contacts = await ctx.db
    .selectFrom('contacts')
    .select(['id', 'name', 'preferred_name', 'role', 'job_title', 'is_decision_maker'])
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>', today)]))
    .orderBy('name')
    .execute();
  const contactNames = new Map(contacts.map((c) => [c.id, c.preferred_name ?? c.name]));

  const prefs = await ctx.db
    .selectFrom('preferences')
    .leftJoin('contacts', 'contacts.id', 'preferences.contact_id')
    .select([
      'preferences.id',
      'preferences.category',
      'preferences.statement',
      'preferences.rule',
      'preferences.contact_id',
      'preferences.last_confirmed_on',
      'contacts.name as contact_name',
      'contacts.left_on as contact_left_on',
    ])
    .where('preferences.client_id', '=', clientId)
    .where('preferences.archived', '=', false)
    .where(visiblePreferences(ctx.actor))
    .orderBy('preferences.id')
    .execute();
  const guidance: ClientBrief['guidance'] = [];
  for (const category of PREFERENCE_CATEGORIES) {
    const items = prefs
      .filter((p) => p.category === category && !(p.contact_left_on && p.contact_left_on <= today))
      .map((p) => {
        const rule = parseRule(p.rule);
        const lines = rule ? ruleGuidance(rule, p.contact_name, contactNames) : { do: [], dont: [] };
        return {
          preferenceId: p.id,
          category: category as PreferenceCategory,
          contact: p.contact_id && p.contact_name ? { id: p.contact_id, name: p.contact_name } : null,
          statement: p.statement,
          do: lines.do,
          dont: lines.dont,
          stale: p.last_confirmed_on < cutoff,
        };
      });
    if (items.length > 0) {
      guidance.push({ category, label: CATEGORY_LABELS[category], items });
    }
  }

  const feedbackRows = await ctx.db
    .selectFrom('insights')
    .leftJoin('contacts', (join) =>
      join.onRef('contacts.id', '=', 'insights.contact_id').on((eb) => contactShown(ctx.actor)(eb as unknown as ExpressionBuilder<Database, 'insights'>)),
    )
    .select(['insights.id', 'insights.type', 'insights.summary', 'insights.heard_on', 'insights.confidentiality', 'contacts.name as contact_name'])
    .where('insights.client_id', '=', clientId)
    .where(visibleInsights(ctx.actor))
    // Printed and carried: programme-only feedback never goes in, whoever reads it.
    .where('insights.confidentiality', '!=', 'programme_only')
    .where('insights.heard_on', '>=', addDays(today, -FEEDBACK_DAYS))
    .orderBy('insights.heard_on', 'desc')
    .orderBy('insights.id', 'desc')
    .limit(FEEDBACK_ITEMS)
    .execute();

  const actions = await listActions(ctx, { clientId, status: 'open,in_progress', sort: 'dueOn', limit: ACTION_ITEMS }, now);

  let lastCheckIn: ClientBrief['lastCheckIn'] = null;
  try {
    const last = await clientLastInteraction(ctx, clientId, today);
    lastCheckIn = last.last ? { on: last.last.on, kind: last.last.kind, by: last.last.by?.name ?? null, daysSince: last.daysSince } : null;
  } catch (err) {
    // Someone who may read preferences but not check-ins still gets the rest of the brief.
    if (!(err instanceof AppError)) {
      throw err;
    }
  }

  return {
    client,
    generatedAt: now.toISOString(),
    contacts: contacts
      .map((c) => ({
        id: c.id,
        name: c.name,
        preferredName: c.preferred_name,
        role: c.role,
        // Said once when the job title and the role are the same words.
        jobTitle: c.job_title !== null && c.job_title.trim().toLowerCase() === (c.role ?? '').trim().toLowerCase() ? null : c.job_title,
        isDecisionMaker: toBool(c.is_decision_maker),
      }))
      .sort((a, b) => Number(b.isDecisionMaker) - Number(a.isDecisionMaker) || a.name.localeCompare(b.name)),
    guidance,
    feedback: feedbackRows.map((f) => ({
      id: f.id,
      type: f.type,
      summary: f.summary,
      heardOn: f.heard_on,
      speaker: f.confidentiality === 'attributable' ? (f.contact_name ?? null) : null,
    })),
    openActions: actions.items.map((a) => ({ id: a.id, title: a.title, owner: a.owner.name, dueOn: a.dueOn, overdue: a.overdue })),
    reportsDue: await reportsDueForClient(ctx, clientId, today, addDays(today, REPORT_DAYS)),
    lastCheckIn,
  };
}
