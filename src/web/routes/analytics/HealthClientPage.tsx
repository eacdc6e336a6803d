import { LineChart } from '@mantine/charts';
import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { formatFees } from '../clients/labels';
import { BandBadge } from './HealthPage';
import { BAND_FLOORS, BAND_LABELS, type ClientHealth, type HealthReason, pointsText, REASON_RECORDS, reasonLine, WEIGHT_LABELS } from './health-labels';
import { DrillDrawer, DrillNumber, type DrillSpec, FigureTable, Loaded, PrintButton, READABLE_TITLE, Stat } from './ui';

type Contact = ClientHealth['contacts'][number];
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
type Snapshot = ClientHealth['trend'][number];

/** /analytics/health/clients/:clientId: one client's score, every reason and its records, each contact's health, the trend. */
export function HealthClientPage() {
  const { clientId = '' } = useParams();
  const location = useLocation();
  const back = (location.state as { back?: string } | null)?.back ?? '';
  const [drill, setDrill] = useState<DrillSpec | null>(null);
  const health = useQuery({
    queryKey: ['analytics', 'health', 'client', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/health/clients/{id}', { params: { path: { id: clientId } } })),
  });
  const data = health.data;

  /** The count of a reason, opening the records behind it where there are any to list. */
  const countCell = (r: HealthReason) => {
    const record = REASON_RECORDS[r.kind];
    if (record === 'contact' && data) {
      return (
        <Anchor component={Link} to={`/clients/${data.client.id}/contacts`} aria-label={`${r.count} ${WEIGHT_LABELS[r.kind].label}: show the contacts`}>
          {r.count}
        </Anchor>
      );
    }
    if (record === null || record === 'contact' || r.ids.length === 0) {
      return r.count;
    }
    return (
      <DrillNumber
        value={r.count}
        label={lowerFirst(WEIGHT_LABELS[r.kind].label)}
        onOpen={() => setDrill({ title: r.text, kind: 'records', record, ids: r.ids })}
      />
    );
  };

  return (
    <>
      <Anchor component={Link} to={`/analytics/health${back}`} size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Client health
        </Group>
      </Anchor>
      <Loaded query={health} empty={false} emptyTitle="">
        {data && (
          <Stack gap="md" mt={6}>
            <PageHeader
              title={`Health of ${data.client.name}`}
              description={`Today (${data.today}), counting only what you may see.`}
              actions={
                <>
                  <Button component={Link} to={`/clients/${data.client.id}`} variant="default" className="hearken-no-print">
                    Open the client
                  </Button>
                  <PrintButton />
                </>
              }
            />
            <Group align="stretch" wrap="wrap">
              <Stat label="Score" value={`${data.score} / 100`} hint={`${data.reasons.length} warning sign${data.reasons.length === 1 ? '' : 's'}`} />
              <Stat label="Band" value={<BandBadge band={data.band} />} hint={`Healthy from ${BAND_FLOORS.healthy}, watch from ${BAND_FLOORS.watch}`} />
              <Stat label="Fees at stake" value={formatFees(data.annualFees)} hint="Annual fees as recorded on the client" />
            </Group>
            {data.warnings.length > 0 && (
              <Alert color="yellow" title="Single-threaded relationship" role="note" styles={READABLE_TITLE}>
                <Stack gap={2}>
                  {data.warnings.map((w) => (
                    <Text key={w.kind} c="dark.9" size="sm">
                      {w.text}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            <FigureTable<HealthReason>
              title="Why: the reasons and their points"
              description={`The score is 100 less the points of every reason (never below 0). Click a count to see the records behind it.`}
              fileName={`health-reasons-${data.client.name}`}
              rows={data.reasons}
              rowKey={(r) => r.kind}
              empty="No warning signs: the client scores the full 100."
              columns={[
                { label: 'Reason', csv: (r) => r.text },
                { label: 'Sign', csv: (r) => WEIGHT_LABELS[r.kind].label },
                { label: 'Count', numeric: true, csv: (r) => r.count, render: countCell },
                { label: 'Points', numeric: true, csv: (r) => -r.points, render: (r) => pointsText(r.points) },
              ]}
            />
            <FigureTable<Contact>
              title="Key contacts"
              description="Each active contact’s own health, from their own latest answers and the concerns they raised: the general counsel may be happy while the finance director is not."
              fileName={`health-contacts-${data.client.name}`}
              rows={data.contacts}
              rowKey={(r) => r.contact.id}
              empty="No active contacts at this client."
              columns={[
                { label: 'Contact', csv: (r) => r.contact.name },
                { label: 'Job title', csv: (r) => r.jobTitle ?? '' },
                { label: 'Decision maker', csv: (r) => (r.isDecisionMaker ? 'Yes' : 'No') },
                { label: 'Last heard', csv: (r) => r.lastHeardOn ?? 'Never' },
                { label: 'Band', csv: (r) => BAND_LABELS[r.band], render: (r) => <BandBadge band={r.band} /> },
                { label: 'Score', numeric: true, csv: (r) => r.score },
                {
                  label: 'Reasons',
                  csv: (r) => r.reasons.map(reasonLine).join('; '),
                  render: (r) =>
                    r.reasons.length === 0 ? (
                      <Text size="sm">No warning signs</Text>
                    ) : (
                      <Stack gap={2}>
                        {r.reasons.map((x) => (
                          <Text size="sm" key={x.kind}>
                            {reasonLine(x)}
                          </Text>
                        ))}
                      </Stack>
                    ),
                },
              ]}
            />
            <Paper withBorder p="md" className="hearken-print-block">
              <Title order={3} size="h4" mb="xs">
                Trend of daily snapshots
              </Title>
              {data.trend.length === 0 ? (
                <Text size="sm">
                  No snapshots yet. The score is recorded once a day, so the trend fills in as the days pass; only readers with firm-wide analytics see it.
                </Text>
              ) : (
                <div role="img" aria-label={`Line chart of the daily score, ${data.trend.length} days; the same figures are in the table below`}>
                  <LineChart
                    h={240}
                    data={data.trend.map((t) => ({ day: t.takenOn, Score: t.score }))}
                    dataKey="day"
                    series={[{ name: 'Score', color: 'blue.9' }]}
                    yAxisProps={{ domain: [0, 100] }}
                    referenceLines={[
                      { y: BAND_FLOORS.healthy, label: 'Healthy', color: 'gray.7' },
                      { y: BAND_FLOORS.watch, label: 'Watch', color: 'gray.7' },
                    ]}
                    lineChartProps={{ accessibilityLayer: false }}
                  />
                </div>
              )}
            </Paper>
            {data.trend.length > 0 && (
              <FigureTable<Snapshot>
                title="Daily snapshots (table)"
                fileName={`health-trend-${data.client.name}`}
                rows={data.trend}
                rowKey={(r) => r.takenOn}
                columns={[
                  { label: 'Day', csv: (r) => r.takenOn },
                  { label: 'Score', numeric: true, csv: (r) => r.score },
                  { label: 'Band', csv: (r) => BAND_LABELS[r.band] },
                ]}
              />
            )}
            <Text size="sm" c="dimmed">
              How the score works: {data.rules}
            </Text>
          </Stack>
        )}
      </Loaded>
      <DrillDrawer spec={drill} onClose={() => setDrill(null)} />
    </>
  );
}
