import { LineChart } from '@mantine/charts';
import { Alert, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar, useQueryState } from './filters';
import { type Column, DrillDrawer, DrillNumber, type DrillSpec, FigureTable, Loaded, num, PrintButton, READABLE_TITLE, ReportPdfButton, Stat } from './ui';

type Figures = Schemas['NpsFigures'];

export const NPS_GROUP_BYS = [
  { value: 'practice', label: 'Practice' },
  { value: 'partner', label: 'Partner' },
  { value: 'industry', label: 'Industry' },
  { value: 'office', label: 'Office' },
  { value: 'segment', label: 'Client segment' },
  { value: 'feeBand', label: 'Fee band' },
  { value: 'quarter', label: 'Quarter' },
] as const;

/** NPS as a signed whole number, or why it is missing. */
function npsText(f: Figures): string {
  if (f.nps !== null) {
    return `${f.nps > 0 ? '+' : ''}${Math.round(f.nps)}`;
  }
  return f.reason === 'suppressed' ? 'Hidden (too few)' : 'No answers';
}
function marginText(f: Figures): string {
  return f.margin === null ? '—' : `± ${Math.round(f.margin)}`;
}

/** /analytics/nps: the firm's NPS with its margin, by group and by quarter. */
export function NpsPage() {
  const { params, filters, set } = useQueryState();
  const groupBy = params.get('groupBy') ?? 'practice';
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const query = { ...filters, groupBy: groupBy as Schemas['NpsAnalytics']['groupBy'] & string };
  const nps = useQuery({
    queryKey: ['analytics', 'nps', query],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/nps', { params: { query } })),
  });
  const data = nps.data;
  const groupLabel = NPS_GROUP_BYS.find((g) => g.value === groupBy)?.label ?? 'Group';

  type Row = { key: string; label: string; figures: Figures };
  const figureColumns = (drillOf: (r: Row) => Extract<DrillSpec, { kind: 'nps' }>['query']): Column<Row>[] => [
    {
      label: 'Answers (n)',
      numeric: true,
      csv: (r) => r.figures.n,
      render: (r) => (
        <DrillNumber
          value={r.figures.n}
          label={`NPS answers for ${r.label}`}
          onOpen={() => setDrill({ title: `NPS answers: ${r.label}`, kind: 'nps', query: drillOf(r) })}
        />
      ),
    },
    { label: 'NPS', numeric: true, csv: (r) => (r.figures.nps === null ? null : Math.round(r.figures.nps)), render: (r) => npsText(r.figures) },
    {
      label: 'Margin (95%)',
      numeric: true,
      csv: (r) => (r.figures.margin === null ? null : Math.round(r.figures.margin)),
      render: (r) => marginText(r.figures),
    },
    { label: 'Promoters', numeric: true, csv: (r) => r.figures.promoters },
    { label: 'Passives', numeric: true, csv: (r) => r.figures.passives },
    { label: 'Detractors', numeric: true, csv: (r) => r.figures.detractors },
    {
      label: 'Satisfaction (mean)',
      numeric: true,
      csv: (r) => (r.figures.satisfaction.mean === null ? null : Number(r.figures.satisfaction.mean.toFixed(1))),
      render: (r) => num(r.figures.satisfaction.mean, 1),
    },
    { label: 'Warning', csv: (r) => r.figures.warning ?? '' },
  ];

  return (
    <>
      <PageHeader
        title="NPS and satisfaction"
        description="How clients rate the firm, and how sure the numbers are. Only what you may see is counted."
        actions={
          <>
            <ReportPdfButton filters={filters} />
            <PrintButton />
          </>
        }
      />
      <FilterBar />
      <Loaded
        query={nps}
        empty={!!data && data.state === 'no_answers'}
        emptyTitle="No answers yet"
        emptyText="No held listening session under these filters has an NPS or satisfaction answer you may see. Widen the period or clear the filters."
      >
        {data && (
          <Stack gap="md">
            <Group align="stretch" wrap="wrap">
              <Stat label="NPS" value={npsText(data.overall)} hint={`${marginText(data.overall)} points, 95% confidence`} />
              <Stat
                label="Answers counted (n)"
                value={
                  <DrillNumber
                    value={data.overall.n}
                    label="NPS answers counted"
                    onOpen={() => setDrill({ title: 'NPS answers counted', kind: 'nps', query: filters })}
                  />
                }
                hint={`${num(data.overall.clients)} clients, ${num(data.overall.sessions)} sessions`}
              />
              <Stat
                label="Promoters / passives / detractors"
                value={`${num(data.overall.promoters)} / ${num(data.overall.passives)} / ${num(data.overall.detractors)}`}
              />
              <Stat label="Average satisfaction" value={num(data.overall.satisfaction.mean, 1)} hint={`${num(data.overall.satisfaction.n)} answers`} />
            </Group>
            {data.overall.warning && (
              <Alert color="yellow" title="Read with care" role="note" styles={READABLE_TITLE}>
                <Text c="dark.9">{data.overall.warning}</Text>
              </Alert>
            )}
            <Text size="sm" c="dimmed">
              Counting rule: {data.countingRule}
            </Text>

            <Group className="hearken-no-print">
              <Select
                label="Group by"
                data={NPS_GROUP_BYS.map((g) => ({ ...g }))}
                value={groupBy}
                allowDeselect={false}
                w={220}
                onChange={(v) => set({ groupBy: v })}
              />
            </Group>
            <FigureTable
              title={`NPS by ${groupLabel.toLowerCase()}`}
              description="Click a number of answers to see the sessions behind it. Groups too small to stay anonymous are hidden."
              fileName={`nps-by-${groupBy}`}
              rows={data.groups}
              rowKey={(r) => r.key}
              columns={[{ label: groupLabel, csv: (r) => r.label }, ...figureColumns((r) => ({ ...filters, groupBy, group: r.key }))]}
            />

            <Paper withBorder p="md" className="hearken-print-block">
              <Title order={3} size="h4" mb="xs">
                NPS by quarter
              </Title>
              <div role="img" aria-label={`Line chart of NPS by quarter, ${data.trend.length} quarters; the same figures are in the table below`}>
                <LineChart
                  h={240}
                  data={data.trend.map((t) => ({ quarter: t.quarter, NPS: t.figures.nps === null ? null : Math.round(t.figures.nps) }))}
                  dataKey="quarter"
                  series={[{ name: 'NPS', color: 'blue.9' }]}
                  yAxisProps={{ domain: [-100, 100] }}
                  connectNulls
                  lineChartProps={{ accessibilityLayer: false }}
                />
              </div>
            </Paper>
            <FigureTable
              title="NPS by quarter (table)"
              fileName="nps-by-quarter"
              rows={data.trend.map((t) => ({ key: t.quarter, label: t.quarter, figures: t.figures }))}
              rowKey={(r) => r.key}
              columns={[{ label: 'Quarter', csv: (r) => r.label }, ...figureColumns((r) => ({ ...filters, groupBy: 'quarter', group: r.key }))]}
            />
            <FigureTable
              title="Score dimensions"
              description="The average of each dimension of the interview guides' scores."
              fileName="nps-dimensions"
              rows={data.overall.dimensions}
              rowKey={(r) => r.key}
              empty="No dimension scores under these filters."
              columns={[
                { label: 'Dimension', csv: (r) => r.label },
                { label: 'Answers (n)', numeric: true, csv: (r) => r.n },
                { label: 'Average', numeric: true, csv: (r) => (r.mean === null ? null : Number(r.mean.toFixed(1))), render: (r) => num(r.mean, 1) },
              ]}
            />
          </Stack>
        )}
      </Loaded>
      <DrillDrawer spec={drill} onClose={() => setDrill(null)} />
    </>
  );
}
