import type { MantineColor } from '@mantine/core';
import type { Schemas } from '../../api/client';

export type Insight = Schemas['Insight'];
export type InsightType = Insight['type'];
export type Severity = Insight['severity'];
export type InsightSource = Insight['source'];
export type ThemeNode = Schemas['ThemeTreeNode'];

export const INSIGHT_TYPE_LABELS: Record<InsightType, string> = {
  praise: 'Praise',
  concern: 'Concern',
  risk: 'Risk',
  opportunity: 'Opportunity',
  preference: 'Preference',
  idea: 'Idea',
};

export const INSIGHT_TYPE_COLORS: Record<InsightType, MantineColor> = {
  praise: 'teal',
  concern: 'orange',
  risk: 'red',
  opportunity: 'blue',
  preference: 'grape',
  idea: 'yellow',
};

export const INSIGHT_TYPES = Object.keys(INSIGHT_TYPE_LABELS) as InsightType[];

export const SEVERITY_LABELS: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High' };
export const SEVERITY_COLORS: Record<Severity, MantineColor> = { low: 'gray', medium: 'yellow', high: 'red' };
export const SEVERITIES = Object.keys(SEVERITY_LABELS) as Severity[];

export const SOURCE_LABELS: Record<InsightSource, string> = {
  session: 'Listening session',
  check_in: 'Check-in',
  problem: 'Problem',
  call: 'Call',
  meeting: 'Meeting',
  email: 'Email',
  other: 'Other',
};
export const SOURCES = Object.keys(SOURCE_LABELS) as InsightSource[];

export const ACTION_STATUS_LABELS: Record<string, string> = { open: 'Open', in_progress: 'In progress', done: 'Done', wont_do: 'Won’t do' };
export const ACTION_STATUS_COLORS: Record<string, MantineColor> = { open: 'blue', in_progress: 'yellow', done: 'teal', wont_do: 'gray' };

export const typeOptions = INSIGHT_TYPES.map((t) => ({ value: t, label: INSIGHT_TYPE_LABELS[t] }));
export const severityOptions = SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }));
export const sourceOptions = SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }));

/** Themes for a Select / MultiSelect: one group per top-level theme, the theme itself first, then its sub-themes. */
export function themeGroups(tree: ThemeNode[]) {
  return tree.map((t) => ({
    group: t.name,
    items: [{ value: t.id, label: t.name }, ...t.children.map((c) => ({ value: c.id, label: `${t.name} › ${c.name}` }))],
  }));
}
