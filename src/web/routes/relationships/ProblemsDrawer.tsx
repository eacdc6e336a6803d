import { Alert, Anchor, Badge, Button, Divider, Drawer, Group, List, Loader, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OwnerPicker } from '../../components/Pickers';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { STATUS_LABELS as ACTION_STATUS_LABELS, type ActionPriority, formatDate, priorityOptions } from '../actions/labels';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';
import { PROBLEM_STATUS_COLORS, PROBLEM_STATUS_LABELS, type Problem, type ProblemStatus, problemKeys, problemNextStatuses, todayIso } from './ProblemsLabels';

/** A problem in a drawer: its details, time to resolution, status changes and linked actions. */
export function ProblemDrawer({ problemId, onClose }: { problemId: string | null; onClose: () => void }) {
  return (
    <Drawer opened={problemId !== null} onClose={onClose} position="right" size="lg" title="Problem">
      {problemId && <ProblemDetail id={problemId} onDeleted={onClose} />}
    </Drawer>
  );
}

function ProblemDetail({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const queryClient = useQueryClient();
  const [resolving, setResolving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const problem = useQuery({
    queryKey: [...problemKeys.all, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/problems/{id}', { params: { path: { id } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: problemKeys.all });
  const move = useMutation({
    mutationFn: (status: ProblemStatus) => unwrap(api.PATCH('/api/v1/problems/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: async () => {
      await refresh();
      notifySaved('Status changed');
    },
    onError: (err) => notifyFailed('Could not change the status', err),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/problems/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      setConfirmDelete(false);
      await refresh();
      notifySaved('Problem deleted');
      onDeleted();
    },
    onError: (err) => {
      setConfirmDelete(false);
      notifyFailed(err instanceof ApiProblem && err.status === 409 ? 'Actions or insights are linked to this problem' : 'Could not delete the problem', err);
    },
  });

  if (problem.isLoading) {
    return (
      <Group role="status" aria-label="Loading the problem">
        <Loader size="sm" />
      </Group>
    );
  }
  if (problem.isError || !problem.data) {
    return <QueryError error={problem.error} onRetry={() => problem.refetch()} />;
  }
  const p = problem.data;
  return (
    <Stack>
      <Group gap="xs">
        <Badge variant="dot" color={PROBLEM_STATUS_COLORS[p.status]}>
          {PROBLEM_STATUS_LABELS[p.status]}
        </Badge>
        <Text size="sm" c="dimmed">
          {p.daysToResolution !== null ? `Resolved in ${p.daysToResolution} days` : `Open for ${p.daysOpen} days`}
        </Text>
      </Group>
      <Title order={3}>{p.title}</Title>
      <Text size="sm">
        <Anchor component={Link} to={`/clients/${p.client.id}`}>
          {p.client.name}
        </Anchor>
        {' · reported '}
        {formatDate(p.reportedOn)}
        {p.reportedBy ? ` by ${p.reportedBy.name}` : ''}
        {' · owner: '}
        {p.owner?.name ?? 'nobody yet'}
      </Text>
      {p.description && <Text style={{ whiteSpace: 'pre-wrap' }}>{p.description}</Text>}
      {p.resolution && (
        <Alert color="green" title={p.resolvedOn ? `Resolution (${formatDate(p.resolvedOn)})` : 'Resolution'}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {p.resolution}
          </Text>
        </Alert>
      )}
      {p.abilities.update && (
        <Group gap="sm">
          {problemNextStatuses(p.status).map((next) => (
            <Button
              key={next.to}
              variant={next.to === 'resolved' || next.to === 'closed' ? 'filled' : 'default'}
              loading={move.isPending && move.variables === next.to}
              onClick={() => (next.to === 'resolved' ? setResolving(true) : move.mutate(next.to))}
            >
              {next.label}
            </Button>
          ))}
          {p.abilities.delete && (
            <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )}
        </Group>
      )}
      {resolving && <ResolveForm problem={p} onDone={() => setResolving(false)} />}
      <Divider label="Actions" labelPosition="left" />
      {p.actions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No action yet.
        </Text>
      ) : (
        <List spacing="xs">
          {p.actions.map((a) => (
            <List.Item key={a.id}>
              <Text size="sm">
                {a.title} — {ACTION_STATUS_LABELS[a.status]}, {a.owner.name}
                {a.dueOn ? `, due ${formatDate(a.dueOn)}` : ''}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {p.abilities.update && <AddActionForm problemId={p.id} />}
      <ConfirmDialog
        opened={confirmDelete}
        title="Delete this problem?"
        confirmLabel="Delete"
        onConfirm={() => remove.mutateAsync().catch(() => undefined)}
        onClose={() => setConfirmDelete(false)}
      >
        A problem with linked actions or insights cannot be deleted.
      </ConfirmDialog>
    </Stack>
  );
}

function ResolveForm({ problem, onDone }: { problem: Problem; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<{ resolution: string; resolvedOn: string | null }>({
    initialValues: { resolution: problem.resolution ?? '', resolvedOn: todayIso() },
    validate: {
      resolution: (v) => (v.trim() ? null : 'Say how it was resolved'),
      resolvedOn: (v) =>
        !v ? 'Say when' : v > todayIso() ? 'Must not be in the future' : v < problem.reportedOn ? 'Must not be before it was reported' : null,
    },
  });
  const resolve = useMutation({
    mutationFn: (v: { resolution: string; resolvedOn: string | null }) =>
      unwrap(
        api.PATCH('/api/v1/problems/{id}', {
          params: { path: { id: problem.id } },
          body: { status: 'resolved', resolution: v.resolution.trim(), resolvedOn: v.resolvedOn ?? undefined },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: problemKeys.all });
      notifySaved('Problem resolved');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => resolve.mutate(v))} noValidate>
      <Stack gap="sm">
        <Textarea label="Resolution" withAsterisk autosize minRows={2} maxRows={8} maxLength={5000} data-autofocus {...form.getInputProps('resolution')} />
        <DatePickerInput
          label="Resolved on"
          withAsterisk
          valueFormat={DATE_INPUT_FORMAT}
          maxDate={todayIso()}
          minDate={problem.reportedOn}
          ariaLabels={CALENDAR_LABELS}
          {...form.getInputProps('resolvedOn')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={resolve.isPending}>
            Resolve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ActionValues {
  title: string;
  ownerId: string | null;
  dueOn: string | null;
  priority: ActionPriority;
}

function AddActionForm({ problemId }: { problemId: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm<ActionValues>({
    initialValues: { title: '', ownerId: user?.id ?? null, dueOn: null, priority: 'normal' },
    validate: {
      title: (v) => (v.trim() ? null : 'Say what is to be done'),
      ownerId: (v) => (v ? null : 'Choose who does it'),
    },
  });
  const add = useMutation({
    mutationFn: (v: ActionValues) =>
      unwrap(
        api.POST('/api/v1/problems/{id}/actions', {
          params: { path: { id: problemId } },
          body: { title: v.title.trim(), ownerId: v.ownerId ?? '', dueOn: v.dueOn || null, priority: v.priority },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: problemKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['actions'] });
      notifySaved('Action added');
      form.reset();
      setOpen(false);
    },
    onError: (err) => showApiErrors(form, err),
  });
  if (!open) {
    return (
      <Group>
        <Button variant="light" onClick={() => setOpen(true)}>
          Add action
        </Button>
      </Group>
    );
  }
  return (
    <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
      <Stack gap="sm">
        <TextInput label="What is to be done" withAsterisk maxLength={300} data-autofocus {...form.getInputProps('title')} />
        <OwnerPicker required initial={user ? { id: user.id, name: user.name } : null} {...form.getInputProps('ownerId')} />
        <Group grow align="flex-start">
          <DatePickerInput label="Due on" clearable valueFormat={DATE_INPUT_FORMAT} ariaLabels={CALENDAR_LABELS} {...form.getInputProps('dueOn')} />
          <Select label="Priority" data={priorityOptions} allowDeselect={false} {...form.getInputProps('priority')} />
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add action
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
