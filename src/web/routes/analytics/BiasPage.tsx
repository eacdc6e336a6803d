import { Alert, Group, List, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar, useQueryState } from './filters';
import { DrillDrawer, DrillNumber, type DrillSpec, FigureTable, Loaded, num, PrintButton, pct, READABLE_TITLE, ReportPdfButton, Stat } from './ui';

type Bias = Schemas['BiasAnalytics'];
type Row = Bias['breakdowns']['status'][number];
type Breakdown = keyof Bias['breakdowns'];

const BREAKDOWNS: { key: Breakdown; label: string }[] = [
  { key: 'status', label: 'Lifecycle status' },
  { key: 'feeBand', label: 'Fee band' },
  { key: 'industry', label: 'Industry' },
  { key: 'practice', label: 'Practice' },
  { key: 'satisfaction', label: 'Last known satisfaction' },
];

/** The programmes one may pick (for bias and participation). */
export function useProgrammeOptions() {
  const programmes = useQuery({
    queryKey: ['programmes', 'list', 'analytics-picker'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/programmes', { params: { query: { limit: 200, order: 'desc' } } }))).items,
  });
  return { programmes, options: (programmes.data ?? []).map((p) => ({ value: p.id, label: p.name })) };
}

/** /analytics/bias: who was heard against the portfolio, and whether the sample leans positive. */
export function BiasPage() {
  const { params, filters, set } = useQueryState();
  const programmeId = params.get('programmeId') ?? undefined;
  const { options } = useProgrammeOptions();
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const query = { ...filters, ...(programmeId ? { programmeId } : {}) };
  const bias = useQuery({ queryKey: ['analytics', 'bias', query], queryFn: () => unwrap(api.GET('/api/v1/analytics/bias', { params: { query } })) });
  const data = bias.data;

  const shares = data
    ? [
        { key: 'atRisk', label: 'At risk', ...data.atRisk, drill: { atRisk: 'true' as const } },
        { key: 'unhappy', label: 'Unhappy (latest NPS 0–6)', ...data.unhappy, drill: { breakdown: 'satisfaction', key: 'detractor' } },
        { key: 'lapsed', label: 'Lapsed', ...data.lapsed, drill: { breakdown: 'status', key: 'lapsed' } },
        { key: 'lost', label: 'Lost', ...data.lost, drill: { breakdown: 'status', key: 'lost' } },
        { key: 'pitchLost', label: 'Pitch lost', ...data.pitchLost, drill: { breakdown: 'status', key: 'pitch_lost' } },
      ]
    : [];

  return (
    <>
      <PageHeader
        title="Sample bias"
        description="Whether the firm is hearing from the clients it most needs to hear from: who was heard, against the portfolio."
        actions={
          <>
            <ReportPdfButton filters={filters} />
            <PrintButton />
          </>
        }
      />
      <FilterBar />
      <Group className="hearken-no-print" mb="md">
        <Select
          label="Programme"
          description="Only its sessions count as heard, against its target"
          placeholder="All listening"
          clearable
          searchable
          w={320}
          data={options}
          value={programmeId ?? null}
          onChange={(v) => set({ programmeId: v })}
        />
      </Group>
      <Loaded
        query={bias}
        empty={!!data && data.state === 'empty_portfolio'}
        emptyTitle="No clients to compare"
        emptyText="There is no client you may see under these filters, so there is nothing to compare the sample with."
      >
        {data && (
          <Stack gap="md">
            {data.flag.biased ? (
              <Alert color="red" title="The sample looks positively biased" role="note" styles={READABLE_TITLE}>
                <List size="sm">
                  {data.flag.reasons.map((r) => (
                    <List.Item key={r}>
                      <Text c="dark.9" size="sm">
                        {r}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <Alert color="green" title={data.state === 'nobody_heard' ? 'Nobody heard yet' : 'No sign of positive bias'} role="note" styles={READABLE_TITLE}>
                <Text c="dark.9" size="sm">
                  {data.state === 'nobody_heard'
                    ? 'No client was heard under these filters: no answers yet to judge the sample by.'
                    : 'None of the signs of a positively biased sample was found; the numbers behind that are below.'}
                </Text>
                {data.flag.reasons.length > 0 && (
                  <List size="sm">
                    {data.flag.reasons.map((r) => (
                      <List.Item key={r}>{r}</List.Item>
                    ))}
                  </List>
                )}
              </Alert>
            )}
            <Group align="stretch" wrap="wrap">
              <Stat
                label="Portfolio"
                value={
                  <DrillNumber value={data.portfolio} label="clients in the portfolio" onOpen={() => setDrill({ title: 'Portfolio', kind: 'bias', query })} />
                }
                hint="Clients you may see, prospects left out"
              />
              <Stat
                label="Heard"
                value={
                  <DrillNumber
                    value={data.heard}
                    label="clients heard"
                    onOpen={() => setDrill({ title: 'Clients heard', kind: 'bias', query: { ...query, heard: 'true' } })}
                  />
                }
                hint={`${pct(data.coverage)} of the portfolio`}
              />
              <Stat
                label="Mean latest NPS"
                value={`${num(data.meanLatestNps.heard, 1)} vs ${num(data.meanLatestNps.portfolio, 1)}`}
                hint={`Heard (${data.meanLatestNps.heardKnown} known) vs portfolio (${data.meanLatestNps.portfolioKnown} known)`}
              />
            </Group>
            <FigureTable
              title="Clients the firm most needs to hear from"
              description={`At risk means: ${data.atRisk.definition}${data.atRisk.target !== null ? ` Target: ${pct(data.atRisk.target)} of those heard.` : ''}`}
              fileName="bias-at-risk"
              rows={shares}
              rowKey={(r) => r.key}
              columns={[
                { label: 'Clients', csv: (r) => r.label },
                {
                  label: 'In portfolio',
                  numeric: true,
                  csv: (r) => r.portfolio,
                  render: (r) => (
                    <DrillNumber
                      value={r.portfolio}
                      label={`${r.label} clients in the portfolio`}
                      onOpen={() => setDrill({ title: `${r.label}: portfolio`, kind: 'bias', query: { ...query, ...r.drill } })}
                    />
                  ),
                },
                { label: 'Share of portfolio', numeric: true, csv: (r) => pct(r.portfolioShare), share: (r) => r.portfolioShare },
                {
                  label: 'Heard',
                  numeric: true,
                  csv: (r) => r.heard,
                  render: (r) => (
                    <DrillNumber
                      value={r.heard}
                      label={`${r.label} clients heard`}
                      onOpen={() => setDrill({ title: `${r.label}: heard`, kind: 'bias', query: { ...query, ...r.drill, heard: 'true' } })}
                    />
                  ),
                },
                { label: 'Share of heard', numeric: true, csv: (r) => pct(r.heardShare), share: (r) => r.heardShare },
              ]}
            />
            {BREAKDOWNS.map((b) => (
              <FigureTable<Row>
                key={b.key}
                title={`By ${b.label.toLowerCase()}`}
                fileName={`bias-by-${b.key}`}
                rows={data.breakdowns[b.key]}
                rowKey={(r) => r.key}
                columns={[
                  { label: b.label, csv: (r) => r.label },
                  {
                    label: 'Portfolio',
                    numeric: true,
                    csv: (r) => r.portfolio,
                    render: (r) => (
                      <DrillNumber
                        value={r.portfolio}
                        label={`clients in the portfolio, ${r.label}`}
                        onOpen={() => setDrill({ title: `${b.label}: ${r.label}`, kind: 'bias', query: { ...query, breakdown: b.key, key: r.key } })}
                      />
                    ),
                  },
                  { label: 'Share of portfolio', numeric: true, csv: (r) => pct(r.portfolioShare), share: (r) => r.portfolioShare },
                  {
                    label: 'Heard',
                    numeric: true,
                    csv: (r) => r.heard,
                    render: (r) => (
                      <DrillNumber
                        value={r.heard}
                        label={`clients heard, ${r.label}`}
                        onOpen={() =>
                          setDrill({ title: `${b.label}: ${r.label}, heard`, kind: 'bias', query: { ...query, breakdown: b.key, key: r.key, heard: 'true' } })
                        }
                      />
                    ),
                  },
                  { label: 'Share of heard', numeric: true, csv: (r) => pct(r.heardShare), share: (r) => r.heardShare },
                  { label: 'Gap (points)', numeric: true, csv: (r) => (r.gapPoints === null ? null : Math.round(r.gapPoints)) },
                  { label: 'Coverage', numeric: true, csv: (r) => pct(r.coverage), share: (r) => r.coverage },
                ]}
              />
            ))}
          </Stack>
        )}
      </Loaded>
      <DrillDrawer spec={drill} onClose={() => setDrill(null)} />
    </>
  );
}
