import { Alert, Anchor, Badge, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { useNetwork } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconCloudOff, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, type Schemas } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { browserStorage, useAnswerAutosave } from './autosave';
import { type AnswerStatus, answerStatusLabel, type DraftStorage } from './drafts';
import { CAPTURE_STATUSES, formatDateTime, SESSION_STATUS_LABELS, type SessionDetail } from './labels';
import { SessionStatusBadge, WARNING_STYLES } from './parts';
import { useSession } from './queries';
import { RemarksPanel } from './RemarksPanel';
import { ScoresPanel } from './ScoresPanel';

type Question = Schemas['SessionGuideQuestion'];
type Answer = Schemas['SessionAnswer'];
/** What a question reports to the page, for the page-wide sync line. */
type QuestionSync = AnswerStatus | 'saving';

/**
 * Capture during and right after an interview: notes per guide question, scores and remarks.
 * Nothing typed is lost on reload, network loss or a closed tab: see drafts.ts and autosave.ts.
 */
export function CapturePage() {
  const { sessionId = '' } = useParams();
  const session = useSession(sessionId);
  // Read once: the drafts of every question go through the same storage.
  const storage = useMemo(() => browserStorage(), []);
  if (session.isPending) {
    return (
      <Stack gap="md" role="status" aria-label="Loading the session">
        <Skeleton height={14} width={120} />
        <Skeleton height={32} width="45%" />
        <Skeleton height={160} mt="md" />
        <Skeleton height={160} />
      </Stack>
    );
  }
  if (session.isError) {
    if (session.error instanceof ApiProblem && session.error.status === 404) {
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
    return <QueryError error={session.error} onRetry={() => session.refetch()} />;
  }
  return <CaptureView session={session.data} storage={storage} />;
}

function CaptureView({ session: s, storage }: { session: SessionDetail; storage: DraftStorage }) {
  const enabled = s.abilities.capture && CAPTURE_STATUSES.includes(s.status);
  const [sync, setSync] = useState<Record<string, QuestionSync>>({});
  const onSync = useCallback((key: string, status: QuestionSync) => setSync((prev) => (prev[key] === status ? prev : { ...prev, [key]: status })), []);
  const { online } = useNetwork();
  const answers = useMemo(() => new Map(s.answers.map((a) => [a.questionKey, a])), [s.answers]);
  const sections = s.guide?.sections ?? [];

  return (
    <>
      <Anchor component={Link} to={`/sessions/${s.id}`} size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Back to the session
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="md" wrap="wrap">
        <Stack gap={6}>
          <Title order={2}>Capture: {s.client.name}</Title>
          <Group gap="xs">
            <SessionStatusBadge status={s.status} />
            <Text size="sm" c="dimmed">
              {s.startsAt ? formatDateTime(s.startsAt) : 'Not dated'} · interviewed by {s.interviewer.name}
              {s.guide && ` · ${s.guide.name}, version ${s.guide.version}`}
            </Text>
          </Group>
        </Stack>
        <SyncLine sync={sync} online={online} />
      </Group>

      <Stack gap="lg">
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} aria-hidden />} p="sm">
          Notes are read by the client’s team. Anything said in confidence goes in a remark marked{' '}
          <Text span fw={700} size="sm">
            Programme only
          </Text>{' '}
          (programme leads and the interviewer only).
        </Alert>
        {!enabled && (
          <Alert variant="light" color="gray" icon={<IconLock size={18} aria-hidden />} p="sm">
            {!s.abilities.capture
              ? 'Only the interviewer and programme leads capture this session: you can read the notes.'
              : s.status === 'planned'
                ? 'Schedule the session to start capturing notes.'
                : `Capture is closed: the session is ${SESSION_STATUS_LABELS[s.status].toLowerCase()}.`}
          </Alert>
        )}
        {s.contacts.length > 0 && (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              With
            </Text>
            {s.contacts.map((c) => (
              <Badge key={c.id} variant="default" tt="none">
                {c.name}
                {c.role ? ` · ${c.role}` : ''}
              </Badge>
            ))}
          </Group>
        )}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="lg">
              {sections.length === 0 && (
                <Paper withBorder p="lg" radius="md">
                  <Text size="sm" c="dimmed">
                    This session has no interview guide, so there are no questions to take notes on. Scores and remarks can still be captured.
                  </Text>
                </Paper>
              )}
              {sections.map((section) => (
                <Paper key={section.key} withBorder p="lg" radius="md" component="section" aria-labelledby={`section-${section.key}`}>
                  <Title order={3} size="h4" mb="md" id={`section-${section.key}`}>
                    {section.title}
                  </Title>
                  <Stack gap="lg">
                    {section.questions.map((q) => (
                      <QuestionNotes
                        key={q.key}
                        sessionId={s.id}
                        question={q}
                        server={answers.get(q.key)}
                        storage={storage}
                        enabled={enabled}
                        onSync={onSync}
                      />
                    ))}
                  </Stack>
                </Paper>
              ))}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="lg">
              <ScoresPanel session={s} storage={storage} enabled={enabled} />
              <RemarksPanel session={s} storage={storage} enabled={enabled} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

/** One line for the whole page: whether everything typed has reached the server. */
function SyncLine({ sync, online }: { sync: Record<string, QuestionSync>; online: boolean }) {
  const statuses = Object.values(sync);
  const conflicts = statuses.filter((st) => st === 'conflict').length;
  let text: string;
  // Warnings are said in the text colour (orange text fails AA contrast); the icon carries the colour.
  let color: string | undefined = 'dimmed';
  if (conflicts > 0) {
    text = `${conflicts} ${conflicts === 1 ? 'question has' : 'questions have'} a conflict to resolve`;
    color = undefined;
  } else if (!online || statuses.includes('offline')) {
    text = 'Offline — saved on this device, will sync';
    color = undefined;
  } else if (statuses.includes('saving') || statuses.includes('pending')) {
    text = 'Saving…';
  } else if (statuses.includes('failed')) {
    text = 'Some notes were not saved — kept on this device';
    color = 'red.9';
  } else {
    text = 'All notes saved';
  }
  return (
    <Group gap={6} role="status" aria-live="polite">
      {conflicts > 0 ? (
        <IconAlertTriangle size={16} aria-hidden color="var(--mantine-color-orange-9)" />
      ) : (
        color !== 'dimmed' && (
          <IconCloudOff size={16} aria-hidden color={color ? `var(--mantine-color-${color.replace('.', '-')})` : 'var(--mantine-color-orange-7)'} />
        )
      )}
      <Text size="sm" c={color} fw={color === 'dimmed' ? undefined : 600}>
        {text}
      </Text>
    </Group>
  );
}

interface QuestionNotesProps {
  sessionId: string;
  question: Question;
  server: Answer | undefined;
  storage: DraftStorage;
  enabled: boolean;
  onSync: (key: string, status: QuestionSync) => void;
}

const QuestionNotes = memo(function QuestionNotes({ sessionId, question, server, storage, enabled, onSync }: QuestionNotesProps) {
  const notes = useAnswerAutosave({ sessionId, questionKey: question.key, server, storage, enabled });
  const { state } = notes;
  const sync: QuestionSync = state.sending !== null ? 'saving' : state.status;
  useEffect(() => onSync(question.key, sync), [onSync, question.key, sync]);
  const label = answerStatusLabel(state);
  const statusId = `notes-status-${question.key}`;
  return (
    <Stack gap={4}>
      <Textarea
        label={question.text}
        description={question.help ?? undefined}
        autosize
        minRows={3}
        maxRows={20}
        value={state.notes}
        readOnly={!enabled}
        onChange={(e) => notes.edit(e.currentTarget.value)}
        onBlur={notes.flush}
        error={state.status === 'failed' ? state.error : undefined}
      />
      <Group justify="flex-end" gap="xs">
        <Text id={statusId} size="xs" c={state.status === 'conflict' ? 'red.9' : 'dimmed'}>
          {label}
          {!notes.keptOnDevice && ' · this device could not keep a copy'}
        </Text>
      </Group>
      {state.status === 'conflict' && state.conflict && (
        <Alert
          color="orange"
          variant="light"
          styles={WARNING_STYLES}
          icon={<IconAlertTriangle size={18} aria-hidden />}
          title="These notes were changed meanwhile"
          role="alert"
        >
          <Stack gap="xs">
            <Text size="sm">
              {state.conflict.updatedBy?.name ?? 'Someone'} saved other notes
              {state.conflict.updatedAt ? ` on ${formatDateTime(state.conflict.updatedAt)}` : ''} while you were writing. Nothing was overwritten: choose which
              to keep, or copy what you need from theirs into yours first.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Paper withBorder p="xs" radius="sm">
                <Text size="xs" fw={600} mb={4}>
                  Yours
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {state.notes}
                </Text>
              </Paper>
              <Paper withBorder p="xs" radius="sm">
                <Text size="xs" fw={600} mb={4}>
                  Saved{state.conflict.updatedBy ? ` by ${state.conflict.updatedBy.name}` : ''}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {state.conflict.notes}
                </Text>
              </Paper>
            </SimpleGrid>
            <Group gap="xs">
              <Button size="xs" onClick={notes.keepMine}>
                Keep mine
              </Button>
              <Button size="xs" variant="default" onClick={notes.takeTheirs}>
                Use theirs
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
});
