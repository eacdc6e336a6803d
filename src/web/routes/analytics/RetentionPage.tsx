import { BarChart } from '@mantine/charts';
import { Anchor, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar, useQueryState } from './filters';
import { DrillDrawer, DrillNumber, type DrillSpec, FigureTable, Loaded, PrintButton, pct, ReportPdfButton, Stat } from './ui';

type Retention = Schemas['RetentionAnalytics'];
type Year = Retention['years'][number];
type Lost = Retention['lost'][number];

/** /analytics/retention: clients kept by year, lost clients and what was heard first, referrals, opportunities. */
export function RetentionPage() {
  const { filters } = useQueryState();
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const retention = useQuery({
    queryKey: ['analytics', 'retention', filters],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/retention', { params: { query: filters } })),
  });
  const data = retention.data;
  const opportunities = data
    ? ([
        ['Done', data.opportunities.done, 'opportunitiesDone'],
        ['Open', data.opportunities.open, 'opportunitiesOpen'],
        ['Won’t do', data.opportunities.wontDo, 'opportunitiesWontDo'],
        ['No action', data.opportunities.noAction, 'opportunitiesNoAction'],
      ] as const)
    : [];

  return (
    <>
      <PageHeader
        title="Retention and growth"
        description="Clients kept by year, clients lost and what was heard before they left, referrals and opportunities."
        actions={
          <>
            <ReportPdfButton filters={filters} />
            <PrintButton />
          </>
        }
      />
      <FilterBar />
      <Loaded
        query={retention}
        empty={
          !!data && data.years.every((y) => y.activeAtStart === 0) && data.lost.length === 0 && data.referrals.total === 0 && data.opportunities.total === 0
        }
        emptyTitle="Nothing to show yet"
        emptyText="No client you may see was active in this period, and no referral or opportunity was recorded."
      >
        {data && (
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {data.rule}
            </Text>
            <Paper withBorder p="md" className="hearken-print-block">
              <Title order={3} size="h4" mb="xs">
                Retention rate by year
              </Title>
              <div role="img" aria-label={`Bar chart of the retention rate by year, ${data.years.length} years; the same figures are in the table below`}>
                <BarChart
                  h={220}
                  data={data.years.map((y) => ({ year: String(y.year), 'Retention %': y.retentionRate === null ? null : Math.round(y.retentionRate * 100) }))}
                  dataKey="year"
                  series={[{ name: 'Retention %', color: 'teal.9' }]}
                  yAxisProps={{ domain: [0, 100] }}
                  barChartProps={{ accessibilityLayer: false }}
                />
              </div>
            </Paper>
            <FigureTable<Year>
              title="Retention by year"
              fileName="retention-by-year"
              rows={data.years}
              rowKey={(r) => String(r.year)}
              columns={[
                { label: 'Year', csv: (r) => r.year },
                {
                  label: 'Active on 1 January',
                  numeric: true,
                  csv: (r) => r.activeAtStart,
                  render: (r) => (
                    <DrillNumber
                      value={r.activeAtStart}
                      label={`clients active at the start of ${r.year}`}
                      onOpen={() =>
                        setDrill({
                          title: `Active on 1 January ${r.year}`,
                          kind: 'records',
                          source: 'retention',
                          metric: 'activeAtStart',
                          query: { ...filters, year: r.year },
                        })
                      }
                    />
                  ),
                },
                {
                  label: 'Retained',
                  numeric: true,
                  csv: (r) => r.retained,
                  render: (r) => (
                    <DrillNumber
                      value={r.retained}
                      label={`clients retained in ${r.year}`}
                      onOpen={() =>
                        setDrill({
                          title: `Retained in ${r.year}`,
                          kind: 'records',
                          source: 'retention',
                          metric: 'retained',
                          query: { ...filters, year: r.year },
                        })
                      }
                    />
                  ),
                },
                {
                  label: 'Lost',
                  numeric: true,
                  csv: (r) => r.lost,
                  render: (r) => (
                    <DrillNumber
                      value={r.lost}
                      label={`clients lost in ${r.year}`}
                      onOpen={() =>
                        setDrill({ title: `Lost in ${r.year}`, kind: 'records', source: 'retention', metric: 'lost', query: { ...filters, year: r.year } })
                      }
                    />
                  ),
                },
                {
                  label: 'Lapsed',
                  numeric: true,
                  csv: (r) => r.lapsed,
                  render: (r) => (
                    <DrillNumber
                      value={r.lapsed}
                      label={`clients lapsed in ${r.year}`}
                      onOpen={() =>
                        setDrill({ title: `Lapsed in ${r.year}`, kind: 'records', source: 'retention', metric: 'lapsed', query: { ...filters, year: r.year } })
                      }
                    />
                  ),
                },
                { label: 'Retention rate', numeric: true, csv: (r) => pct(r.retentionRate), share: (r) => r.retentionRate },
              ]}
            />
            <FigureTable<Lost>
              title="Clients lost, and what was heard before they left"
              fileName="lost-clients"
              rows={data.lost}
              rowKey={(r) => r.client.id}
              empty="No client was lost in this period."
              columns={[
                {
                  label: 'Client',
                  csv: (r) => r.client.name,
                  render: (r) => (
                    <Anchor component={Link} to={`/clients/${r.client.id}`}>
                      {r.client.name}
                    </Anchor>
                  ),
                },
                { label: 'Lost on', csv: (r) => r.lostOn?.slice(0, 10) ?? 'unknown' },
                {
                  label: 'Heard before they left',
                  csv: (r) => r.heard.map((h) => `${h.heardOn.slice(0, 10)} ${h.type} (${h.severity}): ${h.summary}`).join(' | '),
                  render: (r) =>
                    r.heard.length === 0 ? (
                      <Text size="sm">Nothing heard that you may read.</Text>
                    ) : (
                      <List size="sm">
                        {r.heard.map((h) => (
                          <List.Item key={h.id}>
                            {h.heardOn.slice(0, 10)} · {h.type}, {h.severity}: {h.summary}
                          </List.Item>
                        ))}
                      </List>
                    ),
                },
              ]}
            />
            <Group align="stretch" wrap="wrap">
              <Stat
                label="Referrals made"
                value={
                  <DrillNumber
                    value={data.referrals.total}
                    label="referrals"
                    onOpen={() => setDrill({ title: 'Referrals', kind: 'records', source: 'retention', metric: 'referrals', query: filters })}
                  />
                }
                hint={`${data.referrals.won} won, ${data.referrals.lost} lost, ${data.referrals.noFit} no fit, ${data.referrals.pending} pending`}
              />
              <Stat
                label="Opportunities heard"
                value={
                  <DrillNumber
                    value={data.opportunities.total}
                    label="opportunities heard"
                    onOpen={() => setDrill({ title: 'Opportunities heard', kind: 'records', source: 'retention', metric: 'opportunities', query: filters })}
                  />
                }
              />
            </Group>
            <FigureTable
              title="Opportunities and their outcome"
              fileName="opportunities"
              rows={[...opportunities]}
              rowKey={(r) => r[0]}
              columns={[
                { label: 'Outcome', csv: (r) => r[0] },
                {
                  label: 'Opportunities',
                  numeric: true,
                  csv: (r) => r[1],
                  render: (r) => (
                    <DrillNumber
                      value={r[1]}
                      label={`opportunities, ${r[0]}`}
                      onOpen={() => setDrill({ title: `Opportunities: ${r[0]}`, kind: 'records', source: 'retention', metric: r[2], query: filters })}
                    />
                  ),
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
