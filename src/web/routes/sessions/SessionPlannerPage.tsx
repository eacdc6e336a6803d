import {
  Alert,
  Anchor,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { QueryError } from '../../components/QueryError';
import { UserMultiSelect } from '../../components/UserPicker';
import { notifySaved, showApiErrors } from '../../forms';
import { ClientSelect } from './ClientSelect';
import { InterviewerSelect } from './InterviewerSelect';
import { type SessionDetail, type SessionFormat, sessionFormatOptions } from './labels';
import { sessionKeys, useClientContacts, useGuideOptions, useProgrammeOptions, useSession } from './queries';

type Contact = Schemas['Contact'];

interface PlanValues {
  clientId: string | null;
  programmeId: string | null;
  objective: string;
  expectations: string;
  agenda: string;
  contactIds: string[];
  attendeeIds: string[];
  interviewerId: string | null;
  independenceOverrideReason: string;
  format: SessionFormat;
  location: string;
  videoPlatform: string;
  videoLink: string;
  /** The picker's local time, 'YYYY-MM-DD HH:mm:ss'; sent as UTC ISO. */
  startsAt: string | null;
  /** NumberInput gives '' while the box is empty. */
  durationMinutes: number | string;
  guideId: string | null;
}

const PICKER_FORMAT = 'YYYY-MM-DD HH:mm:ss';

/** /sessions/new (optionally ?clientId=&programmeId=&nominationId=) and /sessions/:sessionId/edit. */
export function SessionPlannerPage() {
  const { sessionId } = useParams();
  return sessionId ? <EditPlan key={sessionId} sessionId={sessionId} /> : <NewPlan />;
}

function NewPlan() {
  const [params] = useSearchParams();
  const { abilities } = useAuth();
  const clientId = params.get('clientId');
  const client = useQuery({
    queryKey: ['clients', 'detail', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId as string } } })),
    enabled: !!clientId,
  });
  if (abilities && !abilities.planSessions) {
    return (
      <PlannerFrame title="Plan a listening session" back={{ to: '/sessions', label: 'Listening sessions' }}>
        <Alert color="gray" icon={<IconInfoCircle size={18} aria-hidden />}>
          Listening sessions are planned by programme leads and by partners for the clients on whose relationship team they are.
        </Alert>
      </PlannerFrame>
    );
  }
  if (clientId && client.isPending) {
    return <PlannerSkeleton />;
  }
  return (
    <PlannerFrame title="Plan a listening session" back={{ to: '/sessions', label: 'Listening sessions' }}>
      <PlanForm
        initialClient={client.data ? { id: client.data.id, name: client.data.name } : null}
        programmeId={params.get('programmeId')}
        nominationId={params.get('nominationId')}
      />
    </PlannerFrame>
  );
}

function EditPlan({ sessionId }: { sessionId: string }) {
  const session = useSession(sessionId);
  if (session.isPending) {
    return <PlannerSkeleton />;
  }
  if (session.isError) {
    return <QueryError error={session.error} onRetry={() => session.refetch()} />;
  }
  const s = session.data;
  return (
    <PlannerFrame title={`Edit the plan: ${s.client.name}`} back={{ to: `/sessions/${s.id}`, label: 'Back to the session' }}>
      {s.abilities.update ? (
        <PlanForm session={s} initialClient={s.client} programmeId={s.programme?.id ?? null} nominationId={s.nominationId} />
      ) : (
        <Alert color="gray" icon={<IconInfoCircle size={18} aria-hidden />}>
          The plan of this session can no longer be changed by you: only planned or scheduled sessions can be changed, by programme leads, the client’s team and
          the interviewer.
        </Alert>
      )}
    </PlannerFrame>
  );
}

function PlannerFrame({ title, back, children }: { title: string; back: { to: string; label: string }; children: React.ReactNode }) {
  return (
    <Stack gap="lg" maw={880}>
      <div>
        <Anchor component={Link} to={back.to} size="sm" c="dimmed">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden />
            {back.label}
          </Group>
        </Anchor>
        <Title order={2} mt={6}>
          {title}
        </Title>
      </div>
      {children}
    </Stack>
  );
}

function PlannerSkeleton() {
  return (
    <Stack gap="md" role="status" aria-label="Loading the plan" maw={880}>
      <Skeleton height={14} width={120} />
      <Skeleton height={32} width="50%" />
      <Skeleton height={120} />
      <Skeleton height={220} />
    </Stack>
  );
}

interface PlanFormProps {
  session?: SessionDetail;
  initialClient: { id: string; name: string } | null;
  programmeId: string | null;
  nominationId: string | null;
}

function toPickerValue(iso: string | null): string | null {
  return iso ? dayjs(iso).format(PICKER_FORMAT) : null;
}

function toUtcIso(local: string | null): string | null {
  return local ? dayjs(local).toDate().toISOString() : null;
}

/** API field names (contactIds.2, attendeeIds.0) as the form's fields. */
function fieldMapOf(err: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (err instanceof ApiProblem) {
    for (const field of Object.keys(err.fieldErrors)) {
      const [head] = field.split('.');
      if (head && head !== field) {
        map[field] = head;
      }
    }
  }
  return map;
}

function PlanForm({ session, initialClient, programmeId, nominationId }: PlanFormProps) {
  const { user, abilities } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const guides = useGuideOptions();
  const programmes = useProgrammeOptions(!!abilities?.readProgrammes);
  const mayOverride = session ? session.abilities.overrideIndependence : user?.role === 'programme_lead';
  const [overriding, setOverriding] = useState(false);
  const formatLabelId = useId();

  const form = useForm<PlanValues>({
    initialValues: {
      clientId: initialClient?.id ?? null,
      programmeId,
      objective: session?.objective ?? '',
      expectations: session?.expectations ?? '',
      agenda: session?.agenda ?? '',
      contactIds: session?.contacts.map((c) => c.id) ?? [],
      attendeeIds: session?.attendees.map((a) => a.id) ?? [],
      interviewerId: session?.interviewer.id ?? null,
      independenceOverrideReason: '',
      format: session?.format ?? 'video',
      location: session?.location ?? '',
      videoPlatform: session?.videoPlatform ?? '',
      videoLink: session?.videoLink ?? '',
      startsAt: toPickerValue(session?.startsAt ?? null),
      durationMinutes: session?.durationMinutes ?? 60,
      guideId: session?.guide?.guideId ?? null,
    },
    validate: {
      clientId: (v) => (v ? null : 'Choose the client'),
      objective: (v) => (!v.trim() ? 'Say what the firm wants to learn from this session' : v.length > 2000 ? 'Use at most 2,000 characters' : null),
      expectations: (v) => (v.length > 5000 ? 'Use at most 5,000 characters' : null),
      agenda: (v) => (v.length > 5000 ? 'Use at most 5,000 characters' : null),
      interviewerId: (v) => (v ? null : 'Choose who runs the interview'),
      location: (v, values) => (values.format === 'in_person' && !v.trim() ? 'Say where the session takes place' : null),
      videoPlatform: (v, values) => (values.format === 'video' && !v.trim() ? 'Say which platform (Teams, Zoom, …)' : null),
      videoLink: (v) => (v.trim() && !/^https?:\/\/\S+$/.test(v.trim()) ? 'Enter an http(s) link' : null),
      durationMinutes: (v) => (typeof v !== 'number' || v < 15 || v > 480 || !Number.isInteger(v) ? 'Between 15 and 480 minutes' : null),
    },
  });
  const values = form.getValues();

  const client = useQuery({
    queryKey: ['clients', 'detail', values.clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: values.clientId as string } } })),
    enabled: !!values.clientId,
    staleTime: 60_000,
  });
  const contacts = useClientContacts(values.clientId);
  const onTeam = client.data?.team.find((m) => m.userId === values.interviewerId);

  const saveSession = useMutation({
    mutationFn: (v: PlanValues) => {
      const plan = {
        objective: v.objective.trim(),
        expectations: v.expectations.trim() || null,
        agenda: v.agenda.trim() || null,
        contactIds: v.contactIds,
        attendeeIds: v.attendeeIds,
        format: v.format,
        location: v.format === 'in_person' ? v.location.trim() || null : null,
        videoPlatform: v.format === 'video' ? v.videoPlatform.trim() || null : null,
        videoLink: v.format === 'video' ? v.videoLink.trim() || null : null,
        startsAt: toUtcIso(v.startsAt),
        durationMinutes: Number(v.durationMinutes),
        ...(overriding && { independenceOverrideReason: v.independenceOverrideReason.trim() }),
      };
      if (!session) {
        return unwrap(
          api.POST('/api/v1/sessions', {
            body: {
              ...plan,
              clientId: v.clientId as string,
              interviewerId: v.interviewerId as string,
              programmeId: nominationId ? undefined : v.programmeId,
              nominationId: nominationId ?? undefined,
              guideId: v.guideId ?? undefined,
            },
          }),
        );
      }
      // Only what changed among the fields the server checks again when sent (interviewer, guide, programme).
      return unwrap(
        api.PATCH('/api/v1/sessions/{id}', {
          params: { path: { id: session.id } },
          body: {
            ...plan,
            ...(v.interviewerId !== session.interviewer.id && { interviewerId: v.interviewerId as string }),
            ...(v.guideId && v.guideId !== session.guide?.guideId && { guideId: v.guideId }),
            ...(v.programmeId !== (session.programme?.id ?? null) && { programmeId: v.programmeId }),
          },
        }),
      );
    },
  });

  const save = async (v: PlanValues) => {
    if (overriding && !v.independenceOverrideReason.trim()) {
      form.setFieldError('independenceOverrideReason', 'Say why someone on the relationship team should run this session');
      return;
    }
    try {
      const saved = await saveSession.mutateAsync(v);
      queryClient.setQueryData(sessionKeys.detail(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
      notifySaved(session ? 'Plan saved' : 'Session planned');
      await navigate(`/sessions/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiProblem && err.code === 'interviewer_not_independent') {
        form.setFieldError('interviewerId', err.fieldErrors.interviewerId ?? err.message);
        if (mayOverride) {
          setOverriding(true);
        }
        return;
      }
      showApiErrors(form, err, fieldMapOf(err));
    }
  };

  const activeContacts: Contact[] = (contacts.data ?? []).filter((c) => !c.leftOn || values.contactIds.includes(c.id));
  const contactsById = new Map(activeContacts.map((c) => [c.id, c]));
  const guideOptions = (guides.data ?? [])
    .filter((g) => !g.archived || g.id === values.guideId)
    .map((g) => ({ value: g.id, label: g.isDefault ? `${g.name} (default)` : g.name }));
  const programmeOptions = (programmes.data ?? [])
    .filter((p) => p.status !== 'closed' || p.id === values.programmeId)
    .map((p) => ({ value: p.id, label: p.name }));
  const notesTaken = (session?.answers.length ?? 0) > 0;

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack gap="lg">
        {nominationId && !session && (
          <Alert color="teal" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            Planned from a nomination the relationship partner accepted: the session counts towards its programme.
          </Alert>
        )}
        <Paper withBorder p="lg" radius="md">
          <Stack>
            <Title order={3} size="h4">
              Purpose
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {session ? (
                <TextInput label="Client" value={session.client.name} readOnly description="A session stays with the client it was planned for" />
              ) : (
                <ClientSelect
                  label="Client"
                  withAsterisk
                  value={values.clientId}
                  initial={initialClient}
                  disabled={!!nominationId}
                  onChange={(c) => {
                    form.setFieldValue('clientId', c?.id ?? null);
                    form.setFieldValue('contactIds', []);
                  }}
                  error={form.errors.clientId}
                />
              )}
              {abilities?.readProgrammes && (
                <Select
                  label="Programme"
                  description="The listening programme this session counts towards, if any"
                  placeholder="No programme"
                  data={programmeOptions}
                  clearable
                  clearButtonProps={{ 'aria-label': 'No programme' }}
                  disabled={!!nominationId && !session}
                  {...form.getInputProps('programmeId')}
                />
              )}
            </SimpleGrid>
            <Textarea
              label="Objective"
              description="What the firm wants to learn from this session"
              withAsterisk
              autosize
              minRows={2}
              maxRows={6}
              {...form.getInputProps('objective')}
            />
            <Textarea
              label="Expectations"
              description="What this session can and cannot achieve"
              autosize
              minRows={2}
              maxRows={8}
              {...form.getInputProps('expectations')}
            />
            <Textarea label="Agenda" autosize minRows={3} maxRows={10} {...form.getInputProps('agenda')} />
          </Stack>
        </Paper>

        <Paper withBorder p="lg" radius="md">
          <Stack>
            <Title order={3} size="h4">
              People
            </Title>
            <MultiSelect
              label="Client stakeholders"
              description={values.clientId ? 'The client’s contacts taking part' : 'Choose the client first'}
              placeholder={values.contactIds.length ? undefined : 'Choose contacts'}
              disabled={!values.clientId}
              data={activeContacts.map((c) => ({ value: c.id, label: c.preferredName ? `${c.name} (${c.preferredName})` : c.name }))}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': 'Remove all stakeholders' }}
              nothingFoundMessage={contacts.isFetching ? 'Loading contacts…' : 'No contact by that name'}
              renderOption={({ option }) => {
                const c = contactsById.get(option.value);
                return (
                  <Stack gap={0}>
                    <Text size="sm">
                      {c?.name}
                      {c?.preferredName && (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          · goes by {c.preferredName}
                        </Text>
                      )}
                    </Text>
                    {(c?.role || c?.jobTitle) && (
                      <Text size="xs" c="dimmed">
                        {[c.role, c.jobTitle].filter(Boolean).join(' · ')}
                      </Text>
                    )}
                  </Stack>
                );
              }}
              {...form.getInputProps('contactIds')}
            />
            <Stack gap="xs">
              <InterviewerSelect
                value={values.interviewerId}
                initial={session ? session.interviewer : null}
                onChange={(id) => {
                  form.setFieldValue('interviewerId', id);
                  form.clearFieldError('interviewerId');
                  setOverriding(false);
                  form.setFieldValue('independenceOverrideReason', '');
                }}
                description={
                  onTeam ? (
                    <Text component="span" size="xs" c="red.9">
                      {onTeam.name} is {onTeam.teamRole === 'relationship_partner' ? 'a relationship partner' : 'on the relationship team'} for this client, so
                      is not independent.
                    </Text>
                  ) : (
                    'Someone independent of the client’s relationship team'
                  )
                }
                error={form.errors.interviewerId}
              />
              {session?.independenceOverride && values.interviewerId === session.interviewer.id && (
                <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} p="sm">
                  Independence overridden by {session.independenceOverride.by?.name ?? 'a programme lead'}: {session.independenceOverride.reason}
                </Alert>
              )}
              {overriding && (
                <Textarea
                  label="Override with a reason"
                  description="Why someone on the client’s relationship team should run this session. The reason is shown on the session and recorded in the audit log."
                  withAsterisk
                  autosize
                  minRows={2}
                  data-autofocus
                  {...form.getInputProps('independenceOverrideReason')}
                />
              )}
            </Stack>
            <UserMultiSelect
              label="Firm attendees"
              description="Others from the firm taking part besides the interviewer"
              value={values.attendeeIds}
              onChange={(ids) => form.setFieldValue('attendeeIds', ids)}
              initialUsers={session?.attendees ?? []}
              error={form.errors.attendeeIds}
            />
          </Stack>
        </Paper>

        <Paper withBorder p="lg" radius="md">
          <Stack>
            <Title order={3} size="h4">
              When and where
            </Title>
            <Stack gap={4}>
              <Text component="span" id={formatLabelId} size="sm" fw={500}>
                Format
              </Text>
              <SegmentedControl
                aria-labelledby={formatLabelId}
                data={sessionFormatOptions}
                value={values.format}
                onChange={(v) => form.setFieldValue('format', v as SessionFormat)}
                w="fit-content"
              />
            </Stack>
            {values.format === 'in_person' && (
              <TextInput label="Location" withAsterisk placeholder="e.g. the client’s offices, 10 Fleet Street" {...form.getInputProps('location')} />
            )}
            {values.format === 'video' && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Platform" withAsterisk placeholder="Teams, Zoom, …" {...form.getInputProps('videoPlatform')} />
                <TextInput label="Meeting link" type="url" placeholder="https://…" {...form.getInputProps('videoLink')} />
              </SimpleGrid>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <DateTimePicker
                label="Date and time"
                description={`In your time zone; leave empty until it is agreed${session?.status === 'scheduled' ? ' (a scheduled session needs one)' : ''}`}
                valueFormat="ddd D MMM YYYY, HH:mm"
                clearable
                clearButtonProps={{ 'aria-label': 'Clear the date' }}
                {...form.getInputProps('startsAt')}
              />
              <NumberInput
                label="Duration (minutes)"
                min={15}
                max={480}
                step={15}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('durationMinutes')}
              />
            </SimpleGrid>
            <Select
              label="Interview guide"
              description={
                notesTaken
                  ? 'Notes were already taken against this guide, so it cannot change'
                  : 'The session keeps the guide’s current version; the default guide if none is chosen'
              }
              placeholder="The default guide"
              data={guideOptions}
              disabled={notesTaken}
              clearable={!session}
              {...form.getInputProps('guideId')}
            />
          </Stack>
        </Paper>

        <Group justify="flex-end" gap="sm">
          <Button variant="default" component={Link} to={session ? `/sessions/${session.id}` : '/sessions'}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Save plan
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
