import { Anchor, Badge, Button, Grid, Group, List, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconDownload, IconPrinter } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../actions/labels';
import { preferenceKeys } from './labels';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function None({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** /clients/:clientId/brief: the one-page brief to read before a visit, with Print, Word and PDF. */
export function ClientBriefPage() {
  const { clientId = '' } = useParams();
  const brief = useQuery({
    queryKey: preferenceKeys.brief(clientId),
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}/brief', { params: { path: { id: clientId } } })),
    retry: false,
  });
  if (brief.isPending) {
    return (
      <Stack role="status" aria-label="Loading the brief">
        <Skeleton height={40} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (brief.isError) {
    if (brief.error instanceof ApiProblem && brief.error.status === 403) {
      return <EmptyState title="Only the client’s team reads the brief">Programme leads, management and the client’s relationship team read it.</EmptyState>;
    }
    return <QueryError error={brief.error} onRetry={() => brief.refetch()} />;
  }
  const b = brief.data;
  return (
    <Stack gap="md">
      {/* Printing gives the brief alone: no navigation, header or buttons. */}
      <style>
        {
          '@media print { .no-print, .mantine-AppShell-navbar, .mantine-AppShell-header { display: none !important; } .mantine-AppShell-main { padding: 0 !important; } }'
        }
      </style>
      <Anchor component={Link} to={`/clients/${clientId}`} size="sm" c="dimmed" className="no-print">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          {b.client.name}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>Client brief: {b.client.name}</Title>
          <Text size="sm" c="dimmed">
            Prepared {formatDate(b.generatedAt)}. Internal: not for the client.
          </Text>
        </Stack>
        <Group gap="xs" className="no-print">
          <Button component={Link} to={`/checks/invoice?${new URLSearchParams({ clientId, clientName: b.client.name })}`} variant="default">
            Check an invoice
          </Button>
          <Button variant="default" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
            Print
          </Button>
          <Button component="a" href={`/api/v1/clients/${clientId}/brief.docx`} variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
            Word
          </Button>
          <Button component="a" href={`/api/v1/clients/${clientId}/brief.pdf`} variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
            PDF
          </Button>
        </Group>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Section title="Key contacts">
              {b.contacts.length === 0 ? (
                <None>No contacts recorded.</None>
              ) : (
                <List spacing={4} size="sm">
                  {b.contacts.map((c) => (
                    <List.Item key={c.id}>
                      <Text span fw={600} size="sm">
                        {c.name}
                      </Text>
                      {c.preferredName && c.preferredName !== c.name && <Text span size="sm">{` (goes by ${c.preferredName})`}</Text>}
                      <Text span size="sm" c="dimmed">
                        {[c.jobTitle, c.role].filter(Boolean).length ? ` — ${[c.jobTitle, c.role].filter(Boolean).join(', ')}` : ''}
                      </Text>
                      {c.isDecisionMaker && (
                        <Badge variant="dot" color="blue" ml="xs">
                          Decision maker
                        </Badge>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
            <Section title="Last contact">
              {b.lastCheckIn ? (
                <Text size="sm">
                  {formatDate(b.lastCheckIn.on)} ({b.lastCheckIn.kind.replace('_', '-')}
                  {b.lastCheckIn.by ? `, ${b.lastCheckIn.by}` : ''}){b.lastCheckIn.daysSince !== null ? ` — ${b.lastCheckIn.daysSince} days ago` : ''}
                </Text>
              ) : (
                <None>No contact recorded.</None>
              )}
            </Section>
            <Section title="Reports coming due">
              {b.reportsDue.length === 0 ? (
                <None>No reports due in the next 60 days.</None>
              ) : (
                <List spacing={4} size="sm">
                  {b.reportsDue.map((r) => (
                    <List.Item key={r.uid}>
                      {r.report}: due {formatDate(r.dueOn)} (meeting {formatDate(r.meetingOn)})
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
            <Section title="Open actions">
              {b.openActions.length === 0 ? (
                <None>No open actions.</None>
              ) : (
                <List spacing={4} size="sm">
                  {b.openActions.map((a) => (
                    <List.Item key={a.id}>
                      {a.title} — {a.owner}
                      {a.dueOn ? `, due ${formatDate(a.dueOn)}` : ''}
                      {a.overdue && (
                        <Badge variant="dot" color="red" ml="xs">
                          Overdue
                        </Badge>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Section title="Do and don’t">
              {b.guidance.length === 0 ? (
                <None>No preferences recorded yet: ask.</None>
              ) : (
                <Stack gap="sm">
                  {b.guidance.map((g) => (
                    <div key={g.category}>
                      <Text fw={600} size="sm">
                        {g.label}
                      </Text>
                      <List spacing={4} size="sm">
                        {g.items.map((item) => (
                          <List.Item key={item.preferenceId}>
                            {item.contact ? `${item.contact.name}: ` : ''}“{item.statement}”
                            {item.do.map((d) => (
                              <Text key={d} size="sm" c="teal.9">
                                Do: {d}
                              </Text>
                            ))}
                            {item.dont.map((d) => (
                              <Text key={d} size="sm" c="red.9">
                                Don’t: {d}
                              </Text>
                            ))}
                            {item.stale && (
                              <Badge variant="dot" color="orange">
                                Ask again
                              </Badge>
                            )}
                          </List.Item>
                        ))}
                      </List>
                    </div>
                  ))}
                </Stack>
              )}
            </Section>
            <Section title="Recent feedback">
              {b.feedback.length === 0 ? (
                <None>No feedback in the last year.</None>
              ) : (
                <List spacing={4} size="sm">
                  {b.feedback.map((f) => (
                    <List.Item key={f.id}>
                      {formatDate(f.heardOn)} ({f.type}): {f.summary}
                      {f.speaker ? ` — ${f.speaker}` : ''}
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
