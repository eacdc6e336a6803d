import { Alert, Anchor, Badge, Button, Grid, Group, List, Modal, Paper, SimpleGrid, Skeleton, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCalendarCheck,
  IconCalendarDown,
  IconCheck,
  IconFileText,
  IconInfoCircle,
  IconNotes,
  IconPencil,
  IconX,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { Dash } from '../clients/parts';
import { useRemarkInsightActions } from '../insights/MakeInsight';
import { CAPTURE_STATUSES, formatDateTime, formatDuration, formatTime, plural, SESSION_FORMAT_LABELS, type SessionDetail, type SessionStatus } from './labels';
import { RemarkItem, SessionStatusBadge, WARNING_STYLES } from './parts';
import { sessionKeys, useSession } from './queries';

const HELD: readonly SessionStatus[] = ['completed', 'summary_drafted', 'summary_reviewed', 'summary_shared'];

/** One listening session: its plan, people, status and next steps, scores and the remarks the reader may see. */
export function SessionPage() {
  const { sessionId = '' } = useParams();
  const session = useSession(sessionId);
  if (session.isPending) {
    return <SessionSkeleton />;
  }
  if (session.isError) {
    if (session.error instanceof ApiProblem && session.error.status === 404) {
      return <SessionNotFound />;
    }
    return <QueryError error={session.error} onRetry={() => session.refetch()} />;
  }
  return <SessionView session={session.data} />;
}

function SessionView({ session: s }: { session: SessionDetail }) {
  const canCapture = s.abilities.capture && CAPTURE_STATUSES.includes(s.status);
  const held = HELD.includes(s.status);
  return (
    <>
      <Anchor component={Link} to="/sessions" size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Listening sessions
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="lg" wrap="wrap">
        <Stack gap={6}>
          <Title order={2}>Session with {s.client.name}</Title>
          <Group gap="xs">
            <SessionStatusBadge status={s.status} />
            <Text size="sm" c="dimmed">
              {s.startsAt ? `${formatDateTime(s.startsAt)}–${formatTime(s.endsAt)}` : 'Not dated yet'} · {SESSION_FORMAT_LABELS[s.format]}
            </Text>
            {s.programme && (
              <Badge variant="default" tt="none" component={Link} to={`/programmes/${s.programme.id}`} style={{ cursor: 'pointer' }}>
                {s.programme.name}
              </Badge>
            )}
          </Group>
        </Stack>
        <Group gap="sm">
          {s.abilities.update && (
            <Button variant="default" component={Link} to={`/sessions/${s.id}/edit`} leftSection={<IconPencil size={16} aria-hidden />}>
              Edit plan
            </Button>
          )}
          {(canCapture || held) && (
            <Button
              variant={canCapture ? 'filled' : 'default'}
              component={Link}
              to={`/sessions/${s.id}/capture`}
              leftSection={<IconNotes size={16} aria-hidden />}
            >
              {canCapture ? 'Capture' : 'Notes'}
            </Button>
          )}
          {held && (
            <Button variant="default" component={Link} to={`/sessions/${s.id}/summary`} leftSection={<IconFileText size={16} aria-hidden />}>
              Summary
            </Button>
          )}
        </Group>
      </Group>

      <Stack gap="lg">
        {s.status === 'cancelled' && (
          <Alert color="red" variant="light" styles={WARNING_STYLES} icon={<IconX size={18} aria-hidden />} title="Cancelled">
            {s.cancelReason ?? 'No reason was given.'}
          </Alert>
        )}
        {s.independenceOverride && (
          <Alert color="orange" variant="light" styles={WARNING_STYLES} icon={<IconAlertTriangle size={18} aria-hidden />} title="Independence overridden">
            {s.interviewer.name} is on {s.client.name}’s relationship team. {s.independenceOverride.by?.name ?? 'A programme lead'} let them interview the
            client anyway: “{s.independenceOverride.reason}”
          </Alert>
        )}
        <StatusActions session={s} />

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <Paper withBorder p="lg" radius="md">
                <Stack gap="md">
                  <Title order={3} size="h4">
                    Plan
                  </Title>
                  <Field label="Objective">{s.objective}</Field>
                  <Field label="Expectations">{s.expectations}</Field>
                  <Field label="Agenda">{s.agenda}</Field>
                </Stack>
              </Paper>
              <ScoresSummary session={s} />
              <RemarksList session={s} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="lg">
              <Paper withBorder p="lg" radius="md">
                <Stack gap="md">
                  <Title order={3} size="h4">
                    Details
                  </Title>
                  <Field label="When">
                    {s.startsAt
                      ? `${formatDateTime(s.startsAt)} (${formatDuration(s.durationMinutes)})`
                      : `Not dated yet (${formatDuration(s.durationMinutes)})`}
                  </Field>
                  <Field label="Format">
                    {SESSION_FORMAT_LABELS[s.format]}
                    {s.format === 'in_person' && s.location && ` · ${s.location}`}
                    {s.format === 'video' && s.videoPlatform && ` · ${s.videoPlatform}`}
                  </Field>
                  {s.format === 'video' && s.videoLink && (
                    <Field label="Meeting link">
                      <Anchor href={s.videoLink} target="_blank" rel="noreferrer" size="sm" style={{ wordBreak: 'break-all' }}>
                        {s.videoLink}
                      </Anchor>
                    </Field>
                  )}
                  <Field label="Interviewer">
                    {s.interviewer.name}
                    <Text span size="sm" c="dimmed">
                      {' '}
                      · {s.interviewer.email}
                    </Text>
                  </Field>
                  <Field label="Interview guide">{s.guide ? `${s.guide.name} (version ${s.guide.version})` : null}</Field>
                  <Field label="Client">
                    <Anchor component={Link} to={`/clients/${s.client.id}`} size="sm">
                      {s.client.name}
                    </Anchor>
                  </Field>
                  {s.abilities.downloadInvite ? (
                    <Button
                      component="a"
                      href={`/api/v1/sessions/${s.id}/invite.ics`}
                      download
                      variant="light"
                      leftSection={<IconCalendarDown size={16} aria-hidden />}
                      w="fit-content"
                    >
                      Download calendar invite (.ics)
                    </Button>
                  ) : (
                    <Text size="sm" c="dimmed">
                      A calendar invite can be downloaded once the session has a date.
                    </Text>
                  )}
                </Stack>
              </Paper>
              <Paper withBorder p="lg" radius="md">
                <Stack gap="md">
                  <Title order={3} size="h4">
                    Client stakeholders
                  </Title>
                  {s.contacts.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      None chosen yet.
                    </Text>
                  ) : (
                    <List spacing="xs" listStyleType="none" aria-label="Client stakeholders">
                      {s.contacts.map((c) => (
                        <List.Item key={c.id}>
                          <Text size="sm" fw={500}>
                            {c.name}
                            {c.leftOn && (
                              <Badge ml="xs" size="xs" variant="outline" color="gray" tt="none">
                                Has left the client
                              </Badge>
                            )}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {[...new Set([c.role, c.jobTitle, c.email].filter(Boolean))].join(' · ')}
                          </Text>
                        </List.Item>
                      ))}
                    </List>
                  )}
                  <Title order={3} size="h4">
                    Firm attendees
                  </Title>
                  {s.attendees.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      Only the interviewer.
                    </Text>
                  ) : (
                    <List spacing="xs" listStyleType="none" aria-label="Firm attendees">
                      {s.attendees.map((a) => (
                        <List.Item key={a.id}>
                          <Text size="sm" fw={500}>
                            {a.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {[a.title, a.email].filter(Boolean).join(' · ')}
                          </Text>
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Stack>
              </Paper>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={2}>
        {label}
      </Text>
      {empty ? (
        <Dash />
      ) : (
        <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap' }}>
          {children}
        </Text>
      )}
    </div>
  );
}

/** The moves the session can make next, as buttons: the server lists them (nextStatuses) and says who may. */
function StatusActions({ session: s }: { session: SessionDetail }) {
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const move = useMutation({
    mutationFn: (body: { status: 'scheduled' | 'completed' | 'cancelled'; reason?: string }) =>
      unwrap(api.POST('/api/v1/sessions/{id}/status', { params: { path: { id: s.id } }, body })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(sessionKeys.detail(s.id), saved);
      await queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
    },
  });
  const run = async (status: 'scheduled' | 'completed') => {
    try {
      await move.mutateAsync({ status });
      notifySaved(status === 'scheduled' ? 'Session scheduled' : 'Session marked completed');
    } catch (err) {
      notifyFailed(status === 'scheduled' ? 'Not scheduled' : 'Not marked completed', err);
    }
  };

  const canSchedule = s.nextStatuses.includes('scheduled') && s.abilities.update;
  const canComplete = s.nextStatuses.includes('completed') && (s.abilities.update || s.abilities.capture);
  const canCancel = s.nextStatuses.includes('cancelled') && s.abilities.cancel;
  if (!canSchedule && !canComplete && !canCancel) {
    return null;
  }
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm">
          {s.status === 'planned' &&
            (s.startsAt ? 'Once the date is agreed with the client, schedule the session.' : 'Set a date in the plan before scheduling.')}
          {s.status === 'scheduled' && 'Once the interview has taken place, mark the session completed and finish the notes.'}
        </Text>
        <Group gap="sm">
          {canSchedule &&
            (s.startsAt ? (
              <Button
                leftSection={<IconCalendarCheck size={16} aria-hidden />}
                onClick={() => run('scheduled')}
                loading={move.isPending && move.variables?.status === 'scheduled'}
              >
                Schedule
              </Button>
            ) : (
              <Tooltip label="Set the date and time in the plan first">
                <Button leftSection={<IconCalendarCheck size={16} aria-hidden />} data-disabled aria-disabled onClick={(e) => e.preventDefault()}>
                  Schedule
                </Button>
              </Tooltip>
            ))}
          {canComplete && (
            <Button
              leftSection={<IconCheck size={16} aria-hidden />}
              onClick={() => run('completed')}
              loading={move.isPending && move.variables?.status === 'completed'}
            >
              Mark completed
            </Button>
          )}
          {canCancel && (
            <Button variant="outline" color="red.9" leftSection={<IconX size={16} aria-hidden />} onClick={() => setCancelling(true)}>
              Cancel session
            </Button>
          )}
        </Group>
      </Group>
      <Modal opened={cancelling} onClose={() => setCancelling(false)} title={`Cancel the session with ${s.client.name}?`} centered>
        {cancelling && (
          <CancelForm
            onCancel={async (reason) => {
              await move.mutateAsync({ status: 'cancelled', reason });
              setCancelling(false);
              notifySaved('Session cancelled');
            }}
            onClose={() => setCancelling(false)}
            hasInvite={!!s.startsAt}
          />
        )}
      </Modal>
    </Paper>
  );
}

function CancelForm({ onCancel, onClose, hasInvite }: { onCancel: (reason: string) => Promise<void>; onClose: () => void; hasInvite: boolean }) {
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (v) => (!v.trim() ? 'Say why the session is cancelled' : v.length > 2000 ? 'Use at most 2,000 characters' : null) },
  });
  return (
    <form
      onSubmit={form.onSubmit(async ({ reason }) => {
        try {
          await onCancel(reason.trim());
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
      noValidate
    >
      <Stack>
        <Textarea
          label="Reason"
          description={`Kept with the session.${hasInvite ? ' The calendar invite becomes a cancellation.' : ''}`}
          withAsterisk
          autosize
          minRows={3}
          data-autofocus
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Keep the session
          </Button>
          <Button type="submit" color="red.9" loading={form.submitting}>
            Cancel session
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ScoresSummary({ session: s }: { session: SessionDetail }) {
  const { nps, satisfaction, dimensions } = s.scores;
  const scored = dimensions.filter((d) => d.score !== null);
  if (nps === null && satisfaction === null && scored.length === 0) {
    return HELD.includes(s.status) ? (
      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h4" mb="xs">
          Scores
        </Title>
        <Text size="sm" c="dimmed">
          No scores recorded.
        </Text>
      </Paper>
    ) : null;
  }
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={3} size="h4" mb="md">
        Scores
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
        <Score label="Likelihood to recommend" value={nps} of={10} />
        <Score label="Overall satisfaction" value={satisfaction} of={10} />
        {scored.map((d) => (
          <Score key={d.key} label={d.label} value={d.score} of={5} />
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function Score({ label, value, of }: { label: string; value: number | null; of: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value === null ? '—' : value}
        <Text span size="sm" c="dimmed" fw={400}>
          {' '}
          / {of}
        </Text>
      </Text>
    </div>
  );
}

function RemarksList({ session: s }: { session: SessionDetail }) {
  const insightActions = useRemarkInsightActions(s.id, s.client.id);
  if (s.remarks.length === 0 && !HELD.includes(s.status)) {
    return null;
  }
  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Remarks
        </Title>
        <Text size="sm" c="dimmed">
          {plural(s.remarks.length, 'remark')}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb="md">
        <IconInfoCircle size={12} aria-hidden style={{ verticalAlign: 'middle' }} />{' '}
        {s.seesConfidential
          ? 'You see every remark, programme-only ones and every speaker included.'
          : 'Programme-only remarks, and who made non-attributable ones, are seen only by programme leads and the interviewer.'}
      </Text>
      {s.remarks.length === 0 ? (
        <Text size="sm" c="dimmed">
          No remarks captured.
        </Text>
      ) : (
        <Stack gap="sm">
          {s.remarks.map((r) => (
            <RemarkItem key={r.id} remark={r} actions={insightActions.render(r)} />
          ))}
        </Stack>
      )}
      {insightActions.modal}
    </Paper>
  );
}

function SessionNotFound() {
  return (
    <Stack align="flex-start" gap="sm">
      <Title order={2}>Session not found</Title>
      <Text c="dimmed">The session does not exist, or you do not have access to it.</Text>
      <Button component={Link} to="/sessions" variant="light">
        Back to listening sessions
      </Button>
    </Stack>
  );
}

function SessionSkeleton() {
  return (
    <Stack gap="md" role="status" aria-label="Loading session">
      <Skeleton height={14} width={120} />
      <Skeleton height={32} width="45%" />
      <Skeleton height={20} width="30%" />
      <Skeleton height={200} mt="md" />
    </Stack>
  );
}
