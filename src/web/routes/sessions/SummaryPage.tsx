import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  List,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowLeft, IconArrowUp, IconDownload, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { StatusBadge } from '../admin/StatusBadge';

type SessionSummary = Schemas['SessionSummary'];
type SummaryContent = Schemas['SummaryContent'];
type Channel = NonNullable<SessionSummary['sharedChannel']>;

const STATUS: Record<SessionSummary['status'], { label: string; color: string }> = {
  planned: { label: 'Planned', color: 'gray' },
  scheduled: { label: 'Scheduled', color: 'blue' },
  completed: { label: 'Completed, no summary yet', color: 'orange' },
  summary_drafted: { label: 'Summary drafted', color: 'yellow' },
  summary_reviewed: { label: 'Summary reviewed', color: 'teal' },
  summary_shared: { label: 'Summary shared', color: 'indigo' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'email', label: 'Email' },
  { value: 'meeting', label: 'In a meeting' },
  { value: 'letter', label: 'Letter' },
  { value: 'portal', label: 'Client portal' },
  { value: 'other', label: 'Other' },
];
const channelLabel = (c: Channel) => CHANNELS.find((x) => x.value === c)?.label ?? c;

const summaryKey = (sessionId: string) => ['sessions', 'detail', sessionId, 'summary'] as const;
const longDate = (date: string) => dayjs(date).format('D MMMM YYYY');

// ------------------------------------------------------------------ form values

interface Item {
  uid: string;
  text: string;
}
interface Theme {
  uid: string;
  theme: string;
  points: Item[];
}
interface FormValues {
  thanks: string;
  heard: Theme[];
  willDo: Item[];
  nextSteps: Item[];
}

const item = (text = ''): Item => ({ uid: randomId(), text });

function toForm(s: SummaryContent | null): FormValues {
  return {
    thanks: s?.thanks ?? '',
    heard: (s?.heard ?? []).map((h) => ({ uid: randomId(), theme: h.theme, points: h.points.map((p) => item(p)) })),
    willDo: (s?.willDo ?? []).map((p) => item(p)),
    nextSteps: (s?.nextSteps ?? []).map((p) => item(p)),
  };
}

function toContent(v: FormValues): SummaryContent {
  return {
    thanks: v.thanks,
    heard: v.heard.map((h) => ({ theme: h.theme, points: h.points.map((p) => p.text) })),
    willDo: v.willDo.map((p) => p.text),
    nextSteps: v.nextSteps.map((p) => p.text),
  };
}

/** The API names fields inside the summary (summary.heard.0.points.1); the form holds points as {text}. */
function formField(apiField: string): string {
  const path = apiField.replace(/^summary\./, '');
  return /^(heard\.\d+\.points|willDo|nextSteps)\.\d+$/.test(path) ? `${path}.text` : path;
}

const required = (what: string) => (v: string) => (v.trim() ? null : `Write the ${what} or remove it`);

// ------------------------------------------------------------------ pieces

function MoveRemove({
  label,
  index,
  count,
  onMove,
  onRemove,
}: {
  label: string;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label="Move up">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
          <IconArrowUp size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Move down">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          <IconArrowDown size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Remove">
        <ActionIcon variant="subtle" color="red.9" aria-label={`Remove ${label}`} onClick={onRemove}>
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

/** A list of bullet points (one textarea each) with add, remove and reorder. */
function BulletsEditor({
  form,
  path,
  items,
  noun,
  addLabel,
}: {
  form: UseFormReturnType<FormValues>;
  path: string;
  items: Item[];
  noun: string;
  addLabel: string;
}) {
  return (
    <Stack gap="xs">
      {items.map((it, i) => (
        <Group key={it.uid} align="flex-start" wrap="nowrap" gap="xs">
          <Textarea aria-label={`${noun} ${i + 1}`} autosize minRows={1} maxRows={8} style={{ flex: 1 }} {...form.getInputProps(`${path}.${i}.text`)} />
          <MoveRemove
            label={`${noun} ${i + 1}`}
            index={i}
            count={items.length}
            onMove={(to) => form.reorderListItem(path, { from: i, to })}
            onRemove={() => form.removeListItem(path, i)}
          />
        </Group>
      ))}
      <Group>
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem(path, item())}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** The summary as the client will read it (also what the Word and PDF exports contain). */
function SummaryPreview({ summary }: { summary: SummaryContent }) {
  const bullets = (items: string[]) => (
    <List spacing={4} size="sm">
      {items.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: read-only text, never reordered in place
        <List.Item key={i}>{p}</List.Item>
      ))}
    </List>
  );
  return (
    <Stack gap="sm">
      {summary.thanks && <Text size="sm">{summary.thanks}</Text>}
      {summary.heard.length > 0 && (
        <>
          <Title order={3} size="h5">
            What we heard
          </Title>
          {summary.heard.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: read-only text
            <Stack key={i} gap={4}>
              <Text fw={600} size="sm">
                {h.theme}
              </Text>
              {bullets(h.points)}
            </Stack>
          ))}
        </>
      )}
      {summary.willDo.length > 0 && (
        <>
          <Title order={3} size="h5">
            What we will do
          </Title>
          {bullets(summary.willDo)}
        </>
      )}
      {summary.nextSteps.length > 0 && (
        <>
          <Title order={3} size="h5">
            Next steps
          </Title>
          {bullets(summary.nextSteps)}
        </>
      )}
    </Stack>
  );
}

function ShareForm({ sessionId, onDone }: { sessionId: string; onDone: (saved?: SessionSummary) => void }) {
  const form = useForm<{ sharedOn: string | null; channel: Channel | null }>({
    initialValues: { sharedOn: dayjs().format('YYYY-MM-DD'), channel: 'email' },
    validate: { sharedOn: (v) => (v ? null : 'Enter the date it was shared'), channel: (v) => (v ? null : 'Choose how it was shared') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const saved = await unwrap(
            api.POST('/api/v1/sessions/{id}/summary/share', {
              params: { path: { id: sessionId } },
              body: { sharedOn: values.sharedOn ?? '', channel: values.channel ?? 'other' },
            }),
          );
          notifySaved('Recorded as shared with the client.');
          onDone(saved);
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Stack>
        <Text size="sm">Record when and how the reviewed summary reached the client. A shared summary can no longer be changed.</Text>
        <DateInput
          label="Shared on"
          required
          description="The day it was sent or handed over"
          valueFormat="D MMM YYYY"
          nextLabel="Next month"
          previousLabel="Previous month"
          hideOutsideDates
          weekendDays={[]}
          {...form.getInputProps('sharedOn')}
        />
        <Select label="How" required allowDeselect={false} data={CHANNELS} {...form.getInputProps('channel')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Mark shared
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------ the editor

interface Conflict {
  mine: FormValues;
  theirs: SessionSummary;
}

function SummaryEditor({
  view,
  onSaved,
  onDirtyChange,
}: {
  view: SessionSummary;
  onSaved: (v: SessionSummary) => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const [base, setBase] = useState(view.version);
  const [conflict, setConflict] = useState<Conflict>();
  const form = useForm<FormValues>({
    initialValues: toForm(view.summary),
    validate: {
      heard: { theme: (v) => (v.trim() ? null : 'Name the theme or remove it'), points: { text: required('point') } },
      willDo: { text: required('action') },
      nextSteps: { text: required('step') },
    },
  });
  const dirty = form.isDirty();
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  // Nothing typed is lost by closing the tab unawares.
  useEffect(() => {
    if (!dirty) {
      return;
    }
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const adopt = (saved: SessionSummary) => {
    const values = toForm(saved.summary);
    form.setValues(values);
    form.resetDirty(values);
    setBase(saved.version);
    onSaved(saved);
  };

  const save = async (values: FormValues, baseVersion = base) => {
    const result = await api.PUT('/api/v1/sessions/{id}/summary', {
      params: { path: { id: view.sessionId } },
      body: { summary: toContent(values), baseVersion },
    });
    const error = result.error as { code?: string; current?: SessionSummary } | undefined;
    if (result.response.status === 409 && error?.code === 'edit_conflict' && error.current) {
      setConflict({ mine: values, theirs: error.current });
      return;
    }
    try {
      const saved = await unwrap(Promise.resolve(result));
      adopt(saved);
      notifySaved(view.status === 'summary_reviewed' ? 'Saved. The summary goes back to a programme lead for review.' : 'Summary saved.');
    } catch (err) {
      showApiErrors(form, err, Object.fromEntries(Object.keys(err instanceof ApiProblem ? err.fieldErrors : {}).map((f) => [f, formField(f)])));
    }
  };

  const heard = form.values.heard;
  return (
    <form noValidate onSubmit={form.onSubmit((values) => save(values))}>
      <Stack gap="lg">
        {view.status === 'summary_reviewed' && (
          <Alert color="blue" title="This summary has been reviewed">
            Saving a change sends it back to a programme lead for review before it is shared.
          </Alert>
        )}
        <Textarea
          label="Thank you"
          description="The opening lines, thanking the people you spoke to (by the name they go by)"
          autosize
          minRows={2}
          maxRows={8}
          {...form.getInputProps('thanks')}
        />
        <Stack gap="sm">
          <Title order={3} size="h4">
            What we heard
          </Title>
          {heard.length === 0 && (
            <Text size="sm" c="dimmed">
              No themes yet. Build the draft from the capture, or add a theme.
            </Text>
          )}
          {heard.map((theme, ti) => (
            <Paper key={theme.uid} withBorder p="md" radius="md">
              <Stack gap="xs">
                <Group align="flex-end" wrap="nowrap">
                  <TextInput label={`Theme ${ti + 1}`} required style={{ flex: 1 }} {...form.getInputProps(`heard.${ti}.theme`)} />
                  <MoveRemove
                    label={`theme ${ti + 1}${theme.theme ? ` (${theme.theme})` : ''}`}
                    index={ti}
                    count={heard.length}
                    onMove={(to) => form.reorderListItem('heard', { from: ti, to })}
                    onRemove={() => form.removeListItem('heard', ti)}
                  />
                </Group>
                <BulletsEditor
                  form={form}
                  path={`heard.${ti}.points`}
                  items={theme.points}
                  noun={`Point ${ti + 1}.`}
                  addLabel={`Add a point to ${theme.theme || `theme ${ti + 1}`}`}
                />
              </Stack>
            </Paper>
          ))}
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => form.insertListItem('heard', { uid: randomId(), theme: '', points: [item()] })}
            >
              Add a theme
            </Button>
          </Group>
        </Stack>
        <Stack gap="sm">
          <Title order={3} size="h4">
            What we will do
          </Title>
          <BulletsEditor form={form} path="willDo" items={form.values.willDo} noun="Action" addLabel="Add an action" />
        </Stack>
        <Stack gap="sm">
          <Title order={3} size="h4">
            Next steps
          </Title>
          <BulletsEditor form={form} path="nextSteps" items={form.values.nextSteps} noun="Next step" addLabel="Add a next step" />
        </Stack>
        <Group justify="flex-end" gap="sm" pos="sticky" bottom={0} py="sm" bg="var(--mantine-color-body)">
          {dirty && (
            <Text size="sm" c="dimmed" mr="auto">
              Unsaved changes
            </Text>
          )}
          <Button variant="default" disabled={!dirty} onClick={() => form.reset()}>
            Discard changes
          </Button>
          <Button type="submit" loading={form.submitting} disabled={!dirty}>
            Save summary
          </Button>
        </Group>
      </Stack>

      <Modal opened={conflict !== undefined} onClose={() => setConflict(undefined)} title="Someone else saved this summary" size="xl">
        {conflict && (
          <Stack>
            <Text size="sm">
              While you were editing, the summary was saved again (version {conflict.theirs.version}). Nothing has been overwritten. Compare the two and choose
              which to keep; you can also close this and merge by hand.
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Paper withBorder p="md" radius="md">
                <Title order={3} size="h5" mb="xs">
                  Your version (not saved)
                </Title>
                <SummaryPreview summary={toContent(conflict.mine)} />
              </Paper>
              <Paper withBorder p="md" radius="md">
                <Title order={3} size="h5" mb="xs">
                  The saved version
                </Title>
                {conflict.theirs.summary ? <SummaryPreview summary={conflict.theirs.summary} /> : <Text size="sm">No summary.</Text>}
              </Paper>
            </SimpleGrid>
            <Group justify="flex-end" gap="sm">
              <Button
                variant="default"
                onClick={() => {
                  // Keep editing your text; the next save is made on the version now stored.
                  setBase(conflict.theirs.version);
                  onSaved(conflict.theirs);
                  setConflict(undefined);
                }}
              >
                Keep editing mine
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  adopt(conflict.theirs);
                  setConflict(undefined);
                }}
              >
                Use the saved version
              </Button>
              <Button
                onClick={async () => {
                  const mine = conflict.mine;
                  setConflict(undefined);
                  await save(mine, conflict.theirs.version);
                }}
              >
                Save mine over it
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </form>
  );
}

// ------------------------------------------------------------------ the page

function SummaryView({ view }: { view: SessionSummary }) {
  const queryClient = useQueryClient();
  const [confirmDraft, setConfirmDraft] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [writing, setWriting] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const [dirty, setDirty] = useState(false);
  const a = view.abilities;
  const id = view.sessionId;

  const update = async (saved: SessionSummary) => {
    queryClient.setQueryData(summaryKey(id), saved);
    // The session's status changed with it: lists and the session page refresh.
    await queryClient.invalidateQueries({ queryKey: ['sessions'], predicate: (q) => q.queryKey[3] !== 'summary' });
  };

  const buildDraft = async () => {
    try {
      const saved = await unwrap(
        api.POST('/api/v1/sessions/{id}/summary/draft', { params: { path: { id } }, body: view.summary ? { baseVersion: view.version } : {} }),
      );
      await update(saved);
      setEditorKey((k) => k + 1);
      setConfirmDraft(false);
      notifySaved('Draft built from the capture. Edit it, then ask a programme lead to review it.');
    } catch (err) {
      setConfirmDraft(false);
      notifyFailed('Draft not built', err);
    }
  };

  const review = async () => {
    try {
      const saved = await unwrap(api.POST('/api/v1/sessions/{id}/summary/review', { params: { path: { id } }, body: { baseVersion: view.version } }));
      await update(saved);
      notifySaved('Summary marked reviewed. It can now be shared with the client.');
    } catch (err) {
      notifyFailed('Not marked reviewed', err);
      await queryClient.invalidateQueries({ queryKey: summaryKey(id) });
    }
  };

  const status = STATUS[view.status];
  const editing = a.edit && (view.summary !== null || writing);

  let body: React.ReactNode;
  if (editing) {
    body = <SummaryEditor key={`${editorKey}`} view={view} onSaved={update} onDirtyChange={setDirty} />;
  } else if (view.summary) {
    body = (
      <Paper withBorder p="lg" radius="md">
        <SummaryPreview summary={view.summary} />
      </Paper>
    );
  } else if (a.draft) {
    body = (
      <EmptyState
        title="No summary yet"
        action={
          <Group>
            <Button onClick={buildDraft}>Build draft from capture</Button>
            <Button variant="default" onClick={() => setWriting(true)}>
              Write it from scratch
            </Button>
          </Group>
        }
      >
        The draft thanks the people you spoke to, groups what they said by theme (remarks given in confidence for the programme stay out, and non-attributable
        ones carry no name), and adds starter lines for what the firm will do and next steps.
      </EmptyState>
    );
  } else {
    body = (
      <EmptyState title="No summary yet">
        {view.status === 'planned' || view.status === 'scheduled'
          ? 'The summary is written once the session has taken place.'
          : view.status === 'cancelled'
            ? 'This session was cancelled.'
            : 'The interviewer or a programme lead writes the summary after the session.'}
      </EmptyState>
    );
  }

  return (
    <>
      <Anchor component={Link} to={`/sessions/${id}`} size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Session with {view.clientName}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="md" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>Summary for {view.clientName}</Title>
            <StatusBadge color={status.color}>{status.label}</StatusBadge>
            {view.summary && (
              <Badge variant="outline" color="gray">
                Version {view.version}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {view.sessionDate ? `Session of ${longDate(view.sessionDate)}, ` : ''}interviewed by {view.interviewer.name}
          </Text>
          {view.reviewedBy && view.reviewedAt && (
            <Text size="sm">
              Reviewed by {view.reviewedBy.name} on {longDate(view.reviewedAt)}
            </Text>
          )}
          {view.sharedOn && view.sharedChannel && (
            <Text size="sm">
              Shared with the client on {longDate(view.sharedOn)} ({channelLabel(view.sharedChannel).toLowerCase()})
            </Text>
          )}
        </Stack>
        <Group gap="sm">
          {a.draft && view.summary && (
            <Button variant="default" onClick={() => setConfirmDraft(true)}>
              Rebuild draft from capture
            </Button>
          )}
          {a.review && (
            <Tooltip label="Save or discard your changes first: the review is of the saved summary" disabled={!dirty}>
              <Button onClick={review} disabled={dirty}>
                Mark reviewed
              </Button>
            </Tooltip>
          )}
          {a.share && (
            <Tooltip label="Save or discard your changes first" disabled={!dirty}>
              <Button onClick={() => setSharing(true)} disabled={dirty}>
                Mark shared
              </Button>
            </Tooltip>
          )}
        </Group>
      </Group>

      {view.summary && (
        <Group gap="sm" mb="lg">
          <Button component="a" href={`/api/v1/sessions/${id}/summary.docx`} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
            Download Word
          </Button>
          <Button component="a" href={`/api/v1/sessions/${id}/summary.pdf`} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
            Download PDF
          </Button>
          <Text size="xs" c="dimmed">
            The downloads contain the saved summary only: the client, the date, the interviewer and the text above.
          </Text>
        </Group>
      )}
      <Divider mb="lg" />
      {body}

      <ConfirmDialog
        opened={confirmDraft}
        onClose={() => setConfirmDraft(false)}
        title="Rebuild the draft from the capture?"
        confirmLabel="Rebuild draft"
        onConfirm={buildDraft}
      >
        The summary is replaced by a new draft built from the notes and remarks as they are now. Edits made to it, including unsaved ones on this page, are
        lost.
      </ConfirmDialog>
      <Modal opened={sharing} onClose={() => setSharing(false)} title="Mark the summary shared">
        {sharing && (
          <ShareForm
            sessionId={id}
            onDone={async (saved) => {
              setSharing(false);
              if (saved) {
                await update(saved);
              }
            }}
          />
        )}
      </Modal>
    </>
  );
}

/** The summary of one listening session: build, edit, review, share, download (/sessions/:sessionId/summary). */
export function SummaryPage() {
  const { sessionId = '' } = useParams();
  const summary = useQuery({
    queryKey: summaryKey(sessionId),
    queryFn: () => unwrap(api.GET('/api/v1/sessions/{id}/summary', { params: { path: { id: sessionId } } })),
  });
  if (summary.isPending) {
    return <Skeleton height={360} />;
  }
  if (summary.isError) {
    if (summary.error instanceof ApiProblem && summary.error.status === 404) {
      return (
        <EmptyState
          title="Session not found"
          action={
            <Anchor component={Link} to="/sessions">
              Listening sessions
            </Anchor>
          }
        >
          It does not exist, or it is not one you can see.
        </EmptyState>
      );
    }
    return <QueryError error={summary.error} onRetry={() => summary.refetch()} />;
  }
  return <SummaryView view={summary.data} />;
}
