import type { ExpressionBuilder } from 'kysely';
import type { ActionStatus, Database } from '../db/schema.js';
import { toBool } from '../db/values.js';
import type { ServiceContext } from '../server/context.js';
import { mayOnClient, requireInsightClientAccess } from './access.js';
import { insightRows, mapInsights, underTheme } from './insights.js';
import type { Knowledge, KnowledgeInsight, KnowledgeQuery } from './schemas.js';

function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * The client knowledge page: every insight the reader may see, grouped by top-level theme
 * (an insight filed under two themes shows in both), newest first, each with the actions born
 * from it; and a timeline of insights per quarter by type.
 */
export async function clientKnowledge(ctx: ServiceContext, clientId: string, query: KnowledgeQuery = {}): Promise<Knowledge> {
  const { client, teamRole } = await requireInsightClientAccess(ctx, clientId, 'read');
  const rows = await insightRows(ctx.db, ctx.actor)
    .where('insights.client_id', '=', clientId)
    .$if(!!query.type, (qb) => qb.where('insights.type', '=', query.type ?? 'praise'))
    .$if(!!query.themeId, (qb) => qb.where((eb) => underTheme(query.themeId ?? '')(eb as unknown as ExpressionBuilder<Database, 'insights'>)))
    .orderBy('insights.heard_on', 'desc')
    .orderBy('insights.id', 'desc')
    .execute();
  const insights = await mapInsights(ctx, rows);
  const ids = insights.map((i) => i.id);
  // What was done about it: any action on an insight the reader sees (an action's title is not confidential).
  const actionRows =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('actions')
          .select(['actions.id', 'actions.title', 'actions.status', 'actions.insight_id'])
          .where('actions.insight_id', 'in', ids)
          .orderBy('actions.created_at')
          .orderBy('actions.id')
          .execute();
  const actionsOf = new Map<string, { id: string; title: string; status: ActionStatus }[]>();
  for (const a of actionRows) {
    const list = actionsOf.get(a.insight_id ?? '') ?? [];
    list.push({ id: a.id, title: a.title, status: a.status });
    actionsOf.set(a.insight_id ?? '', list);
  }
  const topLevel = await ctx.db
    .selectFrom('themes')
    .select(['id', 'name', 'archived', 'position'])
    .where('parent_id', 'is', null)
    .orderBy('position')
    .execute();
  const groups = new Map(
    topLevel.map((t) => [t.id, { theme: { id: t.id, name: t.name, archived: toBool(t.archived) }, count: 0, insights: [] as KnowledgeInsight[] }]),
  );
  const timeline = new Map<string, Record<string, number>>();
  for (const insight of insights) {
    const withActions: KnowledgeInsight = { ...insight, actions: actionsOf.get(insight.id) ?? [] };
    for (const groupId of new Set(insight.themes.map((t) => t.parentId ?? t.id))) {
      const group = groups.get(groupId);
      if (group) {
        group.count += 1;
        group.insights.push(withActions);
      }
    }
    const quarter = quarterOf(insight.heardOn);
    const counts = timeline.get(quarter) ?? {};
    counts[insight.type] = (counts[insight.type] ?? 0) + 1;
    timeline.set(quarter, counts);
  }
  return {
    client,
    total: insights.length,
    groups: [...groups.values()].filter((g) => g.count > 0),
    timeline: [...timeline.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([quarter, counts]) => ({ quarter, counts })),
    abilities: { record: mayOnClient(ctx.actor, 'create', teamRole) },
  };
}
