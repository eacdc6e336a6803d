import { Group, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useProgrammeOptions } from './BiasPage';
import { FilterBar, useQueryState } from './filters';
import { type Column, DrillDrawer, DrillNumber, type DrillSpec, type FigureRecordsSpec, FigureTable, Loaded, PrintButton, ReportPdfButton, Stat } from './ui';

type Participation = Schemas['ParticipationAnalytics'];
type Figures = Participation['totals']['figures'];
type Query = FigureRecordsSpec['query'];

/**
 * The columns shared by the partner and team tables; each number opens its records (group: the
 * row's partner or team id, or "none" for the partners in no team).
 */
function figureColumns<T extends { figures: Figures }>(
  name: (r: T) => string,
  group: (r: T) => string,
  query: Query,
  open: (spec: DrillSpec) => void,
): Column<T>[] {
  const drillable = (label: string, figure: keyof Figures): Column<T> => ({
    label,
    numeric: true,
    csv: (r) => r.figures[figure],
    render: (r) => (
      <DrillNumber
        value={r.figures[figure]}
        label={`${label.toLowerCase()}, ${name(r)}`}
        onOpen={() => open({ title: `${label}: ${name(r)}`, kind: 'records', source: 'participation', metric: figure, group: group(r), query })}
      />
    ),
  });
  return [
    drillable('Proposed', 'proposed'),
    drillable('Accepted', 'accepted'),
    drillable('Deferred', 'deferred'),
    drillable('Declined', 'declined'),
    drillable('Volunteered', 'volunteered'),
    { label: 'Not answered', numeric: true, csv: (r) => r.figures.notAnswered },
    drillable('Put forward', 'putForward'),
    drillable('At-risk put forward', 'atRiskPutForward'),
    drillable('Held back', 'heldBack'),
  ];
}

/** /analytics/participation: which partners put clients forward to a programme. */
export function ParticipationPage() {
  const { params, filters, set } = useQueryState();
  const { programmes, options } = useProgrammeOptions();
  const programmeId = params.get('programmeId') ?? options[0]?.value;
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const { from: _f, to: _t, ...clientFilters } = filters;
  const query = { ...clientFilters, programmeId: programmeId ?? '' };
  const participation = useQuery({
    queryKey: ['analytics', 'participation', query],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/participation', { params: { query } })),
    enabled: !!programmeId,
  });
  const data = participation.data;
  type PartnerRow = Participation['partners'][number];
  type TeamRow = Participation['teams'][number];

  return (
    <>
      <PageHeader
        title="Partner participation"
        description="Per partner and team: clients proposed, put forward, held back, for one programme."
        actions={
          <>
            <ReportPdfButton filters={filters} programmeId={programmeId} />
            <PrintButton />
          </>
        }
      />
      <FilterBar withPeriod={false} />
      <Group className="hearken-no-print" mb="md">
        <Select
          label="Programme"
          searchable
          allowDeselect={false}
          w={320}
          data={options}
          value={programmeId ?? null}
          onChange={(v) => set({ programmeId: v })}
          nothingFoundMessage="No programme found"
        />
      </Group>
      {!programmes.isLoading && options.length === 0 ? (
        <EmptyState title="No programmes yet">Participation is counted per listening programme; there is none you may see.</EmptyState>
      ) : (
        <Loaded query={{ ...participation, isLoading: participation.isLoading || programmes.isLoading }} empty={false} emptyTitle="">
          {data && (
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                At risk means: {data.atRiskDefinition}
              </Text>
              <Group align="stretch" wrap="wrap">
                <Stat label="Partners counted" value={data.totals.figures.partners} />
                <Stat
                  label="Put forward (accepted nominations)"
                  value={
                    <DrillNumber
                      value={data.totals.figures.putForward}
                      label="accepted nominations put forward"
                      onOpen={() =>
                        setDrill({ title: 'Accepted nominations put forward', kind: 'records', source: 'participation', metric: 'putForward', query })
                      }
                    />
                  }
                />
                <Stat
                  label="Clients held back"
                  value={
                    <DrillNumber
                      value={data.totals.figures.heldBack}
                      label="clients held back"
                      onOpen={() => setDrill({ title: 'Clients held back', kind: 'records', source: 'participation', metric: 'heldBack', query })}
                    />
                  }
                />
                <Stat label="Said yes, put nothing forward" value={data.totals.figures.saidYesPutNothingForward} hint="Partners" />
              </Group>
              <FigureTable<PartnerRow>
                title="By partner"
                description="The flag marks partners who said yes to the programme yet put no client forward."
                fileName="participation-by-partner"
                rows={data.partners}
                rowKey={(r) => r.partner.id}
                empty="No partner has clients in this programme under these filters."
                columns={[
                  { label: 'Partner', csv: (r) => r.partner.name },
                  { label: 'Teams', csv: (r) => r.teams.map((t) => t.name).join('; ') },
                  { label: 'Answer to the programme', csv: (r) => r.commitment ?? 'none' },
                  {
                    label: 'Flag',
                    csv: (r) => (r.saidYesPutNothingForward ? 'Said yes, put nothing forward' : ''),
                    render: (r) =>
                      r.saidYesPutNothingForward ? (
                        <Text size="sm" fw={700} c="red.9" style={{ whiteSpace: 'nowrap' }}>
                          Said yes, put nothing forward
                        </Text>
                      ) : null,
                  },
                  ...figureColumns<PartnerRow>(
                    (r) => r.partner.name,
                    (r) => r.partner.id,
                    query,
                    setDrill,
                  ),
                ]}
              />
              <FigureTable<TeamRow>
                title="By team"
                description="The sums of each team's partners (a partner in two teams counts in both)."
                fileName="participation-by-team"
                rows={data.teams}
                rowKey={(r) => r.team?.id ?? 'none'}
                columns={[
                  { label: 'Team', csv: (r) => r.team?.name ?? 'No team' },
                  { label: 'Partners', numeric: true, csv: (r) => r.figures.partners },
                  { label: 'Said yes, put nothing forward', numeric: true, csv: (r) => r.figures.saidYesPutNothingForward },
                  ...figureColumns<TeamRow>(
                    (r) => r.team?.name ?? 'No team',
                    (r) => r.team?.id ?? 'none',
                    query,
                    setDrill,
                  ),
                ]}
              />
            </Stack>
          )}
        </Loaded>
      )}
      <DrillDrawer spec={drill} onClose={() => setDrill(null)} />
    </>
  );
}
