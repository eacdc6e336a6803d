import { Anchor, Badge, Blockquote, Button, Grid, Group, List, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { ACTION_STATUS_COLORS, ACTION_STATUS_LABELS, INSIGHT_TYPE_COLORS, INSIGHT_TYPE_LABELS } from '../insights/labels';
import { CALENDAR_LABELS } from '../programmes/labels';
import { formatDate } from './labels';

type Report = Schemas['YouSaidWeDidReport'];
type Pair = Schemas['YouSaidWeDidPair'];

const ISO = 'YYYY-MM-DD';

/** Pairs grouped by theme, keeping the server's order (theme, then date). */
function byTheme(pairs: Pair[]): Array<{ theme: string; pairs: Pair[] }> {
  const groups: Array<{ theme: string; pairs: Pair[] }> = [];
  for (const pair of pairs) {
    const last = groups.at(-1);
    if (last && last.theme === pair.theme) {
      last.pairs.push(pair);
    } else {
      groups.push({ theme: pair.theme, pairs: [pair] });
    }
  }
  return groups;
}

function problemFor(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiProblem)) {
    return undefined;
  }
  const message = error.fieldErrors[field];
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : undefined;
}

/** /clients/:clientId/you-said-we-did: what the client told us, paired with what we did — ready to send. */
export function YouSaidWeDidPage() {
  const { clientId = '' } = useParams();
  const [to, setTo] = useState<string | null>(dayjs().format(ISO));
  const [from, setFrom] = useState<string | null>(dayjs().subtract(1, 'year').add(1, 'day').format(ISO));
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery({
    queryKey: ['you-said-we-did', clientId, query],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}/you-said-we-did', { params: { path: { id: clientId }, query } })),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const search = new URLSearchParams(query).toString();
  const download = (format: 'docx' | 'pdf') => `/api/v1/clients/${clientId}/you-said-we-did.${format}${search ? `?${search}` : ''}`;
  const clientName = report.data?.client.name;
  const periodError = report.isError ? report.error : undefined;
  const fieldError = (field: string) => problemFor(periodError, field);
  const hasFieldError = Boolean(fieldError('from') || fieldError('to'));

  let content: React.ReactNode;
  if (report.isPending) {
    content = (
      <Stack gap="sm" role="status" aria-label="Loading the report">
        <Skeleton height={120} />
        <Skeleton height={120} />
      </Stack>
    );
  } else if (report.isError && report.error instanceof ApiProblem && report.error.status === 403) {
    content = (
      <EmptyState title="Only the client’s team reads this report">
        The report is built from the client’s insights, which its relationship team, programme leads and management read.
      </EmptyState>
    );
  } else if (report.isError && hasFieldError) {
    content = null;
  } else if (report.isError) {
    content = <QueryError error={report.error} onRetry={() => report.refetch()} />;
  } else if (report.data.items.length === 0 && report.data.inProgress.length === 0 && report.data.valued.length === 0) {
    content = (
      <EmptyState title="Nothing to report for this period">
        The report lists only feedback that is shareable with the client (never programme-only insights) and that has actions linked to it. Link actions to the
        client’s insights, or choose a longer period.
      </EmptyState>
    );
  } else {
    content = <ReportBody report={report.data} />;
  }

  return (
    <Stack>
      <Anchor component={Link} to={`/clients/${clientId}/knowledge`} size="sm" c="dimmed">
        ← {clientName ?? 'Client'} knowledge
      </Anchor>
      <PageHeader
        title={clientName ? `You said, we did — ${clientName}` : 'You said, we did'}
        description="What the client told us, paired with what we did about it: shareable feedback only, ready to send"
        actions={
          <>
            <Button component="a" href={download('docx')} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
              Word
            </Button>
            <Button component="a" href={download('pdf')} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
              PDF
            </Button>
          </>
        }
      />
      <Group gap="sm" align="flex-start">
        <DatePickerInput
          label="From"
          valueFormat={DATE_INPUT_FORMAT}
          ariaLabels={CALENDAR_LABELS}
          value={from}
          onChange={setFrom}
          maxDate={to ?? undefined}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the start date' }}
          placeholder="A year before the end"
          error={fieldError('from')}
          w={200}
        />
        <DatePickerInput
          label="To"
          valueFormat={DATE_INPUT_FORMAT}
          ariaLabels={CALENDAR_LABELS}
          value={to}
          onChange={setTo}
          minDate={from ?? undefined}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the end date' }}
          placeholder="Today"
          error={fieldError('to')}
          w={200}
        />
      </Group>
      {content}
    </Stack>
  );
}

function ReportBody({ report }: { report: Report }) {
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        Feedback heard from {formatDate(report.period.from)} to {formatDate(report.period.to)}.
      </Text>
      {report.items.length === 0 ? (
        <Text c="dimmed">No feedback in this period has a completed action yet.</Text>
      ) : (
        <PairsByTheme pairs={report.items} idPrefix="done" />
      )}
      {report.inProgress.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby="yswd-in-progress">
          <Title order={3} id="yswd-in-progress">
            In progress
          </Title>
          <PairsByTheme pairs={report.inProgress} idPrefix="open" />
        </Stack>
      )}
      {report.valued.length > 0 && (
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="yswd-valued">
          <Title order={3} size="h4" id="yswd-valued" mb="sm">
            What you valued
          </Title>
          <List spacing="xs">
            {report.valued.map((v) => (
              <List.Item key={v.id}>
                {v.summary}{' '}
                <Text span size="sm" c="dimmed">
                  ({v.theme}, {formatDate(v.heardOn)})
                </Text>
                {v.quote && (
                  <Text size="sm" fs="italic" c="dimmed">
                    “{v.quote}”{v.speaker ? ` — ${v.speaker}` : ''}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
    </Stack>
  );
}

function PairsByTheme({ pairs, idPrefix }: { pairs: Pair[]; idPrefix: string }) {
  return (
    <Stack gap="md">
      {byTheme(pairs).map((group, g) => (
        <Paper key={group.theme} withBorder p="lg" radius="md" component="section" aria-labelledby={`yswd-${idPrefix}-${g}`}>
          <Title order={4} id={`yswd-${idPrefix}-${g}`} mb="sm">
            {group.theme}
          </Title>
          <Stack gap="md">
            {group.pairs.map((pair) => (
              <Grid key={pair.id} gap="md">
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Text fw={600} size="sm" mb={4}>
                    You said
                  </Text>
                  <Text>{pair.youSaid.summary}</Text>
                  {pair.youSaid.quote && (
                    <Blockquote p="xs" mt="xs" fz="sm">
                      “{pair.youSaid.quote}”{pair.youSaid.speaker ? ` — ${pair.youSaid.speaker}` : ''}
                    </Blockquote>
                  )}
                  <Group gap="xs" mt="xs">
                    <Badge color={INSIGHT_TYPE_COLORS[pair.youSaid.type]} variant="dot">
                      {INSIGHT_TYPE_LABELS[pair.youSaid.type]}
                    </Badge>
                    <Text size="sm" c="dimmed">
                      Heard {formatDate(pair.youSaid.heardOn)}
                    </Text>
                  </Group>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Text fw={600} size="sm" mb={4}>
                    We did
                  </Text>
                  <List spacing="xs">
                    {pair.weDid.map((action) => (
                      <List.Item key={action.id}>
                        <Group gap="xs" wrap="wrap">
                          <Text>{action.title}</Text>
                          <Badge color={ACTION_STATUS_COLORS[action.status]} variant="dot">
                            {ACTION_STATUS_LABELS[action.status]}
                          </Badge>
                          {action.closedAt && (
                            <Text size="sm" c="dimmed">
                              {formatDate(action.closedAt)}
                            </Text>
                          )}
                        </Group>
                        {action.closureNote && (
                          <Text size="sm" c="dimmed">
                            {action.closureNote}
                          </Text>
                        )}
                      </List.Item>
                    ))}
                  </List>
                </Grid.Col>
              </Grid>
            ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
