import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar, useQueryState } from './filters';
import { DrillDrawer, DrillNumber, type DrillSpec, days, FigureTable, Loaded, PrintButton, pct, ReportPdfButton, Stat } from './ui';

type Loop = Schemas['LoopAnalytics'];
type Group_ = Loop['groups'][number];
type ProblemGroup = Loop['problems']['groups'][number];

/** /analytics/loop: how much feedback turned into action, and how fast. */
export function LoopPage() {
  const { params, filters, set } = useQueryState();
  const groupBy = params.get('groupBy') === 'team' ? 'team' : 'owner';
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const query = { ...filters, groupBy: groupBy as 'owner' | 'team' };
  const loop = useQuery({ queryKey: ['analytics', 'loop', query], queryFn: () => unwrap(api.GET('/api/v1/analytics/loop', { params: { query } })) });
  const data = loop.data;
  const noKey = groupBy === 'team' ? 'No team' : 'Unassigned';
  const nameOf = (r: { key: { name: string } | null }) => r.key?.name ?? noKey;
  /** The drill-down's group: the row's owner or team id, or "none" for the row without one. */
  const groupOf = (r: { key: { id: string } | null }) => r.key?.id ?? 'none';

  return (
    <>
      <PageHeader
        title="Closing the loop"
        description="Actions taken on what clients said: closure, time to close, overdue, and feedback left unactioned."
        actions={
          <>
            <ReportPdfButton filters={filters} />
            <PrintButton />
          </>
        }
      />
      <FilterBar />
      <Loaded
        query={loop}
        empty={!!data && data.totals.actions === 0 && data.totals.unactioned === 0 && data.problems.totals.reported === 0}
        emptyTitle="No actions yet"
        emptyText="No action, unactioned feedback or problem you may see falls in this period."
      >
        {data && (
          <Stack gap="md">
            <Group align="stretch" wrap="wrap">
              <Stat
                label="Closure rate"
                value={pct(data.totals.closureRate)}
                hint={`${data.totals.done} done, ${data.totals.wontDo} won’t do, ${data.totals.open} open`}
              />
              <Stat
                label="Median time to close"
                value={days(data.totals.timeToClose.all.median)}
                hint={`90th percentile ${days(data.totals.timeToClose.all.p90)}`}
              />
              <Stat
                label="Overdue"
                value={
                  <DrillNumber
                    value={data.totals.overdue}
                    label="overdue actions"
                    onOpen={() => setDrill({ title: 'Overdue actions', kind: 'records', source: 'loop', metric: 'overdue', query })}
                  />
                }
              />
              <Stat
                label="Unactioned feedback"
                value={
                  <DrillNumber
                    value={data.totals.unactioned}
                    label="concerns and risks left unactioned"
                    onOpen={() => setDrill({ title: 'Feedback left unactioned', kind: 'records', source: 'loop', metric: 'unactioned', query })}
                  />
                }
                hint={`Older than ${data.unactionedAfterDays} days with no action`}
              />
            </Group>
            <Text size="sm" c="dimmed">
              {data.rules}
            </Text>
            <Group className="hearken-no-print">
              <div>
                <Text size="sm" fw={500} id="loop-group-by">
                  Group by
                </Text>
                <SegmentedControl
                  aria-labelledby="loop-group-by"
                  value={groupBy}
                  onChange={(v) => set({ groupBy: v === 'owner' ? null : v })}
                  data={[
                    { value: 'owner', label: 'Owner' },
                    { value: 'team', label: 'Team' },
                  ]}
                />
              </div>
            </Group>
            <FigureTable<Group_>
              title={`Actions by ${groupBy}`}
              fileName={`loop-by-${groupBy}`}
              rows={data.groups}
              rowKey={(r) => r.key?.id ?? 'none'}
              columns={[
                { label: groupBy === 'team' ? 'Team' : 'Owner', csv: nameOf },
                {
                  label: 'Actions',
                  numeric: true,
                  csv: (r) => r.figures.actions,
                  render: (r) => (
                    <DrillNumber
                      value={r.figures.actions}
                      label={`actions, ${nameOf(r)}`}
                      onOpen={() => setDrill({ title: `Actions: ${nameOf(r)}`, kind: 'records', source: 'loop', metric: 'actions', group: groupOf(r), query })}
                    />
                  ),
                },
                ...(
                  [
                    ['Done', 'done'],
                    ['Won’t do', 'wontDo'],
                    ['Open', 'open'],
                  ] as const
                ).map(([label, metric]) => ({
                  label,
                  numeric: true,
                  csv: (r: Group_) => r.figures[metric],
                  render: (r: Group_) => (
                    <DrillNumber
                      value={r.figures[metric]}
                      label={`actions ${label.toLowerCase()}, ${nameOf(r)}`}
                      onOpen={() => setDrill({ title: `${label}: ${nameOf(r)}`, kind: 'records', source: 'loop', metric, group: groupOf(r), query })}
                    />
                  ),
                })),
                { label: 'Closure rate', numeric: true, csv: (r) => pct(r.figures.closureRate), share: (r) => r.figures.closureRate },
                {
                  label: 'Median days to close',
                  numeric: true,
                  csv: (r) => r.figures.timeToClose.all.median,
                  render: (r) => days(r.figures.timeToClose.all.median),
                },
                { label: '90th percentile days', numeric: true, csv: (r) => r.figures.timeToClose.all.p90, render: (r) => days(r.figures.timeToClose.all.p90) },
                {
                  label: 'Overdue',
                  numeric: true,
                  csv: (r) => r.figures.overdue,
                  render: (r) => (
                    <DrillNumber
                      value={r.figures.overdue}
                      label={`overdue actions, ${nameOf(r)}`}
                      onOpen={() => setDrill({ title: `Overdue: ${nameOf(r)}`, kind: 'records', source: 'loop', metric: 'overdue', group: groupOf(r), query })}
                    />
                  ),
                },
                {
                  label: 'Unactioned',
                  numeric: true,
                  csv: (r) => r.figures.unactioned,
                  render: (r) => (
                    <DrillNumber
                      value={r.figures.unactioned}
                      label={`unactioned feedback, ${nameOf(r)}`}
                      onOpen={() =>
                        setDrill({ title: `Unactioned: ${nameOf(r)}`, kind: 'records', source: 'loop', metric: 'unactioned', group: groupOf(r), query })
                      }
                    />
                  ),
                },
              ]}
            />
            <FigureTable<ProblemGroup>
              title="Problems: time to resolution"
              fileName={`problems-by-${groupBy}`}
              rows={data.problems.groups}
              rowKey={(r) => r.key?.id ?? 'none'}
              columns={[
                { label: groupBy === 'team' ? 'Team' : 'Owner', csv: nameOf },
                {
                  label: 'Reported',
                  numeric: true,
                  csv: (r) => r.figures.reported,
                  render: (r) => (
                    <DrillNumber
                      value={r.figures.reported}
                      label={`problems reported, ${nameOf(r)}`}
                      onOpen={() =>
                        setDrill({ title: `Problems: ${nameOf(r)}`, kind: 'records', source: 'problems', metric: 'reported', group: groupOf(r), query })
                      }
                    />
                  ),
                },
                {
                  label: 'Resolved',
                  numeric: true,
                  csv: (r) => r.figures.resolved,
                  render: (r) => (
                    <DrillNumber
                      value={r.figures.resolved}
                      label={`problems resolved, ${nameOf(r)}`}
                      onOpen={() =>
                        setDrill({
                          title: `Problems resolved: ${nameOf(r)}`,
                          kind: 'records',
                          source: 'problems',
                          metric: 'resolved',
                          group: groupOf(r),
                          query,
                        })
                      }
                    />
                  ),
                },
                {
                  label: 'Median days to resolve',
                  numeric: true,
                  csv: (r) => r.figures.timeToResolution.median,
                  render: (r) => days(r.figures.timeToResolution.median),
                },
                {
                  label: '90th percentile days',
                  numeric: true,
                  csv: (r) => r.figures.timeToResolution.p90,
                  render: (r) => days(r.figures.timeToResolution.p90),
                },
              ]}
            />
          </Stack>
        )}
      </Loaded>
      <DrillDrawer spec={drill} onClose={() => setDrill(null)} />
    </>
  );
}
